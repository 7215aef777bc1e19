"""What synthetic records look like: the real knowledge base's proportions, partner states,
titles in three languages, and how later instruments relate to earlier ones.

The (kind, level, jurisdiction) combinations come from the real records when they are
loaded (synthetic.instrument_records reads them); FALLBACK_PROFILE holds the real data's
proportions for an empty database.
"""

import datetime

from core.lifecycle import Precision
from instruments.vocabulary import RelationshipType
from sources.models import Confidence

PREFIX = "syn-"
SOURCE_ID = "syn-generator"
BATCH = 2000

# Proportions of the real knowledge base (117 instruments after the coverage of 2026-12), used
# when the real records are not loaded: (kind, level, jurisdiction) → count.
FALLBACK_PROFILE = {
    ("directive", "regional", "eu"): 24,
    ("regulation", "regional", "eu"): 22,
    ("law", "national", "kz"): 17,
    ("agreement", "bilateral", "eu"): 8,
    ("government_resolution", "national", "kz"): 8,
    ("agreement", "regional", "eaeu"): 5,
    ("agreement", "regional", "cis"): 4,
    ("code", "national", "kz"): 4,
    ("ministerial_order", "national", "kz"): 4,
    ("convention", "international", "un"): 3,
    ("protocol", "international", "un"): 3,
    ("treaty", "regional", "eaeu"): 3,
    ("legislative_proposal", "regional", "eu"): 3,
    ("decision", "regional", "eu"): 1,
    ("policy_address", "national", "kz"): 1,
}
# Of the real EU acts adopted since 2024, most apply later than they enter into force (the Pact);
# of all instruments, about one in eight has its own date of application.
APPLICATION_RATE = 0.13
# Multilateral treaties: the share with a known date of entry into force for Kazakhstan.
KZ_ENTRY_RATE = 0.6
# Proposals and drafts: where their procedure stands (never law).
STAGES = {"proposed": 3, "under_negotiation": 2, "provisional_agreement": 1, "withdrawn": 1, "never_adopted": 1}
NOT_LAW_KINDS = ("legislative_proposal", "draft")
# Kazakhstan's agreements with partner states by type (the real 33).
AGREEMENT_TYPES = {
    "readmission": 18,
    "migration_cooperation": 5,
    "stay_of_citizens": 5,
    "labour_migration": 3,
    "mutual_travel": 2,
}

# Date precisions: mostly to the day, some to the month or year, some unknown.
ADOPTED_PRECISION = {Precision.DAY: 85, Precision.MONTH: 4, Precision.YEAR: 5, Precision.UNKNOWN: 6}
EIF_PRECISION = {Precision.DAY: 76, Precision.MONTH: 5, Precision.YEAR: 4, Precision.UNKNOWN: 15}

# Partner states of synthetic agreements, weighted: the real partners first (the article's 12
# and the later ones), then the rest of Europe, the CIS and Asia.
PARTNERS = {
    "CH": 6,
    "UZ": 8,
    "BY": 7,
    "HU": 5,
    "LT": 5,
    "RU": 9,
    "LV": 5,
    "MD": 4,
    "CZ": 5,
    "DE": 8,
    "NO": 4,
    "BE": 3,
    "LU": 2,
    "NL": 3,
    "KG": 7,
    "TJ": 6,
    "TM": 4,
    "AM": 4,
    "AZ": 4,
    "GE": 4,
    "UA": 4,
    "PL": 5,
    "AT": 4,
    "FR": 4,
    "IT": 4,
    "ES": 3,
    "SE": 3,
    "FI": 3,
    "DK": 2,
    "EE": 3,
    "SK": 3,
    "SI": 2,
    "RO": 3,
    "BG": 3,
    "GR": 2,
    "PT": 2,
    "IE": 2,
    "HR": 2,
    "RS": 2,
    "TR": 5,
    "CN": 5,
    "MN": 3,
    "KR": 3,
    "JP": 2,
    "IN": 2,
    "PK": 2,
    "AF": 2,
    "IR": 2,
    "AE": 2,
    "GB": 3,
}
# Multi-party agreements (the Benelux agreement is one of 15 real ones).
BLOCS = [("BE", "LU", "NL"), ("EE", "LV", "LT"), ("DK", "SE")]

CONFIDENCE = {Confidence.VERIFIED: 60, Confidence.BELIEVED: 30, Confidence.NOT_FOUND: 10}

# Subjects of a migration law, with Russian and Kazakh renderings (our own wording).
TOPICS = [
    (
        "the conditions of entry and residence of third-country nationals for highly qualified employment",
        "об условиях въезда и проживания граждан третьих стран в целях высококвалифицированной занятости",
        "жоғары білікті жұмыспен қамту мақсатында үшінші елдер азаматтарының келу және тұру шарттары туралы",
    ),
    ("the right to family reunification", "о праве на воссоединение семьи", "отбасының қайта қосылу құқығы туралы"),
    (
        "the status of long-term residents",
        "о статусе долгосрочных резидентов",
        "ұзақ мерзімді резиденттердің мәртебесі туралы",
    ),
    (
        "the readmission of persons residing without authorisation",
        "о реадмиссии лиц, незаконно пребывающих на территории",
        "рұқсатсыз тұрып жатқан адамдарды реадмиссиялау туралы",
    ),
    (
        "labour migration and the rights of migrant workers",
        "о трудовой миграции и правах трудящихся-мигрантов",
        "еңбек көші-қоны және еңбекші көшіп-қонушылардың құқықтары туралы",
    ),
    (
        "a single application procedure for a combined work and residence permit",
        "о единой процедуре выдачи комбинированного разрешения на работу и проживание",
        "жұмыс істеуге және тұруға біріктірілген рұқсат берудің бірыңғай рәсімі туралы",
    ),
    (
        "international protection and the status of refugees",
        "о международной защите и статусе беженцев",
        "халықаралық қорғау және босқындардың мәртебесі туралы",
    ),
    (
        "visa requirements for crossing external borders",
        "о визовых требованиях при пересечении внешних границ",
        "сыртқы шекаралардан өту кезіндегі визалық талаптар туралы",
    ),
    (
        "ethnic Kazakhs returning to their historic homeland (kandas)",
        "об этнических казахах, возвращающихся на историческую родину (кандасах)",
        "тарихи отанына оралатын этникалық қазақтар (қандастар) туралы",
    ),
    (
        "quotas for attracting foreign labour",
        "о квотах на привлечение иностранной рабочей силы",
        "шетелдік жұмыс күшін тартуға арналған квоталар туралы",
    ),
    (
        "the registration of foreigners and stateless persons",
        "о регистрации иностранцев и лиц без гражданства",
        "шетелдіктер мен азаматтығы жоқ адамдарды тіркеу туралы",
    ),
    (
        "combating irregular migration and trafficking in human beings",
        "о противодействии незаконной миграции и торговле людьми",
        "заңсыз көші-қонға және адам саудасына қарсы іс-қимыл туралы",
    ),
    (
        "the social security of migrant workers and their families",
        "о социальном обеспечении трудящихся-мигрантов и членов их семей",
        "еңбекші көшіп-қонушылар мен олардың отбасы мүшелерін әлеуметтік қамсыздандыру туралы",
    ),
    (
        "seasonal workers from third countries",
        "о сезонных работниках из третьих стран",
        "үшінші елдерден келген маусымдық жұмыскерлер туралы",
    ),
    (
        "the recognition of professional qualifications of migrants",
        "о признании профессиональной квалификации мигрантов",
        "көшіп-қонушылардың кәсіптік біліктілігін тану туралы",
    ),
    (
        "students and researchers from third countries",
        "о студентах и исследователях из третьих стран",
        "үшінші елдерден келген студенттер мен зерттеушілер туралы",
    ),
]

# Per kind: short-title and title templates in en / ru / kk, and the ELI type segment.
KIND_TEXT = {
    "directive": (
        "dir",
        "Directive {y}/{n}/EU",
        "Directive {y}/{n}/EU of the European Parliament and of the Council on {t}",
        "Директива {y}/{n}/ЕС Европейского парламента и Совета {t}",
        "Еуропалық Парламент пен Кеңестің {y}/{n}/ЕО директивасы: {t}",
    ),
    "regulation": (
        "reg",
        "Regulation (EU) {y}/{n}",
        "Regulation (EU) {y}/{n} of the European Parliament and of the Council on {t}",
        "Регламент (ЕС) {y}/{n} Европейского парламента и Совета {t}",
        "Еуропалық Парламент пен Кеңестің {y}/{n} (ЕО) регламенті: {t}",
    ),
    "treaty": ("treaty", "Treaty of {y} No. {n}", "Treaty on {t}", "Договор {t}", "Шарт: {t}"),
    "agreement": ("agr", "Agreement of {y} No. {n}", "Agreement on {t}", "Соглашение {t}", "Келісім: {t}"),
    "protocol": ("prot", "Protocol of {y} No. {n}", "Protocol on {t}", "Протокол {t}", "Хаттама: {t}"),
    "law": (
        "law",
        "Law No. {n}-VI of {y}",
        "Law of the Republic of Kazakhstan on {t}",
        "Закон Республики Казахстан {t}",
        "Қазақстан Республикасының Заңы: {t}",
    ),
    "government_resolution": (
        "pp",
        "Resolution No. {n} of {y}",
        "Resolution of the Government of the Republic of Kazakhstan on {t}",
        "Постановление Правительства Республики Казахстан {t}",
        "Қазақстан Республикасы Үкіметінің қаулысы: {t}",
    ),
    "convention": ("conv", "Convention of {y} No. {n}", "Convention on {t}", "Конвенция {t}", "Конвенция: {t}"),
    "decision": ("dec", "Decision {y}/{n}", "Decision {y}/{n} on {t}", "Решение {y}/{n} {t}", "{y}/{n} шешім: {t}"),
    "framework_decision": (
        "fd",
        "Framework Decision {y}/{n}",
        "Council Framework Decision {y}/{n} on {t}",
        "Рамочное решение Совета {y}/{n} {t}",
        "Кеңестің {y}/{n} негіздемелік шешімі: {t}",
    ),
    "code": ("kodeks", "Code No. {n} of {y}", "Code of the Republic of Kazakhstan on {t}", "Кодекс {t}", "Кодекс: {t}"),
    "presidential_decree": (
        "ukaz",
        "Decree No. {n} of {y}",
        "Decree of the President of the Republic of Kazakhstan on {t}",
        "Указ Президента Республики Казахстан {t}",
        "Қазақстан Республикасы Президентінің Жарлығы: {t}",
    ),
    "ministerial_order": (
        "prikaz",
        "Order No. {n} of {y}",
        "Order of the Minister on {t}",
        "Приказ Министра {t}",
        "Министрдің бұйрығы: {t}",
    ),
    "policy_concept": ("concept", "Concept of {y}", "Concept on {t}", "Концепция {t}", "Тұжырымдама: {t}"),
    "legislative_proposal": (
        "prop",
        "COM({y}) {n}",
        "Proposal for a Regulation of the European Parliament and of the Council on {t}",
        "Предложение по регламенту Европейского парламента и Совета {t}",
        "Еуропалық Парламент пен Кеңес регламентінің жобасы: {t}",
    ),
    "draft": ("draft", "Draft of {y} No. {n}", "Draft on {t}", "Проект {t}", "Жоба: {t}"),
    "policy_address": (
        "address",
        "Address of {y}",
        "Address of the President on {t}",
        "Послание Президента {t}",
        "Президенттің Жолдауы: {t}",
    ),
}
SUMMARY = (
    "Synthetic benchmark record about {t}; it is not a real instrument.",
    "Синтетическая запись для нагрузочного теста {t}; это не настоящий акт.",
    "Жүктемелік тестке арналған синтетикалық жазба: {t}; бұл нақты акт емес.",
)

# Later instruments relate to earlier ones of the same jurisdiction with these probabilities.
RELATION_RATES = [
    (RelationshipType.AMENDS, 0.20),
    (RelationshipType.REPEALS, 0.12),
    (RelationshipType.IMPLEMENTS, 0.08),
    (RelationshipType.CITES, 0.15),
]


def lifecycle_extras(rng, kind, level, entry_into_force, precision):
    """The dates and stage beyond entry into force, as the real data has them: a stage and no
    entry into force for a proposal; a later date of application for some acts; for a
    multilateral treaty, often a later date of entry into force for Kazakhstan."""
    extras = {}
    if kind in NOT_LAW_KINDS:
        return {
            "procedure_stage": weighted(rng, STAGES),
            "entry_into_force": None,
            "entry_into_force_precision": Precision.UNKNOWN,
        }
    if entry_into_force and precision == Precision.DAY and rng.random() < APPLICATION_RATE:
        extras["date_application"] = entry_into_force + datetime.timedelta(days=rng.randrange(30, 3 * 365))
        extras["date_application_precision"] = Precision.DAY
    treaty = kind in ("treaty", "agreement", "convention", "protocol") and level not in ("bilateral", "national")
    if treaty and entry_into_force and precision == Precision.DAY and rng.random() < KZ_ENTRY_RATE:
        extras["entry_into_force_kz"] = entry_into_force + datetime.timedelta(days=rng.randrange(0, 6 * 365))
        extras["entry_into_force_kz_precision"] = Precision.DAY
    return extras


def weighted(rng, table):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def truncate(day, precision):
    """Store a date of month/year precision as the first day of its period."""
    if precision == Precision.MONTH:
        return day.replace(day=1)
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1)
    return day


def rough_date(rng, day, precision_table):
    precision = weighted(rng, precision_table)
    if precision == Precision.UNKNOWN:
        return None, precision
    return truncate(day, precision), precision
