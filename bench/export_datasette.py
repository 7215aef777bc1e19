"""Export the benchmark rows to a SQLite file for Datasette: the same rows, flat tables.

    DATABASE_URL=... python bench/export_datasette.py var/bench/datasette-1000.db

Tables: `instruments` (every column of the instruments table), `relationships` (for the
repeal test of the in-force filter), `instrument_subjects` (the subject filter), and
`agreement_partners` (one row per agreement and partner state, with every column of the
agreement: Datasette filters one table, so the "agreements with this country" question becomes
an equality filter there). Each filtered or sorted column gets an index, as anyone publishing
with Datasette would add.
"""

import os
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzmigration.settings.base")

import django  # noqa: E402

django.setup()

from agreements.models import Agreement, Party  # noqa: E402
from instruments.models import Instrument, Relationship  # noqa: E402

INDEXES = [
    ("instruments", "date_adopted"),
    ("instruments", "entry_into_force"),
    ("instruments", "jurisdiction"),
    ("relationships", "object_id, type"),
    ("instrument_subjects", "subject_id, instrument_id"),
    ("agreement_partners", "country"),
    ("agreement_partners", "date_signed"),
]


def columns(model):
    return [field.column for field in model._meta.concrete_fields]


def copy(target, table, names, rows, primary_key=None):
    declared = ", ".join(f'"{name}"' + (" PRIMARY KEY" if name == primary_key else "") for name in names)
    target.execute(f'CREATE TABLE "{table}" ({declared})')
    marks = ", ".join("?" for _ in names)
    target.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)


def convert(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def main(path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    target = sqlite3.connect(path)
    names = columns(Instrument)
    rows = ([convert(v) for v in row] for row in Instrument.objects.order_by("pk").values_list(*names))
    copy(target, "instruments", names, rows, primary_key="id")
    names = columns(Relationship)
    rows = ([convert(v) for v in row] for row in Relationship.objects.order_by("pk").values_list(*names))
    copy(target, "relationships", names, rows, primary_key="id")
    through = Instrument.subjects.through
    rows = through.objects.order_by("pk").values_list("pk", "instrument_id", "subject_id")
    copy(target, "instrument_subjects", ["id", "instrument_id", "subject_id"], rows, primary_key="id")
    agreement_names = columns(Agreement)
    id_position = agreement_names.index("id")
    agreements = {row[id_position]: row for row in Agreement.objects.values_list(*agreement_names)}
    names = ["party_id", "country"] + agreement_names
    rows = (
        [party_id, country] + [convert(v) for v in agreements[agreement_id]]
        for party_id, agreement_id, country in Party.objects.exclude(country="KZ")
        .order_by("pk")
        .values_list("pk", "agreement_id", "country_id")
    )
    copy(target, "agreement_partners", names, rows, primary_key="party_id")
    for table, cols in INDEXES:
        target.execute(f'CREATE INDEX "{table}_{cols.replace(", ", "_")}" ON "{table}" ({cols})')
    target.commit()
    target.execute("ANALYZE")
    target.close()


if __name__ == "__main__":
    main(sys.argv[1])
