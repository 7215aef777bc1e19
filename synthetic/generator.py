"""One generation run of synthetic benchmark records (manage.py gen_synthetic is its command line).

Every record made here is flagged `is_synthetic=True` (instruments, agreements) and every
id starts with "syn-" (instruments, agreements, parties, relationships, provenance, and the
one synthetic source), so clearing (synthetic.clearing) removes exactly what was made and
nothing else. The records are never written to fixtures/, so `load_kb` never loads them.

Rows are written with bulk_create in batches, bypassing model signals (so no change
history is written for them) and then the response cache is invalidated once. What the
records look like is in synthetic.distributions; how instruments and agreements are made,
in synthetic.instrument_records and synthetic.agreement_records.
"""

import contextlib
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from agreements.models import Agreement
from core.versioning import bump_data_version
from instruments.models import Instrument
from instruments.search import SEARCH_INDEXES
from sources.models import Provenance, Source
from synthetic.agreement_records import make_agreements
from synthetic.clearing import clear
from synthetic.distributions import BATCH, CONFIDENCE, PREFIX, SOURCE_ID, weighted
from synthetic.instrument_records import make_instruments


class SyntheticRecordsExist(Exception):
    """New records were asked for while synthetic ones are in the database (clear them first)."""


def _quiet(*args, **kwargs):
    pass


def generate(instruments=0, agreements=0, *, seed=1, clear_first=False, say=_quiet, progress=_quiet):
    """Optionally remove every synthetic row, then add `instruments` and `agreements` made
    from `seed` (same seed, same records), in one transaction; then fresh planner statistics
    (PostgreSQL) and a new data version, so cached responses are not served again."""
    generator = Generator(seed, say, progress)
    with transaction.atomic():
        if clear_first:
            say(f"Removed {clear():,} synthetic rows.")
        if instruments or agreements:
            if (
                Instrument.objects.filter(is_synthetic=True).exists()
                or Agreement.objects.filter(is_synthetic=True).exists()
            ):
                raise SyntheticRecordsExist("Synthetic records already exist; add --clear to replace them.")
            generator.source = generator.ensure_source()
        if instruments:
            with generator.search_indexes_rebuilt(instruments):
                make_instruments(generator, instruments)
        if agreements:
            make_agreements(generator, agreements)
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # Maintenance, not a request: the web processes' ceiling (kzmigration/database.py)
            # does not apply; on a busy machine ANALYZE of every table can take longer.
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute("ANALYZE")  # fresh planner statistics for the new rows
    bump_data_version()


class Generator:
    """What the record makers share: the random source, the output, the synthetic source
    record, batched writes and provenance rows."""

    def __init__(self, seed, say=_quiet, progress=_quiet):
        self.rng = random.Random(seed)
        self.say, self.progress = say, progress
        self.source = None

    def write(self, model, objects, label):
        """bulk_create in batches of BATCH rows (no model signals), with progress."""
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

    def provenance(self, records, model, fields):
        """One to three of `fields` per record, each citing the synthetic source."""
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
