"""Generate synthetic instruments and agreements for benchmarks (never real data).

    python manage.py gen_synthetic --instruments 100000 --agreements 20000 [--seed 1] [--clear]

Every record made here is flagged `is_synthetic=True` (instruments, agreements) and every
id starts with "syn-" (instruments, agreements, parties, relationships, provenance, and the
one synthetic source), so `--clear` removes exactly what this command made and nothing
else. The records are never written to fixtures/, so `load_kb` never loads them.

The distributions follow the real knowledge base: the (kind, level, jurisdiction)
combinations and date precisions are read from the real records when they are loaded,
with the real data's proportions built in as a fallback; titles come in English, Russian
and Kazakh; agreements have Kazakhstan plus one partner, sometimes several (like the
Benelux agreement); later instruments amend, implement, cite or repeal earlier ones of the
same jurisdiction, repeals with their effective dates.

Rows are written with bulk_create in batches, bypassing model signals (so no change
history is written for them) and then the response cache is invalidated once.
"""

import contextlib
import datetime
import random
import time
from collections import Counter

import pycountry
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from agreements.models import Agreement, ArticleListing, Party
from core.i18n import TextKind
from core.lifecycle import Precision
from core.versioning import bump_data_version
from countries.models import Country
from errata.models import Discrepancy
from instruments.models import Instrument, OfficialText, Provision, Relationship
from instruments.search import SEARCH_INDEXES
from instruments.vocabulary import RelationshipType
from sources.models import Provenance, Source
from subjects.models import Subject
from synthetic.distributions import (
    ADOPTED_PRECISION,
    AGREEMENT_TYPES,
    BATCH,
    BLOCS,
    CONFIDENCE,
    EIF_PRECISION,
    FALLBACK_PROFILE,
    KIND_TEXT,
    PARTNERS,
    PREFIX,
    RELATION_RATES,
    SOURCE_ID,
    SUMMARY,
    TOPICS,
    lifecycle_extras,
    rough_date,
    weighted,
)


class Command(BaseCommand):
    help = "Generate synthetic (benchmark) instruments and agreements; --clear removes them."

    def add_arguments(self, parser):
        parser.add_argument("--instruments", type=int, default=0, help="Number of synthetic instruments to add.")
        parser.add_argument("--agreements", type=int, default=0, help="Number of synthetic agreements to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same records).")
        parser.add_argument("--clear", action="store_true", help="Remove every synthetic record first.")

    def handle(self, *args, **options):
        n_instruments, n_agreements = options["instruments"], options["agreements"]
        if n_instruments < 0 or n_agreements < 0:
            raise CommandError("--instruments and --agreements must be zero or more.")
        if not (options["clear"] or n_instruments or n_agreements):
            raise CommandError("Nothing to do: give --instruments N and/or --agreements M, or --clear.")
        self.verbosity = options["verbosity"]
        self.rng = random.Random(options["seed"])
        started = time.monotonic()
        with transaction.atomic():
            if options["clear"]:
                self.clear()
            if n_instruments or n_agreements:
                if (
                    Instrument.objects.filter(is_synthetic=True).exists()
                    or Agreement.objects.filter(is_synthetic=True).exists()
                ):
                    raise CommandError("Synthetic records already exist; add --clear to replace them.")
                self.source = self.ensure_source()
            if n_instruments:
                with self.search_indexes_rebuilt(n_instruments):
                    self.make_instruments(n_instruments)
            if n_agreements:
                self.make_agreements(n_agreements)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics for the new rows
        bump_data_version()
        self.say(f"Done in {time.monotonic() - started:.1f} s.", style=self.style.SUCCESS)

    # ----------------------------------------------------------------------- helpers

    def say(self, message, style=None, level=1):
        if self.verbosity >= level:
            self.stdout.write(style(message) if style else message)

    def progress(self, label, done, total):
        if self.verbosity >= 1:
            self.stdout.write(f"  {label}: {done:,}/{total:,}", ending="\r" if done < total else "\n")
            self.stdout.flush()

    def write(self, model, objects, label):
        total = len(objects)
        for start in range(0, total, BATCH):
            model.objects.bulk_create(objects[start : start + BATCH], batch_size=BATCH)
            self.progress(label, min(start + BATCH, total), total)

    @contextlib.contextmanager
    def search_indexes_rebuilt(self, rows):
        """On PostgreSQL, drop the full-text and trigram indexes for a large load and build
        them again afterwards: one build is many times faster than row-by-row GIN updates."""
        if connection.vendor != "postgresql" or rows < 2000:
            yield
            return
        with connection.schema_editor(atomic=False) as editor:
            for name in SEARCH_INDEXES:
                editor.execute(f"DROP INDEX IF EXISTS {editor.quote_name(name)}")
        yield
        started = time.monotonic()
        with connection.schema_editor(atomic=False) as editor:
            editor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            # Check the deferred foreign keys now: PostgreSQL builds no index under pending triggers.
            editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in SEARCH_INDEXES.values():
                editor.execute(statement)
            editor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.say(f"  search indexes rebuilt in {time.monotonic() - started:.1f} s")

    def ensure_source(self):
        source, _ = Source.objects.get_or_create(
            id=SOURCE_ID,
            defaults={
                "kind": Source.Kind.DATASET,
                "citation": "Synthetic benchmark data made by `manage.py gen_synthetic`; not a real source.",
                "note": "Every record citing this source is synthetic.",
            },
        )
        return source

    def profile(self):
        """(kind, level, jurisdiction) frequencies of the real instruments, or the built-in ones."""
        real = Counter(Instrument.objects.filter(is_synthetic=False).values_list("kind", "level", "jurisdiction"))
        if sum(real.values()) >= 5:
            return dict(real)
        return FALLBACK_PROFILE

    def subjects(self):
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

    def countries(self):
        """Kazakhstan and the partner states, created from ISO 3166 when missing."""
        wanted = {"KZ", *PARTNERS}
        have = set(Country.objects.filter(code__in=wanted).values_list("code", flat=True))
        missing = []
        for code in sorted(wanted - have):
            record = pycountry.countries.get(alpha_2=code)
            missing.append(Country(code=code, alpha3=record.alpha_3, numeric=record.numeric, name_en=record.name))
        Country.objects.bulk_create(missing)
        return {c.code: c for c in Country.objects.filter(code__in=wanted)}

    # ----------------------------------------------------------------------- instruments

    def make_instruments(self, total):
        rng = self.rng
        profile = self.profile()
        subject_codes = self.subjects()
        self.say(f"Generating {total:,} synthetic instruments…")
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
            official = {"eu": ("en", "ru"), "kz": ("ru", "kk"), "eaeu": ("ru",), "cis": ("ru",)}.get(
                jurisdiction, ("en",)
            )
            kind_of = {
                code: TextKind.OFFICIAL if code in official else TextKind.UNOFFICIAL for code in ("en", "ru", "kk")
            }
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
                    adilet_code=f"{'Z' if kind == 'law' else 'P'}{year % 100:02d}{n:08d}"
                    if jurisdiction == "kz"
                    else "",
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
        self.write(Instrument, instruments, "instruments")

        through = Instrument.subjects.through
        links = []
        for instrument in instruments:
            for code in rng.sample(subject_codes, k=min(len(subject_codes), rng.choice((1, 1, 2, 2, 3)))):
                links.append(through(instrument_id=instrument.id, subject_id=code))
        self.write(through, links, "subject links")

        self.write(Relationship, self.relationships(instruments), "relationships")
        self.write(
            Provenance,
            self.provenance(instruments, Instrument, ("title_en", "entry_into_force", "number")),
            "provenance rows",
        )

    def relationships(self, instruments):
        """Later instruments amend, repeal, implement or cite earlier ones of the same jurisdiction."""
        rng = self.rng
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

    def provenance(self, records, model, fields):
        rng = self.rng
        content_type = ContentType.objects.get_for_model(model)
        rows = []
        for record in records:
            for field in rng.sample(fields, k=rng.choice((1, 2, 2, 3))):
                rows.append(
                    Provenance(
                        id=f"{PREFIX}p-{content_type.model}-{record.id}-{field}"[:200],
                        content_type=content_type,
                        object_id=record.id,
                        field=field,
                        source=self.source,
                        confidence=weighted(rng, CONFIDENCE),
                        locator="synthetic",
                    )
                )
        return rows

    # ----------------------------------------------------------------------- agreements

    def make_agreements(self, total):
        rng = self.rng
        countries = self.countries()
        self.say(f"Generating {total:,} synthetic agreements…")
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
            eov = (
                eif + datetime.timedelta(days=rng.randrange(3 * 365, 20 * 365)) if eif and rng.random() < 0.05 else None
            )
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
        self.write(Agreement, agreements, "agreements")
        self.write(Party, parties, "parties")
        self.write(
            Provenance,
            self.provenance(agreements, Agreement, ("date_signed", "entry_into_force", "ratification_law_number")),
            "provenance rows",
        )

    # ----------------------------------------------------------------------- clearing

    def clear(self):
        """Delete every synthetic row with plain SQL deletes, in dependency order.

        The ORM's cascading delete would load each record and write a change-history row
        for it; these rows have no history, and their ids say what they are.
        """
        synthetic_instruments = Instrument.objects.filter(is_synthetic=True).values("pk")
        synthetic_agreements = Agreement.objects.filter(is_synthetic=True).values("pk")
        steps = [
            Provenance.objects.filter(id__startswith=PREFIX),
            Provenance.objects.filter(object_id__startswith=PREFIX),
            Relationship.objects.filter(subject__in=synthetic_instruments),
            Relationship.objects.filter(object__in=synthetic_instruments),
            Instrument.subjects.through.objects.filter(instrument__in=synthetic_instruments),
            Discrepancy.instruments.through.objects.filter(instrument__in=synthetic_instruments),
            Discrepancy.agreements.through.objects.filter(agreement__in=synthetic_agreements),
            OfficialText.objects.filter(instrument__in=synthetic_instruments),
            Provision.objects.filter(instrument__in=synthetic_instruments),
            Party.objects.filter(agreement__in=synthetic_agreements),
            Instrument.objects.filter(is_synthetic=True),
            Agreement.objects.filter(is_synthetic=True),
            Subject.objects.filter(code__startswith=PREFIX),
            Source.objects.filter(id=SOURCE_ID),
        ]
        removed = 0
        for queryset in steps:
            removed += queryset._raw_delete(connection.alias)
        self.say(f"Removed {removed:,} synthetic rows.")
