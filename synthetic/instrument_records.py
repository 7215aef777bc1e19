"""Synthetic instruments: (kind, level, jurisdiction) as in the real records, dates of the
real precisions, titles in three languages, subjects, and relationships back in time."""

import datetime
from collections import Counter

from core.i18n import TextKind
from core.lifecycle import Precision
from instruments.models import Instrument, Relationship
from instruments.vocabulary import RelationshipType
from sources.models import Provenance
from subjects.models import Subject
from synthetic.distributions import (
    ADOPTED_PRECISION,
    EIF_PRECISION,
    FALLBACK_PROFILE,
    KIND_TEXT,
    PREFIX,
    RELATION_RATES,
    SUMMARY,
    TOPICS,
    lifecycle_extras,
    rough_date,
    weighted,
)


def make_instruments(gen, total):
    rng = gen.rng
    profile = kind_profile()
    subject_codes = subject_vocabulary()
    gen.say(f"Generating {total:,} synthetic instruments…")
    instruments, numbers = [], Counter()
    for i in range(total):
        kind, level, jurisdiction = weighted(rng, profile)
        year = min(1990 + int(rng.betavariate(2.2, 1.0) * 36), 2025)
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        adopted, adopted_precision = rough_date(rng, day, ADOPTED_PRECISION)
        eif, eif_precision = rough_date(rng, day + datetime.timedelta(days=rng.randrange(10, 400)), EIF_PRECISION)
        if adopted and eif and eif < adopted:
            # A rounded entry into force may fall before a precise adoption date: align it.
            eif, eif_precision = adopted, adopted_precision
        extras = lifecycle_extras(rng, kind, level, eif, eif_precision)
        eif = extras.pop("entry_into_force", eif)
        eif_precision = extras.pop("entry_into_force_precision", eif_precision)
        eov = None
        if eif and rng.random() < 0.08:
            eov = eif + datetime.timedelta(days=rng.randrange(365, 15 * 365))
            if extras.get("date_application") and extras["date_application"] > eov:
                extras.pop("date_application"), extras.pop("date_application_precision")
        numbers[(jurisdiction, kind, year)] += 1
        n = numbers[(jurisdiction, kind, year)]
        segment, short, title_en, title_ru, title_kk = KIND_TEXT.get(kind, KIND_TEXT["law"])
        topic = rng.randrange(len(TOPICS))
        t_en, t_ru, t_kk = TOPICS[topic]
        official = {"eu": ("en", "ru"), "kz": ("ru", "kk"), "eaeu": ("ru",), "cis": ("ru",)}.get(jurisdiction, ("en",))
        kind_of = {code: TextKind.OFFICIAL if code in official else TextKind.UNOFFICIAL for code in ("en", "ru", "kk")}
        number = f"{year}/{n}" if jurisdiction == "eu" else f"{n}"
        instruments.append(
            Instrument(
                id=f"{PREFIX}{i + 1:06d}",
                eli_path=f"/{jurisdiction}/syn-{kind}/{year}/{n}",
                kind=kind,
                level=level,
                jurisdiction=jurisdiction,
                issuing_body={"eu": "European Parliament and Council", "kz": "Republic of Kazakhstan"}.get(
                    jurisdiction, ""
                ),
                number=number,
                celex=f"3{year}{'L' if kind == 'directive' else 'R'}{n:04d}" if jurisdiction == "eu" else "",
                adilet_code=f"{'Z' if kind == 'law' else 'P'}{year % 100:02d}{n:08d}" if jurisdiction == "kz" else "",
                short_title_en=short.format(y=year, n=n),
                title_en=title_en.format(y=year, n=n, t=t_en),
                title_en_kind=kind_of["en"],
                title_ru=title_ru.format(y=year, n=n, t=t_ru),
                title_ru_kind=kind_of["ru"],
                title_kk=title_kk.format(y=year, n=n, t=t_kk),
                title_kk_kind=kind_of["kk"],
                date_adopted=adopted,
                date_adopted_precision=adopted_precision,
                entry_into_force=eif,
                entry_into_force_precision=eif_precision,
                end_of_validity=eov,
                end_of_validity_precision=Precision.DAY if eov else Precision.UNKNOWN,
                summary_en=SUMMARY[0].format(t=t_en),
                summary_ru=SUMMARY[1].format(t=t_ru),
                summary_kk=SUMMARY[2].format(t=t_kk),
                is_synthetic=True,
                **extras,
            )
        )
        instruments[-1]._topic = topic
    gen.write(Instrument, instruments, "instruments")

    through = Instrument.subjects.through
    links = []
    for instrument in instruments:
        for code in rng.sample(subject_codes, k=min(len(subject_codes), rng.choice((1, 1, 2, 2, 3)))):
            links.append(through(instrument_id=instrument.id, subject_id=code))
    gen.write(through, links, "subject links")

    gen.write(Relationship, relationships(rng, instruments), "relationships")
    gen.write(
        Provenance,
        gen.provenance(instruments, Instrument, ("title_en", "entry_into_force", "number")),
        "provenance rows",
    )


def relationships(rng, instruments):
    """Later instruments amend, repeal, implement or cite earlier ones of the same jurisdiction."""
    by_jurisdiction = {}
    for instrument in sorted(instruments, key=lambda x: (x.date_adopted or datetime.date(1, 1, 1), x.id)):
        by_jurisdiction.setdefault(instrument.jurisdiction, []).append(instrument)
    edges, repealed = {}, set()
    for group in by_jurisdiction.values():
        for position, subject in enumerate(group[1:], start=1):
            for rel_type, rate in RELATION_RATES:
                if rng.random() >= rate:
                    continue
                target = group[rng.randrange(max(0, position - 500), position)]
                if rel_type == RelationshipType.REPEALS:
                    if target.id in repealed:
                        continue
                    repealed.add(target.id)
                key = (subject.id, rel_type, target.id)
                if key in edges:
                    continue
                # Repeals and amendments take effect when the later act enters into force
                # (to the precision that date is known); one in ten has no known date.
                effective = (
                    subject.entry_into_force
                    if rel_type in (RelationshipType.REPEALS, RelationshipType.AMENDS) and rng.random() < 0.9
                    else None
                )
                edges[key] = Relationship(
                    id=f"{subject.id}-{rel_type}-{target.id}",
                    subject_id=subject.id,
                    type=rel_type,
                    object_id=target.id,
                    date_effective=effective,
                    date_effective_precision=subject.entry_into_force_precision if effective else Precision.UNKNOWN,
                )
    return list(edges.values())


def kind_profile():
    """(kind, level, jurisdiction) frequencies of the real instruments, or the built-in ones."""
    real = Counter(Instrument.objects.filter(is_synthetic=False).values_list("kind", "level", "jurisdiction"))
    if sum(real.values()) >= 5:
        return dict(real)
    return FALLBACK_PROFILE


def subject_vocabulary():
    codes = list(Subject.objects.exclude(code__startswith=PREFIX).order_by("code").values_list("code", flat=True))
    if codes:
        return codes
    # No vocabulary loaded: make a few synthetic terms so the relation is exercised.
    made = [
        Subject(code=f"{PREFIX}topic-{i:02d}", scheme=Subject.Scheme.POLICY_AREA, label_en=f"Synthetic topic {i}")
        for i in range(12)
    ]
    Subject.objects.bulk_create(made)
    return [s.code for s in made]
