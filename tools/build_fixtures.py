#!/usr/bin/env python
"""Build the knowledge base's fixtures (fixtures/*.json) from the reference research.

Usage (from the project root; needs ../shared only at build time, no network):

    .venv/bin/python tools/build_fixtures.py            # writes fixtures/*.json
    .venv/bin/python tools/build_fixtures.py --check    # fails if fixtures/ is out of date

Inputs: ../shared/reference/facts.json, ../shared/reference/memberships.json,
../shared/seed/article.md (quotes are checked to occur verbatim in it, and their
article section is looked up there), pycountry's ISO 3166-1 data, and the curated
mapping in this file. The facts are free text ("2003-10-03 (day of publication,
Art. 21)"); the curation below turns them into typed fields and keeps the source's
words as provenance notes. Every curated date is checked against the facts' text,
so a change in the research makes the build fail instead of silently drifting.

Rules kept here (see docs/provenance.md):
- a date nobody states stays empty (precision "unknown") with a not_found or
  believed provenance row; no date is guessed;
- every record gets at least one provenance row; every factual field of an
  instrument or agreement gets one row per source, with the facts' confidence;
- rows with confidence "article" cite the article (or one of its references)
  with the section and the verbatim quote;
- translations we wrote are marked unofficial.

The fixtures are committed; CI and `load_kb` never run this script.
"""

import argparse
import datetime
import gettext
import hashlib
import json
import re
import sys
from importlib import metadata
from collections import OrderedDict, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pycountry
from django.utils.text import slugify

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FACTS_PATH = SHARED / "reference" / "facts.json"
MEMBERSHIPS_PATH = SHARED / "reference" / "memberships.json"
ARTICLE_PATH = SHARED / "seed" / "article.md"
OUT = ROOT / "fixtures"

# Records carry this as "last updated": the date of the reference research they come from.
DATA_AS_OF = "2026-11-26T00:00:00Z"
EDITORIAL_NOTE = "editorial summary; ru/kk unofficial translation"

FACTS = json.loads(FACTS_PATH.read_text(encoding="utf-8"))
MEMBERSHIPS = json.loads(MEMBERSHIPS_PATH.read_text(encoding="utf-8"))
ARTICLE = ARTICLE_PATH.read_text(encoding="utf-8")


class BuildError(Exception):
    pass


# =========================================================================== the article


class Article:
    """Finds verbatim quotes in article.md and the section they stand in."""

    SECTION_NAMES = {
        "Legal regulation of migration processes: regional experience and legislation of the Republic of Kazakhstan":
            "Abstract",
        "Көші-қон үдерістерін құқықтық реттеу: өңірлік тәжірибе және Қазақстан Республикасының заңнамасы":
            "Abstract (Kazakh)",
        "Правовое регулирование миграционных процессов: региональный опыт и законодательство Республики Казахстан":
            "Abstract (Russian)",
    }

    def __init__(self, text):
        self.text = text
        self.lines = text.split("\n")
        self.sections = []  # (offset, name, list_name or None)
        offset = 0
        ref_lists_seen = 0
        for line in self.lines:
            if line.startswith("#"):
                heading = line.lstrip("#").strip().strip("*").strip()
                name = self.SECTION_NAMES.get(heading, heading)
                list_name = None
                if heading == "References":
                    ref_lists_seen += 1
                    list_name = "Cyrillic list" if ref_lists_seen == 1 else "transliterated list"
                self.sections.append((offset, name, list_name))
            offset += len(line) + 1

    def find(self, quote):
        index = self.text.find(quote)
        if index < 0:
            raise BuildError(f"quote not found verbatim in article.md: {quote!r}")
        return index

    def locate(self, quote):
        """'Results', or 'References [15] (Cyrillic list)' for a quote inside a reference."""
        index = self.find(quote)
        name, list_name = "Header", None
        for offset, section, lst in self.sections:
            if offset <= index:
                name, list_name = section, lst
        if list_name:
            line_start = self.text.rfind("\n", 0, index) + 1
            # the reference item is the nearest line above that starts with its number
            number = None
            pos = line_start
            while pos >= 0:
                line = self.text[pos:self.text.find("\n", pos)]
                match = re.match(r"^(?:- )?(\d{1,2}) ", line)
                if match:
                    number = int(match.group(1))
                    break
                if line.startswith("#"):
                    break
                pos = self.text.rfind("\n", 0, max(pos - 1, 0)) + 1 if pos > 0 else -1
            if number:
                return f"References [{number}] ({list_name})"
            return f"References ({list_name})"
        return name


ARTICLE_DOC = Article(ARTICLE)


def clean_markdown(text):
    """A reference-list entry as a reader sees it: markdown links, escapes and emphasis removed."""
    text = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\2", text)  # [label](url) -> url
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = text.replace("\\\\_", "_").replace("\\_", "_")
    text = re.sub(r"(?<!\w)\*([^*]+)\*(?!\w)", r"\1", text)
    return text.strip()


def reference_entries():
    """{n: {'cyrillic': text, 'transliterated': text}} from the article's two reference lists."""
    entries = defaultdict(dict)
    current_list = None
    current = None
    for line in ARTICLE.split("\n"):
        if line.startswith("#"):
            heading = line.lstrip("#").strip().strip("*").strip()
            if heading == "References":
                current_list = "cyrillic" if current_list is None else "transliterated"
            elif current_list == "transliterated" or current_list == "cyrillic":
                current_list = "done" if current_list == "transliterated" else "between"
            current = None
            continue
        if current_list not in ("cyrillic", "transliterated"):
            continue
        match = re.match(r"^(?:- )?(\d{1,2}) (.*)$", line)
        if match:
            current = int(match.group(1))
            entries[current][current_list] = match.group(2)
        elif line.strip() and current is not None and line[0].islower():
            # continuation: the stray fragment after [19] in the transliterated list ('stan dated …')
            entries[current][current_list] += " " + line.strip()
    return entries


# =========================================================================== sources

OFFICIAL_HOSTS = {
    "eur-lex.europa.eu", "eurlex.europa.eu", "eumonitor.eu", "adilet.zan.kz", "zakonpravo.kz",
    "online.zakon.kz", "eec.eaeunion.org", "en.kremlin.ru", "primeminister.kz", "akorda.kz",
    "home-affairs.ec.europa.eu", "data.europa.eu", "egov.kz", "link2.sdu.nl",
}
SLUG_FILLER = {
    "on", "the", "of", "and", "between", "government", "republic", "kazakhstan", "agreement", "ratification", "to",
    "zakon", "o", "mezhdu", "i", "pravitelstvom", "respubliki", "kazahstan", "soglasheniya", "ratifikatsii", "a",
    "in", "for", "with", "rk", "html", "php", "index", "the", "r", "k",
}
SOURCE_NOTES = {
    "link2.sdu.nl": "Dutch treaty database (Sdu, the Dutch official publisher).",
    "eur-lex.eu": "The host is eur-lex.eu, not the official EUR-Lex domain eur-lex.europa.eu; kept as given in the research.",
}


class Sources:
    def __init__(self):
        self.records = OrderedDict()  # id -> fields
        self.by_url = {}
        self.instruments = defaultdict(set)

    def add(self, sid, **fields):
        if sid in self.records:
            raise BuildError(f"duplicate source id {sid}")
        fields.setdefault("number", None)
        fields.setdefault("url", "")
        fields.setdefault("publisher", "")
        fields.setdefault("note", "")
        self.records[sid] = fields
        if fields["url"] and fields["kind"] not in ("article_reference",):
            self.by_url.setdefault(fields["url"], sid)
        return sid

    def for_url(self, url):
        """The Source id for an evidence URL, created on first use."""
        if url in self.by_url:
            return self.by_url[url]
        parts = urlsplit(url)
        host = parts.hostname or ""
        bare = host[4:] if host.startswith("www.") else host
        # a readable tail: the last informative path or query part, without filler words
        parts_text = [w for w in re.split(r"[/?&=#]", parts.path + "?" + parts.query)
                      if slugify(w) and not re.fullmatch(r"\d{9,}|uri|qid|sphrase_id|docs?|amp|en|ru|eng|rus|kaz|news|"
                                                         r"n|zakony|document\.fwx|rgn", w.lower())]
        words = [w for w in slugify(parts_text[-1]).split("-") if w not in SLUG_FILLER] if parts_text else []
        tail = "-".join(words[:6])[:48].strip("-")
        digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:6]
        sid = "-".join(p for p in (slugify(bare.replace(".", "-")), tail, digest) if p)
        kind = "official" if bare in OFFICIAL_HOSTS or host in OFFICIAL_HOSTS else "secondary"
        self.add(sid, kind=kind, citation=url, url=url, publisher=bare, note=SOURCE_NOTES.get(bare, ""))
        return sid

    def support(self, sid, instrument_id):
        self.instruments[sid].add(instrument_id)


SOURCES = Sources()

ARTICLE_SOURCE = SOURCES.add(
    "article", kind="article",
    citation=("Narimbaeva, A.J., & Abayev, M.B. (2024). Legal regulation of migration processes: regional "
              "experience and legislation of the Republic of Kazakhstan. Taraz University named after "
              "M. Kh. Dulaty, Taraz, Kazakhstan."),
    note="The seed article of this knowledge base (shared/seed/article.md). The authors' surname is spelled "
         "'Narimbaeva' in the English header and 'Нарымбаева' in the Kazakh and Russian abstracts.",
)
RESEARCH_NOTES = SOURCES.add(
    "kb-research-notes", kind="secondary",
    citation=("kzmigration research notes: the article's facts checked against official sources "
              "(reference facts, as of November 2026)."),
    note="Cited only for facts marked believed or not found that no external source states; the note on "
         "each provenance row says what was inferred or looked for.",
)
PYCOUNTRY_SOURCE = SOURCES.add(
    "iso-3166-pycountry", kind="dataset",
    citation=f"ISO 3166-1 country codes and names, via pycountry {metadata.version('pycountry')} "
             "(Debian iso-codes data with its Russian and Kazakh translations)",
    url="https://pypi.org/project/pycountry/", publisher="pypi.org",
)
DEMIG_SOURCE = SOURCES.add(
    "demig-policy", kind="dataset",
    citation=("DEMIG POLICY database code lists (policy area, policy tool, migrant group), Table 2 in de Haas, "
              "Natter & Vezzoli, Comparative Migration Studies 3:15 (2015)."),
    url="https://comparativemigrationstudies.springeropen.com/articles/10.1186/s40878-015-0016-5",
    publisher="comparativemigrationstudies.springeropen.com",
)


def collect_evidence_urls(node):
    """Every URL listed under a "source" key anywhere in the research files, in order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source":
                values = value if isinstance(value, list) else [value]
                for url in values:
                    if isinstance(url, str) and url.startswith("http"):
                        yield url
            else:
                yield from collect_evidence_urls(value)
    elif isinstance(node, list):
        for item in node:
            yield from collect_evidence_urls(item)


# =========================================================================== provenance


class ProvenanceBook:
    MODELS = {
        "country": ("instruments", "country"), "organisation": ("instruments", "organisation"),
        "membership": ("instruments", "membership"), "source": ("instruments", "source"),
        "subject": ("instruments", "subject"), "instrument": ("instruments", "instrument"),
        "officialtext": ("instruments", "officialtext"), "provision": ("instruments", "provision"),
        "relationship": ("instruments", "relationship"), "discrepancy": ("instruments", "discrepancy"),
        "agreement": ("agreements", "agreement"), "party": ("agreements", "party"),
        "articlestatemention": ("agreements", "articlestatemention"),
    }

    def __init__(self):
        self.rows = OrderedDict()

    def add(self, model, object_id, field, source, confidence, locator="", quote="", note=""):
        if model not in self.MODELS:
            raise BuildError(f"unknown model {model}")
        if source not in SOURCES.records:
            raise BuildError(f"unknown source {source}")
        if confidence == "article":
            if not quote:
                raise BuildError(f"article row without quote: {model} {object_id} {field}")
            if SOURCES.records[source]["kind"] not in ("article", "article_reference"):
                raise BuildError(f"article row with non-article source: {model} {object_id} {field}")
        if quote and source == ARTICLE_SOURCE:
            ARTICLE_DOC.find(quote)
            if not locator:
                locator = ARTICLE_DOC.locate(quote)
        base = slugify(f"{model}-{object_id}-{field.replace('*', 'all')}-{source}")[:190].strip("-")
        pk = base
        n = 1
        while pk in self.rows:
            key = self.rows[pk]
            if (key["object_id"], key["field"], key["source"], key["locator"], key["quote"]) == (
                    object_id, field, source, locator, quote):
                return pk  # the same statement twice: keep one row
            n += 1
            pk = f"{base}-{n}"
        self.rows[pk] = {
            "content_type": list(self.MODELS[model]), "object_id": object_id, "field": field,
            "source": source, "confidence": confidence, "locator": locator[:200], "quote": quote,
            "note": note,
        }
        if model == "instrument":
            SOURCES.support(source, object_id)
        return pk

    def fact(self, model, object_id, field, fact, note=None, fallback_source=None, confidence=None,
             article_row=True):
        """Rows for one facts.json entry: one per source URL, plus an article row where it quotes the article."""
        if fact is None:
            raise BuildError(f"missing fact for {model} {object_id} {field}")
        conf = confidence or fact.get("confidence")
        note = fact.get("note", "") if note is None else note
        if conf == "believed" and not note:
            note = "Believed: background knowledge or inference, not confirmed in a source."
        elif conf == "believed" and "believed" not in note.lower():
            note = f"Believed, not confirmed. {note}"

        urls = fact.get("source") or []
        urls = urls if isinstance(urls, list) else [urls]
        made = []
        if conf == "article":
            quote = fact.get("article_quote")
            if quote:
                made.append(self.add(model, object_id, field, ARTICLE_SOURCE, "article", quote=quote, note=note))
        else:
            for url in urls:
                made.append(self.add(model, object_id, field, SOURCES.for_url(url), conf, note=note))
            if not urls:
                # A believed fact with no source is our own inference: cite the research notes, never a
                # source that does not say it. "Not found" is cited to the source where it was looked for.
                source = RESEARCH_NOTES if conf == "believed" else (fallback_source or RESEARCH_NOTES)
                made.append(self.add(model, object_id, field, source, conf, note=note))
            quote = fact.get("article_quote")
            if article_row and quote and ARTICLE.find(quote) >= 0:
                made.append(self.add(model, object_id, field, ARTICLE_SOURCE, "article", quote=quote,
                                     note="The article's words."))
        return made


BOOK = ProvenanceBook()


# =========================================================================== helpers


def fact_date(fact, expected, what):
    """Check that the facts' free text for a date starts with the curated ISO date."""
    value = fact.get("value") if isinstance(fact, dict) else fact
    if expected is None:
        return None
    if not isinstance(value, str) or not value.startswith(expected):
        raise BuildError(f"{what}: facts say {value!r}, curation expects {expected}")
    return expected


def require(condition, message):
    if not condition:
        raise BuildError(message)


def record(model, pk, fields):
    return {"model": model, "pk": pk, "fields": fields}


OJ_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def oj_date(reference):
    match = OJ_DATE.search(reference)
    day, month, year = (int(g) for g in match.groups())
    return datetime.date(year, month, day).isoformat()


def by_id(items, key="id"):
    return {item[key]: item for item in items}


FACT_INSTRUMENTS = by_id(FACTS["instruments"])


# =========================================================================== countries


def build_countries():
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("ru", "kk")
    }

    def translate(lang, *names):
        for name in names:
            if name:
                value = translations[lang].gettext(name)
                if value != name:
                    return value
        return ""

    out = []
    for country in pycountry.countries:
        common = getattr(country, "common_name", None)
        name_en = common or country.name
        out.append(record("instruments.country", country.alpha_2, {
            "alpha3": country.alpha_3, "numeric": country.numeric, "name_en": name_en,
            "name_ru": translate("ru", common, country.name), "name_kk": translate("kk", common, country.name),
        }))
        BOOK.add("country", country.alpha_2, "*", PYCOUNTRY_SOURCE, "verified",
                 note="Codes and English name from ISO 3166-1 (common name where ISO gives one); Russian and "
                      "Kazakh names from the iso-codes translations.")
    return out


# =========================================================================== organisations

ORGANISATIONS = {
    "eu": {"name_en": "European Union", "name_ru": "Европейский союз", "name_kk": "Еуропалық Одақ",
           "abbreviation_en": "EU", "abbreviation_ru": "ЕС", "abbreviation_kk": "ЕО"},
    "eaeu": {"name_en": "Eurasian Economic Union", "name_ru": "Евразийский экономический союз",
             "name_kk": "Еуразиялық экономикалық одақ",
             "abbreviation_en": "EAEU", "abbreviation_ru": "ЕАЭС", "abbreviation_kk": "ЕАЭО"},
    "cis": {"name_en": "Commonwealth of Independent States", "name_ru": "Содружество Независимых Государств",
            "name_kk": "Тәуелсіз Мемлекеттер Достастығы",
            "abbreviation_en": "CIS", "abbreviation_ru": "СНГ", "abbreviation_kk": "ТМД"},
    "benelux": {"name_en": "Benelux Union", "name_ru": "Бенилюкс", "name_kk": "Бенилюкс",
                "abbreviation_en": "Benelux", "abbreviation_ru": "Бенилюкс", "abbreviation_kk": "Бенилюкс"},
}
EU_FOUNDING_NOTE = (
    "Recorded from 1958-01-01, when the six founding states' European Economic Community took effect; the "
    "European Union itself exists since 1993-11-01 (Maastricht). This knowledge base counts EU membership "
    "from 1958-01-01 for the founding states."
)
TREATY_FACTS = FACT_INSTRUMENTS["eaeu_treaty_2014"]
BENELUX_AGREEMENT_FACTS = FACTS["readmission_agreements"][11]
EAEU_MEMBER_EVIDENCE = {
    "BY": TREATY_FACTS["founding_states"], "KZ": TREATY_FACTS["founding_states"],
    "RU": TREATY_FACTS["founding_states"], "AM": TREATY_FACTS["armenia_accession"],
    "KG": TREATY_FACTS["kyrgyzstan_accession"],
}


def build_organisations():
    out = []
    orgs = MEMBERSHIPS["organisations"]
    for code, names in ORGANISATIONS.items():
        org = orgs[code]
        require(org["name_en"] == names["name_en"], f"organisation name changed: {code}")
        note = org.get("note", "")
        if code == "eu":
            note = EU_FOUNDING_NOTE
        out.append(record("instruments.organisation", code, {**names, "note": note}))
        trans_note = ("English name as in the reference research; Russian and Kazakh names and abbreviations "
                      "written by the editors (the article's own abstracts use ЕС/ЕАЭС/СНГ and ЕО/ЕАЭО/ТМД).")
        if code == "eaeu":
            for url in TREATY_FACTS["title_en"]["source"][1:]:
                BOOK.add("organisation", code, "*", SOURCES.for_url(url), "verified", note=trans_note)
        elif code == "benelux":
            BOOK.add("organisation", code, "*", SOURCES.for_url(BENELUX_AGREEMENT_FACTS["title_en"]["source"][0]),
                     "verified", note="The agreement's title names 'the Benelux States (the Kingdom of Belgium, "
                     "the Grand Duchy of Luxembourg and the Kingdom of the Netherlands)'. " + trans_note)
        else:
            first = org["members"][0]["source"]
            BOOK.add("organisation", code, "*", SOURCES.for_url(first), "verified", note=trans_note)
        for m in org["members"]:
            out.append(build_membership(code, m))
    return out


def build_membership(org, m):
    country = m["state"]
    date_from = m["from"]
    pk = f"{org}-{country}-{date_from or 'undated'}".lower()
    precision = "unknown" if date_from is None else "day"
    note = m.get("note", "")
    if org == "cis" and country == "GE":
        require(date_from == "1993-12-01", "Georgia's CIS date changed")
        precision = "month"
    if org == "eu" and date_from == "1958-01-01":
        note = f"{note}. {EU_FOUNDING_NOTE}" if note else EU_FOUNDING_NOTE
    until = m["until"]
    fields = {
        "organisation": org, "country": country, "date_from": date_from, "date_from_precision": precision,
        "date_until": until, "date_until_precision": "day" if until else "unknown", "note": note,
    }
    conf = m["confidence"]
    src = m.get("source", "")
    if src.startswith("http"):
        BOOK.add("membership", pk, "*", SOURCES.for_url(src), conf, note=m.get("note", ""))
    elif org == "eaeu":
        evidence = EAEU_MEMBER_EVIDENCE[country]
        for url in evidence["source"]:
            BOOK.add("membership", pk, "*", SOURCES.for_url(url), conf, note=evidence.get("note", m.get("note", "")))
    elif org == "benelux":
        BOOK.add("membership", pk, "*", RESEARCH_NOTES, conf,
                 note="Widely reported, not confirmed in a source consulted; the start date is not recorded. "
                      + m.get("note", ""))
        BOOK.add("membership", pk, "*", SOURCES.for_url(BENELUX_AGREEMENT_FACTS["title_en"]["source"][0]), conf,
                 note="The Kazakhstan–Benelux readmission agreement names Belgium, Luxembourg and the Netherlands "
                      "as 'the Benelux States'; it gives no membership dates.")
    else:
        raise BuildError(f"membership without source: {pk}")
    return record("instruments.membership", pk, fields)


# =========================================================================== subjects

# (code, scheme, parent, demig_term, label_en, label_ru, label_kk, definition)
SUBJECTS = [
    # policy areas: DEMIG's four areas, with sub-areas from research-dbs.md §4(a)
    ("border_land_control", "policy_area", None, "Border and land control",
     "Border and land control", "Пограничный и территориальный контроль", "Шекаралық және аумақтық бақылау", ""),
    ("border_land_control-border_management", "policy_area", "border_land_control", "",
     "Border management", "Управление границами", "Шекараны басқару", ""),
    ("border_land_control-visas", "policy_area", "border_land_control", "",
     "Visas and entry conditions", "Визы и условия въезда", "Визалар және келу шарттары", ""),
    ("border_land_control-carrier_employer_sanctions", "policy_area", "border_land_control", "",
     "Carrier and employer sanctions", "Санкции для перевозчиков и работодателей",
     "Тасымалдаушылар мен жұмыс берушілерге қолданылатын санкциялар", ""),
    ("border_land_control-smuggling_trafficking", "policy_area", "border_land_control", "",
     "Smuggling and trafficking", "Незаконный ввоз мигрантов и торговля людьми",
     "Мигранттарды заңсыз алып өту және адам саудасы", ""),
    ("border_land_control-irregular_migration", "policy_area", "border_land_control", "",
     "Irregular migration", "Незаконная миграция", "Заңсыз көші-қон", ""),
    ("legal_entry_stay", "policy_area", None, "legal entry and stay",
     "Legal entry and stay", "Законный въезд и пребывание", "Заңды келу және болу", ""),
    ("legal_entry_stay-labour_migration", "policy_area", "legal_entry_stay", "",
     "Labour migration", "Трудовая миграция", "Еңбек көші-қоны",
     "Including the free movement of workers within the EAEU."),
    ("legal_entry_stay-family_reunification", "policy_area", "legal_entry_stay", "",
     "Family reunification", "Воссоединение семьи", "Отбасын біріктіру", ""),
    ("legal_entry_stay-study", "policy_area", "legal_entry_stay", "",
     "Study", "Обучение", "Оқу", ""),
    ("legal_entry_stay-residence_permits", "policy_area", "legal_entry_stay", "",
     "Residence permits", "Разрешения на проживание", "Тұруға рұқсат", ""),
    ("legal_entry_stay-asylum_international_protection", "policy_area", "legal_entry_stay", "",
     "Asylum and international protection", "Убежище и международная защита", "Баспана және халықаралық қорғау", ""),
    ("legal_entry_stay-statelessness", "policy_area", "legal_entry_stay", "",
     "Statelessness", "Безгражданство", "Азаматтығының болмауы", ""),
    ("integration", "policy_area", None, "integration",
     "Integration", "Интеграция", "Интеграция", ""),
    ("integration-rights_access_services", "policy_area", "integration", "",
     "Rights and access to services", "Права и доступ к услугам", "Құқықтар және қызметтерге қол жеткізу", ""),
    ("integration-anti_discrimination", "policy_area", "integration", "",
     "Anti-discrimination", "Противодействие дискриминации", "Кемсітушілікке қарсы іс-қимыл", ""),
    ("integration-citizenship", "policy_area", "integration", "",
     "Citizenship acquisition and loss", "Приобретение и утрата гражданства", "Азаматтықты алу және жоғалту", ""),
    ("integration-co_ethnic_repatriation", "policy_area", "integration", "",
     "Co-ethnic repatriation (kandas)", "Репатриация соотечественников (кандасы)", "Этникалық қандастардың оралуы (қандастар)",
     "Return and settlement of ethnic Kazakhs (formerly 'oralman', since 2020 'kandas')."),
    ("exit", "policy_area", None, "exit",
     "Exit", "Выезд", "Шығу", ""),
    ("exit-emigration_diaspora", "policy_area", "exit", "",
     "Emigration and diaspora", "Эмиграция и диаспора", "Эмиграция және диаспора", ""),
    ("exit-readmission", "policy_area", "exit", "",
     "Return, readmission and removal", "Возвращение, реадмиссия и выдворение", "Қайтару, реадмиссия және шығарып жіберу", ""),
    ("exit-reintegration", "policy_area", "exit", "",
     "Reintegration", "Реинтеграция", "Реинтеграция", ""),
    ("governance_institutions", "policy_area", None, "",
     "Governance and institutions", "Управление и институты", "Басқару және институттар",
     "Not a DEMIG area: covers DEMIG's contextual codes 'institutional capacities; action plan, strategy, "
     "report' (instruments that set strategy or create authorities and databases)."),
    # target groups: DEMIG's migrant-group list, verbatim, plus local sub-codes
    ("all_migrants", "target_group", None, "All migrants", "All migrants", "Все мигранты", "Барлық мигранттар", ""),
    ("all_migrant_workers", "target_group", None, "all migrant workers",
     "All migrant workers", "Все трудящиеся-мигранты", "Барлық еңбекші-мигранттар", ""),
    ("low_skilled_workers", "target_group", None, "low-skilled workers",
     "Low-skilled workers", "Низкоквалифицированные работники", "Біліктілігі төмен жұмыскерлер", ""),
    ("skilled_high_skilled_workers", "target_group", None, "skilled high-skilled workers",
     "Skilled and high-skilled workers", "Квалифицированные и высококвалифицированные работники",
     "Білікті және жоғары білікті жұмыскерлер", ""),
    ("family_members", "target_group", None, "family members",
     "Family members", "Члены семьи", "Отбасы мүшелері", ""),
    ("family_members_of_high_skilled", "target_group", None,
     "family members of high-skilled workers, investors, or students",
     "Family members of high-skilled workers, investors or students",
     "Члены семей высококвалифицированных работников, инвесторов или студентов",
     "Жоғары білікті жұмыскерлердің, инвесторлардың немесе студенттердің отбасы мүшелері", ""),
    ("family_members_of_irregular_or_refugees", "target_group", None,
     "family members of irregular migrants, or refugees, asylum seekers, and other vulnerable people",
     "Family members of irregular migrants, refugees, asylum seekers and other vulnerable people",
     "Члены семей незаконных мигрантов, беженцев, лиц, ищущих убежища, и других уязвимых лиц",
     "Заңсыз мигранттардың, босқындардың, баспана іздеушілердің және басқа да осал адамдардың отбасы мүшелері", ""),
    ("international_students", "target_group", None, "international students",
     "International students", "Иностранные студенты", "Шетелдік студенттер", ""),
    ("investors_entrepreneurs", "target_group", None, "investors, entrepreneurs, and business people",
     "Investors, entrepreneurs and business people", "Инвесторы, предприниматели и деловые люди",
     "Инвесторлар, кәсіпкерлер және іскер адамдар", ""),
    ("irregular_migrants", "target_group", None, "irregular migrants",
     "Irregular migrants", "Незаконные мигранты", "Заңсыз мигранттар", ""),
    ("refugees_asylum_seekers", "target_group", None, "refugees, asylum seekers, and other vulnerable people",
     "Refugees, asylum seekers and other vulnerable people", "Беженцы, лица, ищущие убежища, и другие уязвимые лица",
     "Босқындар, баспана іздеушілер және басқа да осал адамдар", ""),
    ("diaspora", "target_group", None, "members of the diaspora",
     "Members of the diaspora", "Представители диаспоры", "Диаспора өкілдері", ""),
    ("specific_categories", "target_group", None, "specific categories",
     "Specific categories", "Особые категории", "Ерекше санаттар", ""),
    ("workers_of_eaeu_member_states", "target_group", "all_migrant_workers", "all migrant workers",
     "Workers of EAEU member states", "Трудящиеся государств — членов ЕАЭС", "ЕАЭО-ға мүше мемлекеттердің еңбекшілері",
     "Nationals of Armenia, Belarus, Kazakhstan, Kyrgyzstan or Russia working in another member state."),
    ("highly_skilled_workers", "target_group", "skilled_high_skilled_workers", "skilled high-skilled workers",
     "Highly qualified workers", "Высококвалифицированные работники", "Жоғары білікті жұмыскерлер",
     "Third-country nationals in highly qualified employment (EU Blue Card)."),
    ("long_term_residents", "target_group", "specific_categories", "specific categories",
     "Long-term residents", "Долгосрочные резиденты", "Ұзақ мерзімді резиденттер",
     "Third-country nationals with long-term resident status in an EU member state."),
    ("beneficiaries_of_international_protection", "target_group", "refugees_asylum_seekers",
     "refugees, asylum seekers, and other vulnerable people",
     "Beneficiaries of international protection", "Лица, пользующиеся международной защитой",
     "Халықаралық қорғауды пайдаланушылар", ""),
    ("kandas_co_ethnics", "target_group", "specific_categories", "specific categories",
     "Kandas (ethnic Kazakh repatriates)", "Кандасы (этнические казахи-репатрианты)", "Қандастар (этникалық қазақ репатрианттары)",
     "Called 'oralman' until the 2020 amendments (Law No. 327-VI)."),
    ("stateless_persons", "target_group", "refugees_asylum_seekers",
     "refugees, asylum seekers, and other vulnerable people",
     "Stateless persons", "Лица без гражданства", "Азаматтығы жоқ адамдар", ""),
    ("persons_subject_to_readmission", "target_group", "irregular_migrants", "irregular migrants",
     "Persons subject to readmission", "Лица, подлежащие реадмиссии", "Реадмиссияға жататын адамдар",
     "Own nationals, third-country nationals and stateless persons staying without authorisation, as defined "
     "in readmission agreements."),
    # policy tools: DEMIG's tool list, verbatim
    ("readmission_agreements", "policy_tool", None, "readmission agreements",
     "Readmission agreements", "Соглашения о реадмиссии", "Реадмиссия туралы келісімдер", ""),
    ("free_mobility_rights_agreements", "policy_tool", None, "free mobility rights agreements",
     "Free mobility rights agreements", "Соглашения о праве свободного передвижения",
     "Еркін жүріп-тұру құқығы туралы келісімдер", ""),
    ("travel_visa", "policy_tool", None, "travel visa/permit",
     "Travel visa or permit", "Туристическая (въездная) виза или разрешение", "Сапар визасы немесе рұқсаты", ""),
    ("work_permit", "policy_tool", None, "work visa/permit",
     "Work visa or permit", "Рабочая виза или разрешение на работу", "Жұмыс визасы немесе жұмысқа рұқсат", ""),
    ("entry_visa", "policy_tool", None, "entry visa/stay permit",
     "Entry visa or stay permit", "Въездная виза или разрешение на пребывание", "Келу визасы немесе болуға рұқсат", ""),
    ("access_to_permanent_residency", "policy_tool", None, "access to permanent residency",
     "Access to permanent residency", "Доступ к постоянному проживанию", "Тұрақты тұруға қол жеткізу", ""),
    ("access_to_social_benefits", "policy_tool", None, "access to social benefits and socio-economic rights",
     "Access to social benefits and socio-economic rights", "Доступ к социальным льготам и социально-экономическим правам",
     "Әлеуметтік жәрдемақыларға және әлеуметтік-экономикалық құқықтарға қол жеткізу", ""),
    ("recruitment_programmes", "policy_tool", None, "recruitment/assisted migration programmes",
     "Recruitment and assisted migration programmes", "Программы набора и содействия миграции",
     "Жұмысқа тарту және көші-қонға жәрдемдесу бағдарламалары", ""),
    ("identification_documents", "policy_tool", None, "identification documents",
     "Identification documents", "Документы, удостоверяющие личность", "Жеке басты куәландыратын құжаттар", ""),
    ("expulsion", "policy_tool", None, "expulsion", "Expulsion", "Выдворение", "Шығарып жіберу", ""),
    ("action_plan_strategy_report", "policy_tool", None, "action plan, strategy, report",
     "Action plan, strategy, report", "План действий, стратегия, доклад", "Іс-қимыл жоспары, стратегия, баяндама",
     "A DEMIG contextual code, not assessed for restrictiveness."),
]


def build_subjects():
    out = []
    codes = set()
    for code, scheme, parent, demig, en, ru, kk, definition in SUBJECTS:
        require(parent is None or parent in codes, f"subject parent must come first: {code}")
        codes.add(code)
        out.append(record("instruments.subject", code, {
            "scheme": scheme, "parent": parent, "label_en": en, "label_ru": ru, "label_kk": kk,
            "demig_term": demig, "definition": definition,
        }))
        if demig and parent is None:
            BOOK.add("subject", code, "*", DEMIG_SOURCE, "verified",
                     note=f"DEMIG POLICY {scheme.replace('_', ' ')} term, verbatim: '{demig}'. Russian and Kazakh "
                          "labels are our unofficial translations.")
        else:
            rolls = f"rolls up to the DEMIG term '{demig}'" if demig else "no DEMIG term of its own"
            BOOK.add("subject", code, "*", DEMIG_SOURCE, "believed",
                     note=f"Local sub-code proposed in the project's research notes (research-dbs.md §4(a)); {rolls}. "
                          "Russian and Kazakh labels are our unofficial translations.")
    return out


# =========================================================================== instruments

EU_TITLE_RU_NOTE = "No official Russian or Kazakh text exists for EU acts (EU official languages only)."

# Curated mapping from facts.json. Keys per instrument:
#   facts: facts.json id; eli_path/kind/level/jurisdiction: as decided for the knowledge base;
#   short_title: en/ru/kk (ru/kk written by us); title_kind: kind of each title;
#   dates: ISO dates checked against the facts' text; subjects: vocabulary codes.
INSTRUMENTS = [
    {
        "id": "eaeu-treaty-2014", "facts": "eaeu_treaty_2014", "eli_path": "/eaeu/treaty/2014-05-29",
        "kind": "treaty", "level": "regional", "jurisdiction": "eaeu",
        "short_title": ("Treaty on the EAEU", "Договор о ЕАЭС", "ЕАЭО туралы шарт"),
        "title_kind": {"en": "unofficial", "ru": "official", "kk": "unofficial"},
        "date_adopted": ("date_signed", "2014-05-29"), "place": "place_signed",
        "entry_into_force": "2015-01-01",
        "subjects": ["legal_entry_stay-labour_migration", "workers_of_eaeu_member_states",
                     "free_mobility_rights_agreements"],
        "summary": (
            "Founding treaty of the Eurasian Economic Union, signed in Astana on 29 May 2014 by the Presidents of "
            "Belarus, Kazakhstan and Russia, and in force since 1 January 2015. Its Section XXVI (Labour Migration, "
            "Articles 96–98) governs labour migration between the member states, which since 1 January 2015 share a "
            "unified labour market. The member states are Armenia, Belarus, Kazakhstan, Kyrgyzstan and Russia.",
            "Учредительный договор Евразийского экономического союза, подписан в Астане 29 мая 2014 года президентами "
            "Беларуси, Казахстана и России, действует с 1 января 2015 года. Раздел XXVI («Трудовая миграция», статьи "
            "96–98) регулирует трудовую миграцию между государствами-членами, которые с 1 января 2015 года образуют "
            "единый рынок труда. Государства-члены: Армения, Беларусь, Казахстан, Кыргызстан и Россия.",
            "Еуразиялық экономикалық одақтың құрылтай шарты; оған 2014 жылғы 29 мамырда Астанада Беларусь, Қазақстан "
            "және Ресей президенттері қол қойған, 2015 жылғы 1 қаңтардан бастап күшінде. XXVI бөлім («Еңбек көші-қоны», "
            "96–98-баптар) мүше мемлекеттер арасындағы еңбек көші-қонын реттейді; олар 2015 жылғы 1 қаңтардан бері "
            "бірыңғай еңбек нарығын құрайды. Мүше мемлекеттер: Армения, Беларусь, Қазақстан, Қырғызстан және Ресей.",
        ),
        "summary_facts": ["date_signed", "entry_into_force", "section_XXVI", "unified_labour_market_from",
                          "member_states"],
    },
    {
        "id": "eu-dir-2003-86", "facts": "eu_dir_2003_86_EC", "eli_path": "/eu/dir/2003/86",
        "kind": "directive", "level": "regional", "jurisdiction": "eu",
        "short_title": ("Directive 2003/86/EC", "Директива 2003/86/EC", "2003/86/EC директивасы"),
        "date_adopted": ("date_adopted", "2003-09-22"), "entry_into_force": "2003-10-03",
        "eli_template": "dir/2003/86",
        "subjects": ["legal_entry_stay-family_reunification", "family_members", "entry_visa"],
        "summary": (
            "Council Directive of 22 September 2003 on the right to family reunification. It was published in "
            "OJ L 251 of 3 October 2003 and entered into force that day; Member States had to transpose it by "
            "3 October 2005. The sources consulted record no amendment or repeal.",
            "Директива Совета от 22 сентября 2003 года о праве на воссоединение семьи. Опубликована в OJ L 251 "
            "от 3 октября 2003 года и вступила в силу в тот же день; государства-члены должны были транспонировать её "
            "до 3 октября 2005 года. Изменения или отмена в использованных источниках не отмечены.",
            "Кеңестің 2003 жылғы 22 қыркүйектегі отбасын біріктіру құқығы туралы директивасы. 2003 жылғы 3 қазандағы "
            "OJ L 251-де жарияланып, сол күні күшіне енді; мүше мемлекеттер оны 2005 жылғы 3 қазанға дейін ұлттық "
            "заңнамаға енгізуге тиіс болды. Пайдаланылған дереккөздерде оған өзгеріс енгізілгені немесе күші "
            "жойылғаны көрсетілмеген.",
        ),
        "summary_facts": ["title_en", "oj_reference", "transposition_deadline", "status_nov_2026"],
    },
    {
        "id": "eu-dir-2003-109", "facts": "eu_dir_2003_109_EC", "eli_path": "/eu/dir/2003/109",
        "kind": "directive", "level": "regional", "jurisdiction": "eu",
        "short_title": ("Directive 2003/109/EC", "Директива 2003/109/EC", "2003/109/EC директивасы"),
        "date_adopted": ("date_adopted", "2003-11-25"), "entry_into_force": "2004-01-23",
        "eli_template": "dir/2003/109",
        "subjects": ["legal_entry_stay-residence_permits", "long_term_residents", "access_to_permanent_residency"],
        "summary": (
            "Council Directive of 25 November 2003 concerning the status of third-country nationals who are "
            "long-term residents, in force since its publication on 23 January 2004 (transposition deadline "
            "23 January 2006). Directive 2011/51/EU extended its scope to beneficiaries of international protection. "
            "A recast was proposed in 2022; its adoption was not found in the sources.",
            "Директива Совета от 25 ноября 2003 года о статусе граждан третьих стран, являющихся долгосрочными "
            "резидентами; действует с опубликования 23 января 2004 года (срок транспонирования — 23 января 2006 года). "
            "Директива 2011/51/EU распространила её действие на лиц, пользующихся международной защитой. В 2022 году "
            "предложена её переработанная редакция; принятие этой редакции в источниках не найдено.",
            "Кеңестің 2003 жылғы 25 қарашадағы ұзақ мерзімді резидент болып табылатын үшінші елдер азаматтарының "
            "мәртебесі туралы директивасы; 2004 жылғы 23 қаңтарда жарияланған күннен бастап күшінде (ұлттық заңнамаға "
            "енгізу мерзімі — 2006 жылғы 23 қаңтар). 2011/51/EU директивасы оның қолданылу аясын халықаралық қорғауды "
            "пайдаланушыларға кеңейтті. 2022 жылы оның қайта қаралған редакциясы ұсынылды; бұл редакцияның "
            "қабылданғаны дереккөздерде табылмады.",
        ),
        "summary_facts": ["title_en", "entry_into_force", "amended_by", "status_nov_2026"],
    },
    {
        "id": "eu-dir-2011-51", "facts": "eu_dir_2011_51_EU", "eli_path": "/eu/dir/2011/51",
        "kind": "directive", "level": "regional", "jurisdiction": "eu",
        "short_title": ("Directive 2011/51/EU", "Директива 2011/51/EU", "2011/51/EU директивасы"),
        "date_adopted": ("date_adopted", "2011-05-11"), "entry_into_force": "2011-05-20",
        "eli_template": "dir/2011/51",
        "subjects": ["legal_entry_stay-residence_permits", "legal_entry_stay-asylum_international_protection",
                     "beneficiaries_of_international_protection", "access_to_permanent_residency"],
        "summary": (
            "Directive of the European Parliament and of the Council of 11 May 2011 amending Directive 2003/109/EC "
            "to extend its scope to beneficiaries of international protection. It was published in OJ L 132 of "
            "19 May 2011 and entered into force on 20 May 2011; the transposition deadline was 20 May 2013.",
            "Директива Европейского парламента и Совета от 11 мая 2011 года, изменяющая Директиву 2003/109/EC, чтобы "
            "распространить её действие на лиц, пользующихся международной защитой. Опубликована в OJ L 132 от "
            "19 мая 2011 года, вступила в силу 20 мая 2011 года; срок транспонирования — 20 мая 2013 года.",
            "Еуропалық Парламент пен Кеңестің 2011 жылғы 11 мамырдағы 2003/109/EC директивасының қолданылу аясын "
            "халықаралық қорғауды пайдаланушыларға кеңейту үшін оған өзгеріс енгізетін директивасы. 2011 жылғы "
            "19 мамырдағы OJ L 132-де жарияланып, 2011 жылғы 20 мамырда күшіне енді; ұлттық заңнамаға енгізу "
            "мерзімі — 2013 жылғы 20 мамыр.",
        ),
        "summary_facts": ["title_en", "oj_reference", "entry_into_force", "transposition_deadline"],
    },
    {
        "id": "eu-dir-2009-50", "facts": "eu_dir_2009_50_EC", "eli_path": "/eu/dir/2009/50",
        "kind": "directive", "level": "regional", "jurisdiction": "eu",
        "short_title": ("Directive 2009/50/EC", "Директива 2009/50/EC", "2009/50/EC директивасы"),
        "title_kind": {"en": "official", "ru": "unofficial"},
        "date_adopted": ("date_adopted", "2009-05-25"), "entry_into_force": "2009-06-19",
        "end_of_validity": ("repeal_effective", "2023-11-18",
                            "EUR-Lex: 'No longer in force, Date of end of validity: 18/11/2023; Repealed by 32021L1883'."),
        "eli_template": "dir/2009/50",
        "subjects": ["legal_entry_stay-labour_migration", "highly_skilled_workers", "work_permit"],
        "summary": (
            "Council Directive of 25 May 2009 on the conditions of entry and residence of third-country nationals "
            "for the purposes of highly qualified employment (the first EU Blue Card directive). It entered into "
            "force on 19 June 2009; Directive (EU) 2021/1883 repealed it, and its validity ended on 18 November 2023.",
            "Директива Совета от 25 мая 2009 года об условиях въезда и проживания граждан третьих стран в целях "
            "высококвалифицированного трудоустройства (первая директива о «голубой карте» ЕС). Вступила в силу "
            "19 июня 2009 года; отменена Директивой (ЕС) 2021/1883, срок её действия истёк 18 ноября 2023 года.",
            "Кеңестің 2009 жылғы 25 мамырдағы үшінші елдер азаматтарының жоғары білікті жұмыс істеу мақсатында келуі "
            "мен тұруының шарттары туралы директивасы (ЕО-ның «көк картасы» туралы алғашқы директива). 2009 жылғы "
            "19 маусымда күшіне енді; (ЕО) 2021/1883 директивасы оның күшін жойды, ол 2023 жылғы 18 қарашада "
            "қолданылуын тоқтатты.",
        ),
        "summary_facts": ["title_en", "entry_into_force", "repealed_by", "repeal_effective"],
    },
    {
        "id": "eu-dir-2021-1883", "facts": "eu_dir_2021_1883", "eli_path": "/eu/dir/2021/1883",
        "kind": "directive", "level": "regional", "jurisdiction": "eu",
        "short_title": ("Directive (EU) 2021/1883", "Директива (ЕС) 2021/1883", "(ЕО) 2021/1883 директивасы"),
        "title_kind": {"en": "official", "ru": "unofficial"},
        "date_adopted": ("date_adopted", "2021-10-20"), "entry_into_force": "2021-11-17",
        "eli_template": "dir/2021/1883",
        "subjects": ["legal_entry_stay-labour_migration", "highly_skilled_workers", "work_permit"],
        "summary": (
            "Directive of the European Parliament and of the Council of 20 October 2021 on the conditions of entry "
            "and residence of third-country nationals for the purpose of highly qualified employment (the new EU "
            "Blue Card directive). It entered into force on 17 November 2021 with a transposition deadline of "
            "18 November 2023, and repealed Directive 2009/50/EC with effect from 19 November 2023.",
            "Директива Европейского парламента и Совета от 20 октября 2021 года об условиях въезда и проживания "
            "граждан третьих стран с целью высококвалифицированного трудоустройства (новая директива о «голубой "
            "карте» ЕС). Вступила в силу 17 ноября 2021 года, срок транспонирования — 18 ноября 2023 года; с "
            "19 ноября 2023 года отменила Директиву 2009/50/EC.",
            "Еуропалық Парламент пен Кеңестің 2021 жылғы 20 қазандағы үшінші елдер азаматтарының жоғары білікті "
            "жұмыс істеу мақсатында келуі мен тұруының шарттары туралы директивасы (ЕО-ның «көк картасы» туралы жаңа "
            "директива). 2021 жылғы 17 қарашада күшіне енді, ұлттық заңнамаға енгізу мерзімі — 2023 жылғы 18 қараша; "
            "2023 жылғы 19 қарашадан бастап 2009/50/EC директивасының күшін жойды.",
        ),
        "summary_facts": ["title_en", "entry_into_force", "transposition_deadline"],
    },
    {
        "id": "eu-dir-2011-98", "facts": "eu_dir_2011_98_EU", "eli_path": "/eu/dir/2011/98",
        "kind": "directive", "level": "regional", "jurisdiction": "eu",
        "short_title": ("Directive 2011/98/EU", "Директива 2011/98/EU", "2011/98/EU директивасы"),
        "date_adopted": ("date_adopted", "2011-12-13"), "entry_into_force": "2011-12-24",
        "end_of_validity": ("repeal_effective", "2026-05-21",
                            "EU Monitor: 'End of validity 21-05-2026; Repealed by 32024L1233'."),
        "eli_template": "dir/2011/98",
        "subjects": ["legal_entry_stay-labour_migration", "legal_entry_stay-residence_permits",
                     "all_migrant_workers", "work_permit", "access_to_social_benefits"],
        "summary": (
            "Directive of the European Parliament and of the Council of 13 December 2011 on a single application "
            "procedure for a single permit for third-country nationals to reside and work in a Member State, and on "
            "a common set of rights for third-country workers legally residing there. It entered into force on "
            "24 December 2011; Directive (EU) 2024/1233 recast and repealed it, and its validity ended on 21 May 2026.",
            "Директива Европейского парламента и Совета от 13 декабря 2011 года о единой процедуре подачи заявления "
            "на единое разрешение на проживание и работу граждан третьих стран в государстве-члене и об общем наборе "
            "прав трудящихся из третьих стран, законно проживающих в нём. Вступила в силу 24 декабря 2011 года; "
            "Директива (ЕС) 2024/1233 переработала и отменила её, срок её действия истёк 21 мая 2026 года.",
            "Еуропалық Парламент пен Кеңестің 2011 жылғы 13 желтоқсандағы үшінші елдер азаматтарының мүше мемлекетте "
            "тұруына және жұмыс істеуіне бірыңғай рұқсат алуға өтініш берудің бірыңғай рәсімі және онда заңды түрде "
            "тұратын үшінші елдер жұмыскерлерінің ортақ құқықтары туралы директивасы. 2011 жылғы 24 желтоқсанда "
            "күшіне енді; (ЕО) 2024/1233 директивасы оны қайта қарап, күшін жойды, ол 2026 жылғы 21 мамырда "
            "қолданылуын тоқтатты.",
        ),
        "summary_facts": ["title_en", "entry_into_force", "repealed_by", "repeal_effective"],
    },
    {
        "id": "eu-dir-2024-1233", "facts": "eu_dir_2024_1233", "eli_path": "/eu/dir/2024/1233",
        "kind": "directive", "level": "regional", "jurisdiction": "eu",
        "short_title": ("Directive (EU) 2024/1233", "Директива (ЕС) 2024/1233", "(ЕО) 2024/1233 директивасы"),
        "date_adopted": ("date_adopted", "2024-04-24"), "entry_into_force": "2024-05-20",
        "eli_verified": "http://data.europa.eu/eli/dir/2024/1233/oj",
        "subjects": ["legal_entry_stay-labour_migration", "legal_entry_stay-residence_permits",
                     "all_migrant_workers", "work_permit", "access_to_social_benefits"],
        "summary": (
            "Recast of the single permit directive, adopted by the European Parliament and the Council on "
            "24 April 2024. It entered into force on 20 May 2024 with a transposition deadline of 21 May 2026, "
            "and repealed Directive 2011/98/EU with effect from 22 May 2026.",
            "Переработанная редакция директивы о едином разрешении, принятая Европейским парламентом и Советом "
            "24 апреля 2024 года. Вступила в силу 20 мая 2024 года, срок транспонирования — 21 мая 2026 года; с "
            "22 мая 2026 года отменила Директиву 2011/98/EU.",
            "Бірыңғай рұқсат туралы директиваның Еуропалық Парламент пен Кеңес 2024 жылғы 24 сәуірде қабылдаған "
            "қайта қаралған редакциясы. 2024 жылғы 20 мамырда күшіне енді, ұлттық заңнамаға енгізу мерзімі — "
            "2026 жылғы 21 мамыр; 2026 жылғы 22 мамырдан бастап 2011/98/EU директивасының күшін жойды.",
        ),
        "summary_facts": ["title_en", "entry_into_force", "transposition_deadline"],
    },
    {
        "id": "eu-reg-2001-539", "facts": "eu_reg_539_2001", "eli_path": "/eu/reg/2001/539",
        "kind": "regulation", "level": "regional", "jurisdiction": "eu",
        "short_title": ("Regulation (EC) No 539/2001", "Регламент (ЕС) № 539/2001", "(EC) № 539/2001 регламенті"),
        "date_adopted": ("date_adopted", "2001-03-15"),
        # believed: computed in the research from publication (21.3.2001) + 20 days, not seen in a source
        "entry_into_force": "2001-04-10",
        "eli_template": "reg/2001/539",
        "subjects": ["border_land_control-visas", "travel_visa"],
        "summary": (
            "Council Regulation of 15 March 2001 listing the third countries whose nationals must be in possession "
            "of visas when crossing the EU's external borders and those whose nationals are exempt from that "
            "requirement. It was published in OJ L 81 of 21 March 2001. Regulation (EU) 2018/1806 codified and "
            "repealed it (with effect from 18 December 2018, believed).",
            "Регламент Совета от 15 марта 2001 года, устанавливающий перечень третьих стран, граждане которых должны "
            "иметь визы при пересечении внешних границ ЕС, и стран, граждане которых освобождены от этого требования. "
            "Опубликован в OJ L 81 от 21 марта 2001 года. Регламент (ЕС) 2018/1806 кодифицировал и отменил его "
            "(с 18 декабря 2018 года; дата не подтверждена источником).",
            "Кеңестің 2001 жылғы 15 наурыздағы ЕО-ның сыртқы шекараларын кесіп өткенде азаматтарында виза болуы "
            "тиіс үшінші елдердің және азаматтары бұл талаптан босатылған елдердің тізбесін белгілейтін регламенті. "
            "2001 жылғы 21 наурыздағы OJ L 81-де жарияланды. (ЕО) 2018/1806 регламенті оны кодификациялап, күшін "
            "жойды (2018 жылғы 18 желтоқсаннан бастап; күні дереккөзде расталмаған).",
        ),
        "summary_facts": ["title_en", "oj_reference", "repealed_by"],
    },
    {
        "id": "eu-reg-2018-1806", "facts": "eu_reg_2018_1806", "eli_path": "/eu/reg/2018/1806",
        "kind": "regulation", "level": "regional", "jurisdiction": "eu",
        "short_title": ("Regulation (EU) 2018/1806", "Регламент (ЕС) 2018/1806", "(ЕО) 2018/1806 регламенті"),
        "date_adopted": ("date_adopted", "2018-11-14"),
        # believed: publication (28.11.2018) + 20 days, see the note on 539/2001's repeal
        "entry_into_force": "2018-12-18",
        "eli_template": "reg/2018/1806",
        "subjects": ["border_land_control-visas", "travel_visa"],
        "summary": (
            "Regulation of the European Parliament and of the Council of 14 November 2018 listing the third "
            "countries whose nationals must be in possession of visas when crossing the EU's external borders and "
            "those whose nationals are exempt (codification). It codified and repealed Regulation (EC) No 539/2001 "
            "and has itself been amended several times (e.g. 2019/592, 2023/222, 2023/850, 2024/2059).",
            "Регламент Европейского парламента и Совета от 14 ноября 2018 года, устанавливающий перечень третьих "
            "стран, граждане которых должны иметь визы при пересечении внешних границ ЕС, и стран, граждане которых "
            "от этого освобождены (кодификация). Кодифицировал и отменил Регламент (ЕС) № 539/2001; сам неоднократно "
            "изменялся (например, 2019/592, 2023/222, 2023/850, 2024/2059).",
            "Еуропалық Парламент пен Кеңестің 2018 жылғы 14 қарашадағы ЕО-ның сыртқы шекараларын кесіп өткенде "
            "азаматтарында виза болуы тиіс үшінші елдердің және азаматтары одан босатылған елдердің тізбесін "
            "белгілейтін регламенті (кодификация). (EC) № 539/2001 регламентін кодификациялап, күшін жойды; өзіне "
            "бірнеше рет өзгерістер енгізілген (мысалы, 2019/592, 2023/222, 2023/850, 2024/2059).",
        ),
        "summary_facts": ["title_en", "status_nov_2026"],
    },
    {
        "id": "kz-zakon-2020-327-vi", "facts": "kz_law_327_VI_2020", "eli_path": "/kz/zakon/2020/327-vi",
        "kind": "law", "level": "national", "jurisdiction": "kz",
        "short_title": ("Law No. 327-VI", "Закон № 327-VI", "№ 327-VI Заң"),
        "title_kind": {"en": "unofficial", "ru": "official", "kk": "official"},
        "number": "327-VI",
        "date_adopted": ("date_adopted", "2020-05-13"), "entry_into_force": None,
        "adilet_not_found": "No Adilet code for this law was seen in the sources consulted (a code could be derived "
                            "from Adilet's pattern, but that would be a guess).",
        "subjects": ["legal_entry_stay", "integration-co_ethnic_repatriation", "kandas_co_ethnics"],
        "summary": (
            "Law of the Republic of Kazakhstan of 13 May 2020 No. 327-VI amending several legislative acts on the "
            "regulation of migration processes. Among other changes it replaced the term 'oralman' with 'kandas' "
            "throughout the migration legislation.",
            "Закон Республики Казахстан от 13 мая 2020 года № 327-VI о внесении изменений и дополнений в некоторые "
            "законодательные акты по вопросам регулирования миграционных процессов. Среди прочих изменений он "
            "заменил во всём миграционном законодательстве термин «оралман» термином «кандас».",
            "Қазақстан Республикасының 2020 жылғы 13 мамырдағы көші-қон процестерін реттеу мәселелері бойынша кейбір "
            "заңнамалық актілерге өзгерістер мен толықтырулар енгізу туралы № 327-VI Заңы. Басқа өзгерістермен қатар "
            "ол бүкіл көші-қон заңнамасында «оралман» терминін «қандас» терминімен ауыстырды.",
        ),
        "summary_facts": ["date_adopted", "key_content"],
    },
    {
        "id": "kz-pp-2022-961", "facts": "kz_gov_resolution_961_2022", "eli_path": "/kz/pp/2022/961",
        "kind": "government_resolution", "level": "national", "jurisdiction": "kz",
        "short_title": ("Resolution No. 961", "Постановление № 961", "№ 961 қаулы"),
        "title_kind": {"en": "unofficial", "ru": "official", "kk": "official"},
        "date_adopted": ("date_adopted", "2022-11-30"), "entry_into_force": None,
        "subjects": ["governance_institutions", "legal_entry_stay-labour_migration",
                     "border_land_control-irregular_migration", "action_plan_strategy_report"],
        "summary": (
            "Resolution of the Government of the Republic of Kazakhstan of 30 November 2022 No. 961 approving the "
            "Concept of Migration Policy of the Republic of Kazakhstan for 2023–2027; control over it lies with the "
            "Ministry of Labour and Social Protection of the Population. The article dates it both 30 November and "
            "30 December 2022; the official date is 30 November 2022. In December 2025 the Government adopted a "
            "Concept of Migration Policy until 2030.",
            "Постановление Правительства Республики Казахстан от 30 ноября 2022 года № 961 об утверждении Концепции "
            "миграционной политики Республики Казахстан на 2023–2027 годы; контроль возложен на Министерство труда и "
            "социальной защиты населения. В статье оно датировано и 30 ноября, и 30 декабря 2022 года; официальная "
            "дата — 30 ноября 2022 года. В декабре 2025 года Правительство приняло Концепцию миграционной политики "
            "до 2030 года.",
            "Қазақстан Республикасы Үкіметінің 2022 жылғы 30 қарашадағы Қазақстан Республикасы көші-қон саясатының "
            "2023–2027 жылдарға арналған тұжырымдамасын бекіту туралы № 961 қаулысы; бақылау Еңбек және халықты "
            "әлеуметтік қорғау министрлігіне жүктелген. Мақалада ол 2022 жылғы 30 қараша деп те, 30 желтоқсан деп те "
            "көрсетілген; ресми күні — 2022 жылғы 30 қараша. 2025 жылғы желтоқсанда Үкімет 2030 жылға дейінгі "
            "көші-қон саясатының тұжырымдамасын қабылдады.",
        ),
        "summary_facts": ["date_adopted", "controlling_body", "status_nov_2026"],
    },
    {
        "id": "cis-agreement-1994-04-15", "facts": "cis_agreement_labour_migration_1994",
        "eli_path": "/cis/agreement/1994-04-15", "kind": "agreement", "level": "regional", "jurisdiction": "cis",
        "short_title": ("CIS Agreement on Labour Migration (1994)", "Соглашение СНГ о трудовой миграции (1994)",
                        "ТМД-ның еңбек көші-қоны туралы келісімі (1994)"),
        "title_kind": {"en": "unofficial", "ru": "official"},
        "date_adopted": ("date_signed", "1994-04-15"), "place": "place_signed", "entry_into_force": None,
        "subjects": ["legal_entry_stay-labour_migration", "all_migrant_workers", "access_to_social_benefits"],
        "summary": (
            "Agreement of the CIS member states of 15 April 1994 on cooperation in the field of labour migration "
            "and social protection of migrant workers. It was amended by the Protocol of 25 November 2005, in force "
            "since 15 December 2006 (for Kazakhstan since 11 January 2008). The article states that it remains in "
            "effect within the territory of the EAEU.",
            "Соглашение государств — участников СНГ от 15 апреля 1994 года о сотрудничестве в области трудовой "
            "миграции и социальной защиты трудящихся-мигрантов. Изменено Протоколом от 25 ноября 2005 года, "
            "действующим с 15 декабря 2006 года (для Казахстана — с 11 января 2008 года). По словам статьи, "
            "соглашение продолжает действовать на территории ЕАЭС.",
            "ТМД-ға қатысушы мемлекеттердің 1994 жылғы 15 сәуірдегі еңбек көші-қоны және еңбекші-мигранттарды "
            "әлеуметтік қорғау саласындағы ынтымақтастық туралы келісімі. Оған 2006 жылғы 15 желтоқсаннан бастап "
            "(Қазақстан үшін 2008 жылғы 11 қаңтардан бастап) күшінде болатын 2005 жылғы 25 қарашадағы Хаттамамен "
            "өзгерістер енгізілген. Мақалада келісім ЕАЭО аумағында күшінде қалады делінген.",
        ),
        "summary_facts": ["title_en", "date_signed", "amended_by", "cited_in_article"],
    },
    {
        "id": "cis-protocol-2005-11-25", "facts": None,
        "eli_path": "/cis/protocol/2005-11-25", "kind": "protocol", "level": "regional", "jurisdiction": "cis",
        "short_title": ("Protocol of 25 November 2005 to the CIS Agreement on Labour Migration",
                        "Протокол от 25 ноября 2005 года к Соглашению СНГ о трудовой миграции",
                        "ТМД-ның еңбек көші-қоны туралы келісіміне 2005 жылғы 25 қарашадағы хаттама"),
        "subjects": ["legal_entry_stay-labour_migration", "all_migrant_workers", "access_to_social_benefits"],
        "summary": (
            "Protocol of 25 November 2005, signed in Moscow, amending and supplementing the CIS Agreement of "
            "15 April 1994 on cooperation in the field of labour migration and social protection of migrant workers. "
            "It has been in force since 15 December 2006, and for Kazakhstan since 11 January 2008; Kazakhstan "
            "ratified it by Law of 19 December 2007 No. 12-IV.",
            "Протокол от 25 ноября 2005 года, подписанный в Москве, о внесении изменений и дополнений в Соглашение "
            "СНГ от 15 апреля 1994 года о сотрудничестве в области трудовой миграции и социальной защиты "
            "трудящихся-мигрантов. Действует с 15 декабря 2006 года, для Казахстана — с 11 января 2008 года; "
            "Казахстан ратифицировал его Законом от 19 декабря 2007 года № 12-IV.",
            "1994 жылғы 15 сәуірдегі еңбек көші-қоны және еңбекші-мигранттарды әлеуметтік қорғау саласындағы "
            "ынтымақтастық туралы ТМД келісіміне өзгерістер мен толықтырулар енгізу туралы 2005 жылғы 25 қарашада "
            "Мәскеуде қол қойылған хаттама. 2006 жылғы 15 желтоқсаннан бастап, Қазақстан үшін 2008 жылғы 11 қаңтардан "
            "бастап күшінде; Қазақстан оны 2007 жылғы 19 желтоқсандағы № 12-IV Заңмен ратификациялады.",
        ),
    },
    {
        "id": "kz-address-2012-kazakhstan-2050", "facts": "kz_strategy_2050_address",
        "eli_path": "/kz/address/2012/kazakhstan-2050", "kind": "policy_address", "level": "national",
        "jurisdiction": "kz",
        "short_title": ("Strategy “Kazakhstan-2050”", "Стратегия «Казахстан-2050»", "«Қазақстан-2050» стратегиясы"),
        "title_kind": {"en": "unofficial", "ru": "official", "kk": "official"},
        "subjects": ["governance_institutions", "action_plan_strategy_report"],
        "summary": (
            "Address of President N.A. Nazarbayev to the people of Kazakhstan, 'Strategy \"Kazakhstan-2050\": New "
            "political course of the established state', delivered in 2012. It is a policy document, not a "
            "normative legal act; its key goal is for Kazakhstan to join the 30 most developed countries of the "
            "world by 2050.",
            "Послание Президента Н.А. Назарбаева народу Казахстана «Стратегия «Казахстан-2050»: новый политический "
            "курс состоявшегося государства», 2012 год. Это программный документ, а не нормативный правовой акт; его "
            "ключевая цель — вхождение Казахстана в число 30 наиболее развитых стран мира к 2050 году.",
            "Президент Н.Ә. Назарбаевтың Қазақстан халқына «Қазақстан-2050» стратегиясы: қалыптасқан мемлекеттің жаңа "
            "саяси бағыты» атты Жолдауы, 2012 жыл. Бұл нормативтік құқықтық акт емес, саяси құжат; оның басты мақсаты — "
            "2050 жылға қарай Қазақстанның әлемдегі ең дамыған 30 елдің қатарына кіруі.",
        ),
        "summary_facts": ["title_en", "type", "key_goal"],
    },
]

NUMBER_CURATION = {  # facts' number text -> the official number we store
    "327-VI (ЗРК)": "327-VI",
}

INSTRUMENT_FIELDS_DEFAULTS = {
    "issuing_body": "", "number": "", "celex": "", "eli": "", "adilet_code": "",
    "short_title_en": "", "short_title_ru": "", "short_title_kk": "",
    "title_en": "", "title_en_kind": "", "title_ru": "", "title_ru_kind": "", "title_kk": "", "title_kk_kind": "",
    "date_adopted": None, "date_adopted_precision": "unknown", "place_adopted": "",
    "date_published": None, "date_published_precision": "unknown", "publication_reference": "",
    "transposition_deadline": None, "entry_into_force": None, "entry_into_force_precision": "unknown",
    "end_of_validity": None, "end_of_validity_precision": "unknown",
    "summary_en": "", "summary_ru": "", "summary_kk": "", "status_note": "", "cited_in_article": False,
    "subjects": [], "is_synthetic": False, "updated_at": DATA_AS_OF,
}

CIS_FACTS = FACT_INSTRUMENTS["cis_agreement_labour_migration_1994"]
PROTOCOL_URL = CIS_FACTS["amended_by"]["source"][0]


def instrument_sources(facts):
    """The URLs that support an instrument's identity (title, number, CELEX), most specific first."""
    urls = []
    for key in ("title_en", "number", "celex", "date_adopted", "date_signed", "type"):
        for url in (facts.get(key) or {}).get("source", []) or []:
            if url not in urls:
                urls.append(url)
    return urls


def build_instruments():
    instruments, texts, provisions, relationships = [], [], [], []
    for spec in INSTRUMENTS:
        iid = spec["id"]
        fields = dict(INSTRUMENT_FIELDS_DEFAULTS)
        fields.update({"eli_path": spec["eli_path"], "kind": spec["kind"], "level": spec["level"],
                       "jurisdiction": spec["jurisdiction"]})
        fields["short_title_en"], fields["short_title_ru"], fields["short_title_kk"] = spec["short_title"]
        fields["summary_en"], fields["summary_ru"], fields["summary_kk"] = spec["summary"]
        fields["subjects"] = sorted(spec["subjects"])
        if spec["facts"] is None:
            build_protocol(fields)
        else:
            fill_from_facts(spec, fields)
        instruments.append(record("instruments.instrument", iid, fields))
        texts.extend(build_official_texts(iid, fields))
    provisions.extend(build_provisions())
    relationships.extend(build_relationships())
    return instruments + texts + provisions + relationships


def fill_from_facts(spec, fields):
    iid = spec["id"]
    facts = FACT_INSTRUMENTS[spec["facts"]]
    primary = instrument_sources(facts)
    fallback = SOURCES.for_url(primary[0]) if primary else RESEARCH_NOTES
    title_kind = spec.get("title_kind", {"en": "official"})

    # titles
    for lang in ("en", "ru", "kk"):
        fact = facts.get(f"title_{lang}")
        if fact is None:
            continue
        value = fact["value"]
        if value:
            value = re.sub(r"\s*\((unofficial|unofficial translation)\)$", "", value)
            fields[f"title_{lang}"] = value
            fields[f"title_{lang}_kind"] = title_kind[lang]
            note = fact.get("note", "")
            if title_kind[lang] == "unofficial":
                note = (note + " " if note else "") + "Unofficial translation."
            BOOK.fact("instrument", iid, f"title_{lang}", fact, note=note.strip(), fallback_source=fallback)
        else:
            require(fact["confidence"] == "not_found", f"{iid}: empty title_{lang} must be not_found")
            langs = ("ru", "kk") if lang == "ru" and spec["jurisdiction"] == "eu" else (lang,)
            for code in langs:
                BOOK.add("instrument", iid, f"title_{code}", fallback, "not_found", note=fact.get("note", ""))

    # number and identifiers
    number = facts.get("number")
    if number and number["value"]:
        fields["number"] = spec.get("number") or NUMBER_CURATION.get(number["value"], number["value"])
        BOOK.fact("instrument", iid, "number", number)
    elif number:
        BOOK.fact("instrument", iid, "number", number, note=number.get("note", ""))
    celex = facts.get("celex")
    if celex:
        fields["celex"] = celex["value"]
        BOOK.fact("instrument", iid, "celex", celex)
    adilet = facts.get("adilet_code")
    if adilet:
        fields["adilet_code"] = adilet["value"]
        BOOK.fact("instrument", iid, "adilet_code", adilet)
    if spec.get("adilet_not_found"):
        BOOK.add("instrument", iid, "adilet_code", fallback, "not_found", note=spec["adilet_not_found"])
    if spec.get("eli_verified"):
        require(spec["eli_verified"] in facts["oj_reference"]["value"], f"{iid}: ELI not in the facts")
        fields["eli"] = spec["eli_verified"]
        BOOK.fact("instrument", iid, "eli", facts["oj_reference"])
    elif spec.get("eli_template"):
        fields["eli"] = f"http://data.europa.eu/eli/{spec['eli_template']}/oj"
        BOOK.add("instrument", iid, "eli", RESEARCH_NOTES, "believed",
                 note="Built with the Publications Office's ELI template (http://data.europa.eu/eli/{type}/{year}/"
                      "{number}/oj); not seen literally in a source.")

    # kind and issuing body
    if facts.get("type"):
        BOOK.fact("instrument", iid, "kind", facts["type"], note=f"Source says: {facts['type']['value']}")
    if facts.get("issuing_body"):
        body = facts["issuing_body"]
        # the research's asides stay in the provenance note, not in the field
        fields["issuing_body"] = re.sub(r" \((not the Council of Europe|ordinary legislative procedure)\)$", "",
                                        body["value"])
        note = body.get("note", "")
        if fields["issuing_body"] != body["value"]:
            note = f"Source says: {body['value']}. {note}".strip()
        BOOK.fact("instrument", iid, "issuing_body", body, fallback_source=fallback, note=note)

    # dates
    if spec.get("date_adopted"):
        key, expected = spec["date_adopted"]
        fields["date_adopted"] = fact_date(facts[key], expected, f"{iid}.{key}")
        fields["date_adopted_precision"] = "day"
        BOOK.fact("instrument", iid, "date_adopted", facts[key])
    if spec["id"] == "kz-address-2012-kazakhstan-2050":
        fact = facts["date"]
        require(fact["value"].startswith("2012-"), "Kazakhstan-2050 year changed")
        fields["date_adopted"], fields["date_adopted_precision"] = "2012-01-01", "year"
        fields["place_adopted"] = "Astana"
        for url in fact["source"]:
            BOOK.add("instrument", iid, "date_adopted", SOURCES.for_url(url), "verified",
                     note="Year 2012 verified. The exact day (14 December 2012) is believed, not seen in a source, so "
                          "the date is stored to the year.")
            BOOK.add("instrument", iid, "place_adopted", SOURCES.for_url(url), "verified",
                     note="Research notes: 'Year 2012 (Astana) verified'.")
        BOOK.add("instrument", iid, "entry_into_force", SOURCES.for_url(facts["type"]["source"][0]), "not_found",
                 note="A presidential address is a policy document, not a normative legal act; it has no entry into force.")
    if spec.get("place"):
        fact = facts[spec["place"]]
        fields["place_adopted"] = fact["value"]
        BOOK.fact("instrument", iid, "place_adopted", fact, fallback_source=fallback)
    oj = facts.get("oj_reference")
    if oj:
        reference = oj["value"].split(" (ELI")[0]
        fields["publication_reference"] = reference
        fields["date_published"], fields["date_published_precision"] = oj_date(reference), "day"
        BOOK.fact("instrument", iid, "publication_reference", oj)
        BOOK.fact("instrument", iid, "date_published", oj, note="Date of the Official Journal issue in the reference.")
    deadline = facts.get("transposition_deadline")
    if deadline:
        fields["transposition_deadline"] = deadline["value"][:10]
        fact_date(deadline, deadline["value"][:10], f"{iid}.transposition_deadline")
        BOOK.fact("instrument", iid, "transposition_deadline", deadline,
                  note=f"Source says: {deadline['value']}. " + deadline.get("note", ""))
    eif_fact = facts.get("entry_into_force")
    if "entry_into_force" in spec:
        expected = spec["entry_into_force"]
        if expected:
            fields["entry_into_force"] = fact_date(eif_fact, expected, f"{iid}.entry_into_force")
            fields["entry_into_force_precision"] = "day"
            note = eif_fact.get("note", "")
            if eif_fact["value"] != expected:
                note = f"Source says: {eif_fact['value']}. {note}".strip()
            BOOK.fact("instrument", iid, "entry_into_force", eif_fact, note=note)
        else:
            # unknown: keep it empty; say whether nothing was found or only a vague statement
            BOOK.fact("instrument", iid, "entry_into_force", eif_fact,
                      note=(f"Not stored: {eif_fact['value']}. " if eif_fact.get("value") else "")
                      + eif_fact.get("note", ""), fallback_source=fallback)
    if spec.get("end_of_validity"):
        key, expected, quote_note = spec["end_of_validity"]
        fact = facts[key]
        require(expected in fact["value"].replace("18/11/2023", "2023-11-18").replace("21-05-2026", "2026-05-21"),
                f"{iid}: end of validity not in the facts")
        fields["end_of_validity"], fields["end_of_validity_precision"] = expected, "day"
        BOOK.fact("instrument", iid, "end_of_validity", fact, note=quote_note)

    # status words and citation in the article
    status = facts.get("status_nov_2026")
    if status:
        fields["status_note"] = status["value"]
        BOOK.fact("instrument", iid, "status_note", status, fallback_source=fallback)
    cited = facts["cited_in_article"]
    fields["cited_in_article"] = bool(cited["value"])
    if cited["value"]:
        BOOK.fact("instrument", iid, "cited_in_article", cited)
        for n in facts.get("article_reference_numbers", {}).get("value", []) or []:
            BOOK.add("instrument", iid, "cited_in_article", f"ref-{n:02d}", "article",
                     locator=f"References [{n}]", quote=REFERENCES[n]["citation"],
                     note="The article's reference list cites it.")
            SOURCES.support(f"ref-{n:02d}", iid)
    else:
        BOOK.add("instrument", iid, "cited_in_article", ARTICLE_SOURCE, "not_found", note=cited.get("note", ""))

    # summaries and subject coding: editorial, grounded in the facts' sources
    summary_urls = []
    for key in spec.get("summary_facts", []):
        for url in (facts.get(key) or {}).get("source", []) or []:
            if url not in summary_urls:
                summary_urls.append(url)
    for key in ("summary_en", "summary_ru", "summary_kk"):
        for url in summary_urls:
            BOOK.add("instrument", iid, key, SOURCES.for_url(url), "verified", note=EDITORIAL_NOTE)
        if "cited_in_article" in spec.get("summary_facts", []) and cited.get("article_quote"):
            BOOK.add("instrument", iid, key, ARTICLE_SOURCE, "article", quote=cited["article_quote"],
                     note=EDITORIAL_NOTE)
    for url in primary[:2]:
        BOOK.add("instrument", iid, "subjects", SOURCES.for_url(url), "verified",
                 note="Editorial subject coding (DEMIG-based vocabulary) from the instrument's verified title and content.")
    # the instrument as a whole: its identity rests on its primary sources
    for url in primary[:1]:
        BOOK.add("instrument", iid, "*", SOURCES.for_url(url), "verified",
                 note="Primary source for the instrument's identity (title, number, date).")


def build_protocol(fields):
    """The 2005 amending Protocol, known from the CIS agreement's 'amended_by' fact."""
    iid = "cis-protocol-2005-11-25"
    fact = CIS_FACTS["amended_by"]
    text = fact["value"]
    for needle in ("25 Nov 2005", "Moscow", "in force 15 Dec 2006", "11 Jan 2008", "No. 12-IV"):
        require(needle in text, f"protocol fact changed: {needle}")
    src = SOURCES.for_url(PROTOCOL_URL)
    fields.update({
        "title_en": "Protocol on Amendments and Additions to the Agreement on Cooperation in the Field of Labour "
                    "Migration and Social Protection of Migrant Workers of 15 April 1994",
        "title_en_kind": "unofficial",
        "title_ru": "Протокол о внесении изменений и дополнений в Соглашение о сотрудничестве в области трудовой "
                    "миграции и социальной защиты трудящихся-мигрантов от 15 апреля 1994 года",
        "title_ru_kind": "official",
        "issuing_body": "Signatories: " + ", ".join(CIS_FACTS["parties_protocol_2005"]["value"]),
        "date_adopted": "2005-11-25", "date_adopted_precision": "day", "place_adopted": "Moscow",
        "entry_into_force": "2006-12-15", "entry_into_force_precision": "day",
        "status_note": "in force 15 Dec 2006; for Kazakhstan 11 Jan 2008; ratified by Kazakhstan by Law of "
                       "19 Dec 2007 No. 12-IV",
        "cited_in_article": False,
    })
    said = f"Source says: {text}"
    BOOK.add("instrument", iid, "*", src, "verified", note=said)
    BOOK.add("instrument", iid, "title_en", src, "verified",
             note="English title as rendered on the zakonpravo.kz page of Kazakhstan's ratification law; unofficial translation.")
    BOOK.add("instrument", iid, "title_ru", src, "believed",
             note="Russian title reconstructed from the transliterated Russian address of the ratification law "
                  "('protokola-o-vnesenii-izmeneniy-i-dopolneniy-v-soglashenie-o-sotrudnichestve-v-oblasti-trudovoy-"
                  "migratsii-i-sotsialnoy-zashity-trudyashihsya-migrantov-ot-15-aprelya-1994-goda'); not seen as text.")
    for field in ("date_adopted", "place_adopted", "entry_into_force", "status_note"):
        BOOK.add("instrument", iid, field, src, "verified", note=said)
    BOOK.add("instrument", iid, "issuing_body", src, "verified", note=CIS_FACTS["parties_protocol_2005"]["note"])
    BOOK.add("instrument", iid, "kind", src, "verified", note="A protocol amending a CIS agreement.")
    BOOK.add("instrument", iid, "cited_in_article", ARTICLE_SOURCE, "not_found",
             note="Not cited; the article names only the 1994 Agreement, without a date.")
    for key in ("summary_en", "summary_ru", "summary_kk"):
        BOOK.add("instrument", iid, key, src, "verified", note=EDITORIAL_NOTE)
    BOOK.add("instrument", iid, "subjects", src, "verified",
             note="Editorial subject coding (DEMIG-based vocabulary), as for the Agreement it amends.")


EURLEX_TXT = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"


def build_official_texts(iid, fields):
    out = []

    def add(language, url, publisher, kind, source, confidence, note, quote="", locator=""):
        pk = slugify(f"{iid}-{language}-{publisher}")
        out.append(record("instruments.officialtext", pk, {
            "instrument": iid, "language": language, "url": url, "publisher": publisher, "kind": kind}))
        BOOK.add("officialtext", pk, "url", source, confidence, note=note, quote=quote, locator=locator)

    if fields["celex"]:
        spec_facts = FACT_INSTRUMENTS[next(s["facts"] for s in INSTRUMENTS if s["id"] == iid)]
        celex_fact = spec_facts["celex"]
        source = SOURCES.for_url(celex_fact["source"][0]) if celex_fact.get("source") else \
            SOURCES.for_url(instrument_sources(spec_facts)[0])
        add("en", EURLEX_TXT.format(celex=fields["celex"]), "EUR-Lex", "official", source,
            celex_fact["confidence"],
            "EUR-Lex address built from the CELEX number" +
            (" (the CELEX number itself is believed: standard pattern, not seen literally)."
             if celex_fact["confidence"] == "believed" else "."))
    if iid == "kz-pp-2022-961":
        source = SOURCES.for_url(FACT_INSTRUMENTS["kz_gov_resolution_961_2022"]["adilet_code"]["source"][0])
        add("ru", "https://adilet.zan.kz/rus/docs/P2200000961", "Adilet", "official", source, "verified",
            "Adilet, the Ministry of Justice's legal information system: Russian text.")
        add("kk", "https://adilet.zan.kz/kaz/docs/P2200000961", "Adilet", "official", source, "verified",
            "Adilet, the Ministry of Justice's legal information system: Kazakh text (the article's reference [15] "
            "links this page).")
    if iid == "eaeu-treaty-2014":
        add("ru", "https://online.zakon.kz/Document/?doc_id=31565247", "online.zakon.kz", "official", "ref-03",
            "article", "The text the article's reference [3] links (the Russian text, authentic language of the Treaty).",
            quote="https://online.zakon.kz/Document/?doc_id=31565247#pos=4;-106", locator="References [3]")
    if iid == "cis-agreement-1994-04-15":
        url = "https://cis-legislation.com/document.fwx?rgn=20768"
        require(url in CIS_FACTS["title_en"]["source"], "CIS agreement English text source changed")
        add("en", url, "cis-legislation.com", "unofficial", SOURCES.for_url(url), "verified",
            "English translation on a commercial legal database.")
    return out


# provisions of the EAEU Treaty the article discusses
def build_provisions():
    iid = "eaeu-treaty-2014"
    f = TREATY_FACTS
    out = []
    section = f["section_XXVI"]
    art96 = f["article_96_title"]
    art96_text = f["article_96_para1_text_ru"]
    art97 = f["article_97_title"]
    art98 = f["article_98_title"]
    en96 = "Article 96. Cooperation of Member States in the field of labour migration"
    require(art96["value"]["en"].startswith(en96), "Art. 96 English heading changed")
    en97 = "Article 97. Employment (labour activity) of workers of the Member States"
    require(art97["value"]["en"] == en97, "Art. 97 English heading changed")
    text_en = ("The Member States shall cooperate in coordinating policy in the sphere of regulating labour migration "
               "within the Union, and in assisting the organised recruitment and engagement of workers of the Member "
               "States to carry out labour activity in the Member States.")
    specs = [
        ("section-xxvi", None, 0, section, section["value"]["en"], section["value"]["ru"], "XXVI бөлім. Еңбек көші-қоны"),
        ("art-96", "section-xxvi", 1, art96, en96, art96["value"]["ru"],
         "96-бап. Мүше мемлекеттердің еңбек көші-қоны саласындағы ынтымақтастығы"),
        ("art-97", "section-xxvi", 2, art97, en97, art97["value"]["ru"],
         "97-бап. Мүше мемлекеттер еңбекшілерінің еңбек қызметі"),
        ("art-98", "section-xxvi", 3, art98, art98["value"]["en"], art98["value"]["ru"],
         "98-бап. Мүше мемлекет еңбекшісінің құқықтары мен міндеттері"),
    ]
    for label, parent, position, fact, en, ru, kk in specs:
        pk = slugify(f"{iid}-{label}")
        fields = {
            "instrument": iid, "label": label, "parent": slugify(f"{iid}-{parent}") if parent else None,
            "position": position,
            "heading_en": en, "heading_en_kind": "unofficial", "heading_ru": ru, "heading_ru_kind": "official",
            "heading_kk": kk, "heading_kk_kind": "unofficial",
            "text_en": "", "text_en_kind": "", "text_ru": "", "text_ru_kind": "", "text_kk": "", "text_kk_kind": "",
        }
        conf = fact["confidence"]
        BOOK.fact("provision", pk, "heading_ru", fact, note=fact.get("note", ""))
        BOOK.fact("provision", pk, "heading_en", fact,
                  note=("Unofficial translation. " + fact.get("note", "")).strip())
        for url in fact["source"][:1]:
            BOOK.add("provision", pk, "heading_kk", SOURCES.for_url(url), conf,
                     note="Our unofficial Kazakh translation of the Russian heading.")
        if label == "art-96":
            fields.update({"text_ru": art96_text["value"], "text_ru_kind": "official",
                           "text_en": text_en, "text_en_kind": "unofficial"})
            BOOK.fact("provision", pk, "text_ru", art96_text,
                      note="Paragraph 1 of Article 96 only; the other paragraphs are not recorded.", confidence="verified",
                      article_row=False)
            for url in art96_text["source"]:
                BOOK.add("provision", pk, "text_en", SOURCES.for_url(url), "verified",
                         note="Our unofficial English translation of the verified Russian text of Art. 96(1).")
            BOOK.add("provision", pk, "article_mention", ARTICLE_SOURCE, "article",
                     quote=art96_text["article_quote"].strip("“”"),
                     note="The article presents this loose paraphrase of Art. 96(1) in quotation marks.")
        if label == "section-xxvi":
            BOOK.add("provision", pk, "article_mention", ARTICLE_SOURCE, "article",
                     quote=section["article_quote"])
        out.append(record("instruments.provision", pk, fields))
    return out


RELATIONSHIPS = [
    # (subject, type, object, date, precision, facts instrument, facts key of the evidence, confidence override)
    ("eu-dir-2021-1883", "repeals", "eu-dir-2009-50", "2023-11-19", "eu_dir_2009_50_EC", ("repealed_by", "repeal_effective")),
    ("eu-dir-2024-1233", "recasts", "eu-dir-2011-98", "2026-05-22", "eu_dir_2011_98_EU", ("repealed_by", "repeal_effective")),
    ("eu-dir-2024-1233", "repeals", "eu-dir-2011-98", "2026-05-22", "eu_dir_2011_98_EU", ("repealed_by", "repeal_effective")),
    ("eu-reg-2018-1806", "codifies", "eu-reg-2001-539", "2018-12-18", "eu_reg_539_2001", ("repealed_by", "repeal_effective")),
    ("eu-reg-2018-1806", "repeals", "eu-reg-2001-539", "2018-12-18", "eu_reg_539_2001", ("repealed_by", "repeal_effective")),
    ("eu-dir-2011-51", "amends", "eu-dir-2003-109", "2011-05-20", "eu_dir_2003_109_EC", ("amended_by", None)),
    ("cis-protocol-2005-11-25", "amends", "cis-agreement-1994-04-15", "2006-12-15",
     "cis_agreement_labour_migration_1994", ("amended_by", None)),
]


def build_relationships():
    out = []
    for subject, rtype, obj, date, facts_id, (link_key, date_key) in RELATIONSHIPS:
        pk = f"{subject}-{rtype}-{obj}"
        facts = FACT_INSTRUMENTS[facts_id]
        link = facts[link_key]
        note = f"Source says: {link['value']}"
        out.append(record("instruments.relationship", pk, {
            "subject": subject, "type": rtype, "object": obj, "date_effective": date,
            "date_effective_precision": "day", "note": "",
        }))
        BOOK.fact("relationship", pk, "*", link, note=note)
        if date_key:
            date_fact = facts[date_key]
            fact_date(date_fact, date, f"{pk}.date_effective")
            BOOK.fact("relationship", pk, "date_effective", date_fact,
                      note=f"Source says: {date_fact['value']}. {date_fact.get('note', '')}".strip())
        elif subject == "eu-dir-2011-51":
            BOOK.fact("relationship", pk, "date_effective", FACT_INSTRUMENTS["eu_dir_2011_51_EU"]["entry_into_force"],
                      note="Takes effect with the amending directive's entry into force (consolidated version 20.05.2011).")
        else:
            BOOK.fact("relationship", pk, "date_effective", link, note=note)
    return out


# =========================================================================== article references

REFERENCES = {}


def build_references():
    entries = reference_entries()
    require(sorted(entries) == list(range(1, 21)), f"expected references 1–20, found {sorted(entries)}")
    for n in range(1, 21):
        cyr = clean_markdown(entries[n]["cyrillic"])
        translit = clean_markdown(entries[n].get("transliterated", ""))
        urls = re.findall(r"https?://[^\s>)\]]+", cyr)
        url = urls[0].rstrip(".") if urls else ""
        sid = f"ref-{n:02d}"
        REFERENCES[n] = {"citation": cyr}
        SOURCES.add(sid, kind="article_reference", number=n, citation=cyr, url=url,
                    publisher=(urlsplit(url).hostname or "").removeprefix("www.") if url else "",
                    note=f"As given in the article's transliterated reference list: {translit}" if translit else "")
        raw = entries[n]["cyrillic"]
        BOOK.add("source", sid, "citation", ARTICLE_SOURCE, "article",
                 locator=f"References [{n}] (Cyrillic list)", quote=raw,
                 note="The entry as printed in the article's first reference list (markdown as in article.md).")


# =========================================================================== agreements

AGREEMENTS = [
    # (id, facts key, index or partner, partner codes, article_listing)
    ("kz-ch-readmission", 1, ["CH"]), ("kz-uz-readmission", 2, ["UZ"]), ("kz-by-readmission", 3, ["BY"]),
    ("kz-hu-readmission", 4, ["HU"]), ("kz-lt-readmission", 5, ["LT"]), ("kz-ru-readmission", 6, ["RU"]),
    ("kz-lv-readmission", 7, ["LV"]), ("kz-md-readmission", 8, ["MD"]), ("kz-cz-readmission", 9, ["CZ"]),
    ("kz-de-readmission", 10, ["DE"]), ("kz-no-readmission", 11, ["NO"]),
    ("kz-benelux-readmission", 12, ["BE", "LU", "NL"]),
    ("kz-kg-readmission", 13, ["KG"]), ("kz-tj-readmission", 14, ["TJ"]),
    ("kz-at-readmission", "austria", ["AT"]),
]
IMPLEMENTING_PROTOCOLS = {
    "kz-uz-readmission": "Executive Protocol on the procedure for the implementation of the Agreement between the "
                         "Government of the Republic of Kazakhstan and the Government of the Republic of Uzbekistan on "
                         "the readmission of persons",
    "kz-by-readmission": "Executive Protocol on the procedure for the implementation of the Agreement between the "
                         "Government of the Republic of Kazakhstan and the Government of the Republic of Belarus on "
                         "readmission",
    "kz-ru-readmission": "Executive Protocol on the procedure for the implementation of the Agreement between the "
                         "Government of the Republic of Kazakhstan and the Government of the Russian Federation on "
                         "readmission",
    "kz-md-readmission": "Executive Protocol",
    "kz-benelux-readmission": "Protocol on the implementation of the Agreement between the Republic of Kazakhstan and "
                              "the Benelux States (the Kingdom of Belgium, the Grand Duchy of Luxembourg and the Kingdom "
                              "of the Netherlands) on readmission",
    "kz-kg-readmission": "Executive Protocol on the procedure for the implementation of the Agreement between the "
                         "Government of the Republic of Kazakhstan and the Government of the Kyrgyz Republic on readmission",
    "kz-tj-readmission": "Executive Protocol on the procedure for the implementation of the Agreement between the "
                         "Government of the Republic of Kazakhstan and the Government of the Republic of Tajikistan on "
                         "the readmission of persons",
}
RATIFICATION = re.compile(r"^Law of (\d{1,2}) (\w{3}) (\d{4}) No\. ([0-9]+-[IVX]+)(?: ЗРК)?$")
MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
TWELVE_QUOTE = FACTS["article_extracts"]["readmission_12_sentence"]["article_quote"]
THIRTEEN_QUOTE = FACTS["article_extracts"]["thirteen_other_states_sentence"]["article_quote"]
TRANSIT_QUOTE = FACTS["article_extracts"]["transit_to_russia_sentence"]["article_quote"]


def parse_ratification(value):
    match = RATIFICATION.match(value)
    if not match:
        return None, None
    day, month, year, number = match.groups()
    return datetime.date(int(year), MONTHS[month], int(day)).isoformat(), number


def build_agreements():
    out = []
    facts_by_n = {a["n"]: a for a in FACTS["readmission_agreements"] + FACTS["readmission_agreements_later_not_in_list_of_12"]}
    for aid, key, partners in AGREEMENTS:
        if key == "austria":
            facts = FACTS["readmission_agreements_post_article"][0]
            require(facts["partner"] == "Austria", "Austria entry moved")
        else:
            facts = facts_by_n[key]
        fields = {
            "title_en": "", "title_en_kind": "", "title_ru": "", "title_ru_kind": "", "title_kk": "", "title_kk_kind": "",
            "date_signed": None, "date_signed_precision": "unknown", "place_signed": "",
            "ratification_law_number": "", "ratification_law_date": None, "ratification_law_date_precision": "unknown",
            "ratification_note": "", "implementing_protocol": IMPLEMENTING_PROTOCOLS.get(aid, ""),
            "article_listing": "", "note": "", "is_synthetic": False, "updated_at": DATA_AS_OF,
            "entry_into_force": None, "entry_into_force_precision": "unknown",
            "end_of_validity": None, "end_of_validity_precision": "unknown",
        }
        sources = facts.get("source") or facts.get("date_signed", {}).get("source", [])
        primary = SOURCES.for_url(sources[0])
        notes = []
        # title
        title = facts["title_en"]
        if isinstance(title, dict):
            # the protocol signed with the agreement has its own field; the title is the agreement's
            agreement_title = re.sub(r", and (Executive|Implementing) Protocol$", "", title["value"])
            fields["title_en"], fields["title_en_kind"] = agreement_title, "unofficial"
            BOOK.fact("agreement", aid, "title_en", title,
                      note="English title as given in the English version of Kazakhstan's ratification law or in the "
                           "press; unofficial translation." + (
                               f" Source gives: '{title['value']}' (the protocol is recorded separately)."
                               if agreement_title != title["value"] else ""))
        else:
            fields["title_en"], fields["title_en_kind"] = title, "unofficial"
            BOOK.add("agreement", aid, "title_en", primary, "believed",
                     note="English rendering of the title reported in the source (in Russian); unofficial.")
        # signature
        signed = facts["date_signed"]
        date_text = signed["value"]
        fields["date_signed"], fields["date_signed_precision"] = date_text[:10], "day"
        fact_date(signed, date_text[:10], f"{aid}.date_signed")
        BOOK.fact("agreement", aid, "date_signed", signed)
        if "place_signed" in facts:
            place = facts["place_signed"]["value"]
            if place.startswith("Minsk"):
                notes.append("Signed in Minsk by the two internal-affairs ministers.")
                place = "Minsk"
            fields["place_signed"] = place
            BOOK.fact("agreement", aid, "place_signed", facts["place_signed"])
        elif "(" in date_text:
            fields["place_signed"] = date_text[date_text.index("(") + 1:date_text.index(")")]
            BOOK.fact("agreement", aid, "place_signed", signed)
        # ratification
        ratification = facts.get("kz_ratification_law") or facts.get("kz_ratification")
        date, number = parse_ratification(ratification["value"])
        if number:
            fields["ratification_law_number"] = number
            fields["ratification_law_date"], fields["ratification_law_date_precision"] = date, "day"
            for field in ("ratification_law_number", "ratification_law_date"):
                BOOK.fact("agreement", aid, field, ratification, note=f"Source says: {ratification['value']}")
        elif aid == "kz-md-readmission":
            fields["ratification_note"] = ("Senate passed the ratification law on 18 Feb 2016; law date and number "
                                           "not found")
            BOOK.fact("agreement", aid, "ratification_note", ratification)
            for field in ("ratification_law_number", "ratification_law_date"):
                BOOK.add("agreement", aid, field, primary, "not_found", note=ratification["value"])
        elif aid == "kz-at-readmission":
            fields["ratification_note"] = ("Ratification incomplete as far as the sources say: the Majilis ratified "
                                           "the agreement around February 2026; the Senate and President steps were "
                                           "not checked.")
            BOOK.fact("agreement", aid, "ratification_note", ratification,
                      note=f"Source says: {ratification['value']}")
            for field in ("ratification_law_number", "ratification_law_date"):
                BOOK.add("agreement", aid, field, primary, "not_found",
                         note="No ratification law number or date found; ratification may not be complete.")
        else:
            raise BuildError(f"{aid}: cannot parse ratification {ratification['value']!r}")
        # entry into force
        eif = facts.get("entry_into_force")
        if eif and eif["value"]:
            fields["entry_into_force"], fields["entry_into_force_precision"] = eif["value"], "day"
            fact_date(eif, eif["value"], f"{aid}.entry_into_force")
            BOOK.fact("agreement", aid, "entry_into_force", eif)
        elif eif:
            BOOK.add("agreement", aid, "entry_into_force", primary, "not_found",
                     note=eif.get("note", "") or "No date of entry into force was found in the sources consulted.")
        else:
            BOOK.add("agreement", aid, "entry_into_force", primary, "not_found",
                     note="No date of entry into force was found; the ratification may not be complete.")
        if fields["implementing_protocol"]:
            BOOK.add("agreement", aid, "implementing_protocol", primary, "verified",
                     note="Named in the agreement's title and in the title of Kazakhstan's ratification law." + (
                         " Its full title was not seen in the sources." if aid == "kz-md-readmission" else ""))
        # how the article lists it
        listed = facts.get("in_article_list_of_12")
        if listed is not None:
            fields["article_listing"] = "ratified_12" if listed["value"] else "other_13"
            BOOK.add("agreement", aid, "article_listing", ARTICLE_SOURCE, "article", quote=listed["article_quote"])
            BOOK.add("agreement", aid, "article_listing", "ref-14", "article", locator="References [14]",
                     quote="[14; 30]", note="The article cites Sultanova & Abisheva (2017), p. 30, for its lists.")
        else:
            fields["article_listing"] = "not_listed"
            BOOK.add("agreement", aid, "article_listing", ARTICLE_SOURCE, "not_found",
                     note=facts.get("note", "Not mentioned in the article."))
        if facts.get("note") and key != "austria":
            notes.append(facts["note"])
        if key == "austria":
            notes.append(facts["note"])
        if aid == "kz-ru-readmission":
            notes.append(signed["note"] + " See discrepancy 'russia-readmission-date-sources'.")
        if aid == "kz-benelux-readmission":
            notes.append("One agreement with three states: Belgium, Luxembourg and the Netherlands. "
                         + FACTS["readmission_agreements"][11]["entry_into_force"]["note"])
        fields["note"] = " ".join(n.strip() for n in notes if n)
        if fields["note"]:
            for url in sources[:1]:
                BOOK.add("agreement", aid, "note", SOURCES.for_url(url), "verified", note="Notes from the sources.")
        for url in sources:
            BOOK.add("agreement", aid, "*", SOURCES.for_url(url), "verified",
                     note="Source on this agreement (ratification law or press report).")
        out.append(record("agreements.agreement", aid, fields))
        for code in ["KZ"] + partners:
            party_pk = slugify(f"{aid}-{code}")
            out.append(record("agreements.party", party_pk, {"agreement": aid, "country": code}))
            for url in sources[:2]:
                BOOK.add("party", party_pk, "*", SOURCES.for_url(url), "verified",
                         note="The agreement's title names its parties.")
    return out


TWELVE = [("Switzerland", "CH"), ("Uzbekistan", "UZ"), ("Belarus", "BY"), ("Hungary", "HU"), ("Lithuania", "LT"),
          ("Russia", "RU"), ("Latvia", "LV"), ("Moldova", "MD"), ("the Czech Republic", "CZ"), ("Germany", "DE"),
          ("Norway", "NO"), ("the Benelux states", ["BE", "LU", "NL"])]
THIRTEEN = [("Afghanistan", "AF"), ("Bulgaria", "BG"), ("Greece", "GR"), ("Iran", "IR"), ("Iraq", "IQ"),
            ("Canada", "CA"), ("Cyprus", "CY"), ("Korea", "KR"), ("Kyrgyzstan", "KG"), ("Pakistan", "PK"),
            ("Poland", "PL"), ("Tajikistan", "TJ"), ("Ukraine", "UA")]
TRANSIT = [("Pakistan", "PK"), ("Bangladesh", "BD"), ("Kenya", "KE"), ("Afghanistan", "AF"), ("Tajikistan", "TJ"),
           ("Uzbekistan", "UZ")]
THIRTEEN_INTERPRETATION = (
    "Most likely under consideration/negotiation in 2015 per the MIA statement; not a concluded agreement. The "
    "sentence reads as if unnamed 'nations … maintain readmission agreements with 13 other states'; an MIA official "
    "(Kazinform, late 2015) said Kazakhstan had readmission agreements with 12 countries and that 'the agreements "
    "with 13 countries are under consideration now'."
)


def build_mentions():
    extracts = FACTS["article_extracts"]
    require([s for s, _ in TWELVE] == extracts["readmission_12_list_as_stated"], "12-list changed")
    require([s for s, _ in THIRTEEN] == extracts["thirteen_other_states_list_as_stated"], "13-list changed")
    require([s for s, _ in TRANSIT] == extracts["transit_countries_as_stated"][:-1], "transit list changed")
    agreement_of = {}
    for aid, _key, partners in AGREEMENTS:
        for code in partners:
            agreement_of[code] = aid
    kazinform = SOURCES.for_url(extracts["thirteen_context_source"]["source"][0])
    out = []

    def add(list_name, position, as_stated, code, agreement, interpretation, quote, ref_locator):
        pk = slugify(f"{list_name}-{code}")
        out.append(record("agreements.articlestatemention", pk, {
            "list": list_name, "position": position, "as_stated": as_stated, "country": code,
            "agreement": agreement, "interpretation": interpretation,
        }))
        BOOK.add("articlestatemention", pk, "as_stated", ARTICLE_SOURCE, "article", quote=quote)
        BOOK.add("articlestatemention", pk, "as_stated", "ref-14", "article", locator="References [14]",
                 quote=ref_locator, note="The article's citation for this list: Sultanova & Abisheva (2017).")
        return pk

    for position, (stated, codes) in enumerate(TWELVE, start=1):
        for code in codes if isinstance(codes, list) else [codes]:
            interpretation = ""
            if stated == "the Benelux states":
                interpretation = ("'The Benelux states' is one agreement with Belgium, Luxembourg and the Netherlands, "
                                  "so the article's 12 agreements cover 14 states.")
            add("ratified_12", position, stated, code, agreement_of[code], interpretation, TWELVE_QUOTE, "[14; 30]")
    for position, (stated, code) in enumerate(THIRTEEN, start=1):
        interpretation = THIRTEEN_INTERPRETATION
        agreement = None
        if code in ("KG", "TJ"):
            agreement = agreement_of[code]
            interpretation += (" Kazakhstan later concluded and ratified a readmission agreement with this state "
                               "(in force since 2017 for Kyrgyzstan, 2019 for Tajikistan), which the article's list "
                               "of 12 misses.")
        if code == "KR":
            interpretation += (" The article says only 'Korea'; we record it as the Republic of Korea (KR), our "
                               "interpretation.")
        pk = add("other_13", position, stated, code, agreement, interpretation, THIRTEEN_QUOTE, "[14; 30]")
        BOOK.add("articlestatemention", pk, "interpretation", kazinform, "verified",
                 note=extracts["thirteen_context_source"]["value"])
    for position, (stated, code) in enumerate(TRANSIT, start=1):
        add("transit", position, stated, code, None,
            "Named as a country whose citizens enter Russia through Kazakhstan's border; not a statement about any "
            "agreement.", TRANSIT_QUOTE, "[14; 59]")
    return out


# =========================================================================== discrepancies

# facts id -> (category, substantive, summary, correct_fact, instruments, agreements)
DISCREPANCIES = {
    "961_date": ("date", True, "Resolution No. 961 dated both 30 December and 30 November 2022",
                 "Resolution No. 961 was adopted on 30 November 2022 (adilet.zan.kz: 'Постановление Правительства "
                 "Республики Казахстан от 30 ноября 2022 года № 961').", ["kz-pp-2022-961"], []),
    "concept_period": ("date", True, "Concept period given as 2022–2026 in one quotation, 2023–2027 elsewhere",
                       "The Concept approved by Resolution No. 961 covers 2023–2027; '2022–2026' was the draft's "
                       "working title in 2021.", ["kz-pp-2022-961"], []),
    "directive_suffix_86": ("number", True, "'2003/86/EU' for Directive 2003/86/EC",
                            "The number is 2003/86/EC.", ["eu-dir-2003-86"], []),
    "directive_suffix_109": ("number", True, "'2003/109/EU' for Directive 2003/109/EC",
                             "The number is 2003/109/EC.", ["eu-dir-2003-109"], []),
    "2011_98_body": ("attribution", True, "Directive 2011/98/EU called a 'Council' directive",
                     "Directive 2011/98/EU is a directive of the European Parliament and of the Council.",
                     ["eu-dir-2011-98"], []),
    "2011_98_repealed": ("legal_status", True, "Directive 2011/98/EU presented as current law",
                         "Directive 2011/98/EU was recast by Directive (EU) 2024/1233 and repealed with effect from "
                         "22 May 2026 (end of validity 21 May 2026).", ["eu-dir-2011-98", "eu-dir-2024-1233"], []),
    "2009_50_repealed": ("legal_status", True, "Directive 2009/50/EC described as current though repealed in 2023",
                         "Directive 2009/50/EC was repealed by Directive (EU) 2021/1883 with effect from 19 November "
                         "2023 (end of validity 18 November 2023).", ["eu-dir-2009-50", "eu-dir-2021-1883"], []),
    "539_council_of_europe": ("attribution", True, "Regulation 539/2001 attributed to the 'Council of Europe'",
                              "Regulation (EC) No 539/2001 is a regulation of the Council of the European Union.",
                              ["eu-reg-2001-539"], []),
    "539_repealed": ("legal_status", True, "Regulation 539/2001 presented as current though repealed in 2018",
                     "Regulation (EC) No 539/2001 was codified and repealed by Regulation (EU) 2018/1806 (in effect "
                     "18 December 2018, believed).", ["eu-reg-2001-539", "eu-reg-2018-1806"], []),
    "539_three_months": ("claim", True, "Visa-free stays described as 'up to three months'",
                         "The rule is 90 days in any 180-day period (Regulation (EU) 2018/1806, recital 3).",
                         ["eu-reg-2001-539", "eu-reg-2018-1806"], []),
    "eaec_acronym": ("title", False, "'EAEC' used as the abbreviation of the EAEU",
                     "The Eurasian Economic Union is abbreviated EAEU (ЕАЭС, ЕАЭО); 'EAEC' normally denotes the "
                     "Eurasian Economic Community, a different organisation.", ["eaeu-treaty-2014"], []),
    "treaty_adopted": ("claim", True, "EAEU Treaty said to be 'adopted' on 29 May 2014",
                       "The Treaty was signed in Astana on 29 May 2014 and entered into force on 1 January 2015.",
                       ["eaeu-treaty-2014"], []),
    "art96_quote": ("citation", False, "Loose paraphrase of Art. 96(1) presented as a quotation",
                    "Art. 96(1): 'Государства-члены осуществляют сотрудничество по согласованию политики в сфере "
                    "регулирования трудовой миграции в рамках Союза, а также по оказанию содействия организованному "
                    "набору и привлечению трудящихся государств-членов для осуществления ими трудовой деятельности в "
                    "государствах-членах.'", ["eaeu-treaty-2014"], []),
    "equal_treatment_claim": ("claim", True, "Claim that EAEU documents do not establish equal treatment",
                              "The Treaty removes labour-market protection measures for workers of the member states, "
                              "and the EEC says they enjoy the same rights as the host country's citizens (e.g. "
                              "resident tax rates from day one).", ["eaeu-treaty-2014"], []),
    "top30_claim": ("claim", True, "Kazakhstan said to be 'included among the 30 developed nations'",
                    "Joining the 30 most developed countries by 2050 is a goal of the Kazakhstan-2050 Strategy, not an "
                    "achieved status.", ["kz-address-2012-kazakhstan-2050"], []),
    "duplicate_refs_15_19": ("citation", False, "References [15] and [19] cite the same resolution",
                             "Both references are Resolution No. 961 of 30 November 2022.", ["kz-pp-2022-961"], []),
    "adilet_code": ("number", True, "Adilet code 'P22000000961' (one zero too many) in the Cyrillic list",
                    "The Adilet code is P2200000961.", ["kz-pp-2022-961"], []),
    "ref19_content": ("citation", False, "Reference [19] (the Concept) may not support the claim it is cited for",
                      "Possible mis-citation; not checked against the Concept's text.", ["kz-pp-2022-961"], []),
    "ref2_url": ("citation", False, "Reference [2] URL differs between the two reference lists",
                 "The transliterated list romanised the akorda.kz address; the link is likely broken. No date is given "
                 "for the address (2012).", ["kz-address-2012-kazakhstan-2050"], []),
    "ref3_url_space": ("typo", False, "Reference [3] URL contains a space; 'podpisana' for 'подписан'",
                       "https://online.zakon.kz/Document/?doc_id=31565247", ["eaeu-treaty-2014"], []),
    "ref3_ob": ("title", False, "Treaty title misspelt 'Договор об Евразийском…'",
                "The official title is 'Договор о Евразийском экономическом союзе'.", ["eaeu-treaty-2014"], []),
    "ref1_typo": ("typo", False, "'Migration Date Portal' for Migration Data Portal",
                  "Migration Data Portal.", [], []),
    "ref11_author": ("typo", False, "Reference [11] author 'Chaava' for Chaeva", "Chaeva, M.Z. (Чаева М.З.).", [], []),
    "ref16_typos": ("typo", False, "Transliteration typos in reference [16]",
                    "prognoziruemykh; Kazakhskogo universiteta; mezhdunarodnoi torgovli.", [], []),
    "ref17_typo": ("typo", False, "Reference [17] 'turistov' (tourists) for 'yuristov' (lawyers)",
                   "Posobie dlia advokatov i yuristov (handbook for attorneys and lawyers).", [], []),
    "ref14_typos": ("typo", False, "Transliteration typos in reference [14]", "zhertv torgovli liudmi.", [], []),
    "ref18_typos": ("typo", False, "Transliteration typos in reference [18]",
                    "aktilerine; mamyrdagy.", ["kz-zakon-2020-327-vi"], []),
    "readmission_count": ("count", True, "'12 agreements' cover 14 states",
                          "The 12 agreements cover 14 partner states: 'the Benelux states' is one agreement with "
                          "Belgium, Luxembourg and the Netherlands.", [], ["kz-benelux-readmission"]),
    "thirteen_ambiguous": ("claim", True, "Ambiguous sentence on readmission agreements with '13 other states'",
                           "Per the 2015 MIA statement, agreements with 13 more states were under consideration or "
                           "negotiation; they were not concluded agreements.", [],
                           ["kz-kg-readmission", "kz-tj-readmission"]),
    "readmission_outdated": ("count", True, "The list of 12 ratified agreements is out of date",
                             "By 2024 Kazakhstan had also ratified readmission agreements with Kyrgyzstan (in force "
                             "10 August 2017) and Tajikistan (in force 24 March 2019).", [],
                             ["kz-kg-readmission", "kz-tj-readmission"]),
    "cis_agreement_undated": ("citation", False, "CIS labour-migration agreement cited without date or reference",
                              "It is the Agreement of 15 April 1994, amended by the Protocol of 25 November 2005.",
                              ["cis-agreement-1994-04-15", "cis-protocol-2005-11-25"], []),
    "author_name": ("typo", False, "Author surname spelled 'Narimbaeva' and 'Нарымбаева'",
                    "The same author; the transliterations differ.", [], []),
    "dangling_sentence": ("typo", False, "Grammatically incomplete sentences (2009/50/EC; illegal migration)",
                          "Wording only; no fact is affected.", ["eu-dir-2009-50"], []),
    "russia_readmission_date_sources": ("source_conflict", True,
                                        "KZ–RU readmission agreement dated 7 June 2012 and 7 June 2013 by different sources",
                                        "Signed in Astana on 7 June 2012 (the ratification law's text); one Kazinform "
                                        "report's 7 June 2013 is wrong.", [], ["kz-ru-readmission"]),
}


def build_discrepancies():
    out = []
    require(len(FACTS["inconsistencies"]) == 34, "expected 34 inconsistencies")
    require(set(DISCREPANCIES) == {i["id"] for i in FACTS["inconsistencies"]}, "discrepancy curation out of step")
    for item in FACTS["inconsistencies"]:
        category, substantive, summary, correct, instruments, agreements = DISCREPANCIES[item["id"]]
        pk = slugify(item["id"].replace("_", "-"))
        evidence = item.get("evidence")
        confidence = evidence["confidence"] if evidence else item["confidence"]
        out.append(record("instruments.discrepancy", pk, {
            "category": category, "substantive": substantive, "summary": summary,
            "description": item["description"], "article_quotes": item["article_quotes"],
            "correct_fact": correct, "confidence": confidence,
            "instruments": sorted(instruments), "agreements": sorted(agreements),
        }))
        for quote in item["article_quotes"]:
            BOOK.add("discrepancy", pk, "article_quotes", ARTICLE_SOURCE, "article", quote=quote)
        if evidence:
            for url in evidence["source"]:
                BOOK.add("discrepancy", pk, "correct_fact", SOURCES.for_url(url), evidence["confidence"],
                         note=evidence.get("note", ""))
        else:
            note = ("The article itself shows the error or inconsistency." if item["confidence"] == "article"
                    else "Believed; not checked against the cited text.")
            quote = item["article_quotes"][0]
            BOOK.add("discrepancy", pk, "correct_fact", ARTICLE_SOURCE,
                     "article" if item["confidence"] == "article" else item["confidence"],
                     quote=quote, note=note)
    return out


# =========================================================================== sources: provenance and output


def finish_sources():
    out = []
    for sid, fields in SOURCES.records.items():
        kind = fields["kind"]
        if kind == "official" or kind == "secondary":
            if sid != RESEARCH_NOTES:
                BOOK.add("source", sid, "url", RESEARCH_NOTES, "verified",
                         note="Consulted as evidence in the reference research (facts.json / memberships.json).")
            else:
                BOOK.add("source", sid, "*", RESEARCH_NOTES, "verified", note="The project's own research notes.")
        elif kind == "dataset":
            BOOK.add("source", sid, "url", sid, "verified", note="The data set's own publication.")
        elif kind == "article":
            BOOK.add("source", sid, "citation", ARTICLE_SOURCE, "article",
                     quote="Legal regulation of migration processes: regional experience and legislation of the "
                           "Republic of Kazakhstan", note="The article's title.")
        out.append(record("instruments.source", sid, {
            "kind": kind, "number": fields["number"], "citation": fields["citation"], "url": fields["url"],
            "publisher": fields["publisher"], "note": fields["note"],
            "instruments": sorted(SOURCES.instruments.get(sid, ())),
        }))
    return out


def provenance_records():
    out = []
    for pk, fields in BOOK.rows.items():
        require(len(pk) <= 200, f"provenance id too long: {pk}")
        require(len(fields["object_id"]) <= 120, f"object id too long: {fields['object_id']}")
        out.append(record("instruments.provenance", pk, fields))
    return out


MODEL_ORDER = [
    "instruments.country", "instruments.organisation", "instruments.membership", "instruments.source",
    "instruments.subject", "instruments.instrument", "instruments.officialtext", "instruments.provision",
    "instruments.relationship", "agreements.agreement", "agreements.party", "agreements.articlestatemention",
    "instruments.discrepancy", "instruments.provenance",
]


def ordered(records):
    """Stable order: by model, then parents before children (subjects, provisions), then by pk."""
    def depth(rec):
        parent = rec["fields"].get("parent")
        return 0 if not parent else 1
    return sorted(records, key=lambda r: (MODEL_ORDER.index(r["model"]), depth(r), str(r["pk"])))


def build():
    build_references()
    files = OrderedDict()
    files["countries"] = build_countries()
    files["organisations"] = build_organisations()
    files["subjects"] = build_subjects()
    files["instruments"] = build_instruments()
    files["agreements"] = build_agreements() + build_mentions()
    files["discrepancies"] = build_discrepancies()
    # every evidence URL in the research becomes a Source, even if no row cites it yet
    for url in collect_evidence_urls(FACTS):
        SOURCES.for_url(url)
    for org in MEMBERSHIPS["organisations"].values():
        for url in collect_evidence_urls(org):
            SOURCES.for_url(url)
    files["sources"] = finish_sources()
    files["provenance"] = provenance_records()
    order = ["countries", "organisations", "sources", "subjects", "instruments", "agreements", "discrepancies",
             "provenance"]
    return {name: ordered(files[name]) for name in order}


def render(records):
    # "model", "pk", then the fields in alphabetical order: stable, readable diffs
    tidy = [{"model": r["model"], "pk": r["pk"], "fields": dict(sorted(r["fields"].items()))} for r in records]
    return json.dumps(tidy, ensure_ascii=False, indent=1) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if fixtures/ differs from a fresh build")
    parser.add_argument("--out", type=Path, default=OUT, help="output directory (default: fixtures/)")
    args = parser.parse_args(argv)
    try:
        files = build()
    except BuildError as exc:
        print(f"build_fixtures: {exc}", file=sys.stderr)
        return 1
    stale = []
    args.out.mkdir(parents=True, exist_ok=True)
    for name, records in files.items():
        path = args.out / f"{name}.json"
        text = render(records)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
        print(f"{name}.json: {len(records)} records")
    if stale:
        print(f"build_fixtures: out of date: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
