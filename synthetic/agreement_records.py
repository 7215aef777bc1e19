"""Synthetic agreements: Kazakhstan and one partner state (sometimes several), of the real
types, signed, ratified and in force at plausible dates, in three languages."""

import datetime

import pycountry

from agreements.models import Agreement, ArticleListing, Party
from core.i18n import TextKind
from core.lifecycle import Precision
from countries.models import Country
from sources.models import Provenance
from synthetic.distributions import AGREEMENT_TYPES, BLOCS, PARTNERS, PREFIX, weighted


def make_agreements(gen, total):
    rng = gen.rng
    countries = partner_countries()
    gen.say(f"Generating {total:,} synthetic agreements…")
    agreements, parties = [], []
    for i in range(total):
        if rng.random() < 0.07:
            partners = rng.choice(BLOCS)
        else:
            partners = (weighted(rng, PARTNERS),)
        year = min(1995 + int(rng.betavariate(1.6, 1.0) * 31), 2025)
        signed = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        ratified = signed + datetime.timedelta(days=rng.randrange(90, 700)) if rng.random() < 0.75 else None
        eif = None
        if ratified and rng.random() < 0.85:
            eif = ratified + datetime.timedelta(days=rng.randrange(10, 200))
        eif_precision = Precision.DAY if eif else Precision.UNKNOWN
        if eif and rng.random() < 0.08:
            eif, eif_precision = eif.replace(day=1), Precision.MONTH
        eov = eif + datetime.timedelta(days=rng.randrange(3 * 365, 20 * 365)) if eif and rng.random() < 0.05 else None
        names = [countries[code] for code in partners]
        en = ", ".join(c.name_en for c in names)
        ru = ", ".join(c.name_ru or c.name_en for c in names)
        kk = ", ".join(c.name_kk or c.name_ru or c.name_en for c in names)
        agreement_id = f"{PREFIX}a{i + 1:06d}"
        agreements.append(
            Agreement(
                id=agreement_id,
                type=weighted(rng, AGREEMENT_TYPES),
                title_en=f"Agreement between the Government of the Republic of Kazakhstan and {en} on readmission",
                title_en_kind=TextKind.UNOFFICIAL,
                title_ru=f"Соглашение между Правительством Республики Казахстан и {ru} о реадмиссии",
                title_ru_kind=TextKind.OFFICIAL,
                title_kk=f"Қазақстан Республикасының Үкіметі мен {kk} арасындағы реадмиссия туралы келісім",
                title_kk_kind=TextKind.OFFICIAL,
                date_signed=signed,
                date_signed_precision=Precision.DAY,
                ratification_law_number=f"{rng.randrange(1, 600)}-{rng.choice(('III', 'IV', 'V', 'VI', 'VII'))}"
                if ratified
                else "",
                ratification_law_date=ratified,
                ratification_law_date_precision=Precision.DAY if ratified else Precision.UNKNOWN,
                entry_into_force=eif,
                entry_into_force_precision=eif_precision,
                end_of_validity=eov,
                end_of_validity_precision=Precision.DAY if eov else Precision.UNKNOWN,
                article_listing=ArticleListing.NOT_LISTED,
                note="Synthetic benchmark record; not a real agreement.",
                is_synthetic=True,
            )
        )
        for code in ("KZ", *partners):
            parties.append(Party(id=f"{agreement_id}-{code.lower()}", agreement_id=agreement_id, country_id=code))
    gen.write(Agreement, agreements, "agreements")
    gen.write(Party, parties, "parties")
    gen.write(
        Provenance,
        gen.provenance(agreements, Agreement, ("date_signed", "entry_into_force", "ratification_law_number")),
        "provenance rows",
    )


def partner_countries():
    """Kazakhstan and the partner states, created from ISO 3166 when missing."""
    wanted = {"KZ", *PARTNERS}
    have = set(Country.objects.filter(code__in=wanted).values_list("code", flat=True))
    missing = []
    for code in sorted(wanted - have):
        record = pycountry.countries.get(alpha_2=code)
        missing.append(Country(code=code, alpha3=record.alpha_3, numeric=record.numeric, name_en=record.name))
    Country.objects.bulk_create(missing)
    return {c.code: c for c in Country.objects.filter(code__in=wanted)}
