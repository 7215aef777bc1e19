"""Write the whole knowledge base to a directory: a versioned, checksummed bulk dump.

    python manage.py export_kb DIR

DIR gets, for every table, `<app>.<model>.json` (Django's serialisation, the one
import_kb reads) and `<app>.<model>.csv` (the same rows for spreadsheets), the codebook
as `codebook.md` and `codebook.json`, and `manifest.json` with the format version, the
schema (latest migration per app), row counts and the SHA-256 of every file.

It is also a citable, versioned data package (datafiles/package.py): `datapackage.json`
(Frictionless, a Table Schema per CSV), `kzmigration.sqlite3`, the data licence
(`LICENSE-DATA.md`, CC BY 4.0), `CITATION.cff`, a `README.md` saying how to cite it, and
`SHA256SUMS`. `--release 1.0.0` names the release; by default the version is the project's
with a digest of the data.

The output is deterministic: rows in primary-key order, keys sorted, no timestamps, so
export → import → export gives byte-identical files.
"""

import csv
import datetime
import decimal
import hashlib
import io
import json
import uuid
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from api.renderers import neutralised
from datafiles import codebook, package

FORMAT = "kzmigration-kb-dump"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

# Load order: every table after the tables its foreign keys point to (self-references and
# many-to-many rows are resolved within the import's transaction).
TABLES = [
    "countries.Country",
    "countries.Organisation",
    "countries.Membership",
    "subjects.Subject",
    "instruments.Instrument",
    "instruments.OfficialText",
    "instruments.Provision",
    "instruments.Relationship",
    "instruments.InstrumentParty",
    "sources.Source",
    "agreements.Agreement",
    "agreements.Party",
    "agreements.ArticleStateMention",
    "errata.Discrepancy",
    "sources.Provenance",
]
APPS = ("countries", "sources", "subjects", "instruments", "agreements", "errata")


def table_models():
    return [apps.get_model(label) for label in TABLES]


def unlisted_models():
    """Knowledge-base models the dump does not cover (a new model must be added to TABLES)."""
    listed = {model._meta.label for model in table_models()}
    return sorted(
        model._meta.label
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in listed and not model.__name__.startswith("Historical")
    )


def schema_state():
    """The latest applied migration of each app; a dump only loads into the same schema."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    state = {}
    for app in APPS:
        applied = sorted(name for app_label, name in loader.applied_migrations if app_label == app)
        state[app] = applied[-1] if applied else None
    return state


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def file_name(model, ext):
    return f"{model._meta.label_lower}.{ext}"


def json_value(value):
    """Lossless JSON for what Django's python serialiser yields (dates with microseconds)."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def table_records(model):
    """The table's rows as Django's python serialisation, in primary-key order.

    Foreign keys to content types use natural keys (["agreements", "agreement"]) because
    content-type ids differ between databases; every other reference is a stable id.
    """
    queryset = model.objects.order_by("pk")
    # The serialiser reads the related object of each natural-keyed foreign key: joined here,
    # not fetched one query per row (17,000 queries for the provenance's content types).
    natural = [
        field.name
        for field in model._meta.concrete_fields
        if field.many_to_one and hasattr(field.related_model, "natural_key")
    ]
    if natural:
        queryset = queryset.select_related(*natural)
    if model._meta.many_to_many:
        queryset = queryset.prefetch_related(*(f.name for f in model._meta.many_to_many))
    records = serializers.serialize("python", queryset, use_natural_foreign_keys=True)
    for record in records:  # many-to-many ids in a fixed order, whatever the related model's ordering
        for field in model._meta.many_to_many:
            record["fields"][field.name] = sorted(record["fields"][field.name], key=str)
    return json.loads(json.dumps(records, default=json_value))


def to_json(records):
    return json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, int | float):
        return str(value)
    # The same rule as the API's CSV: a text that starts like a formula gets a leading quote, so a
    # spreadsheet shows it rather than running it. The JSON files, which import reads, keep it as it is.
    return neutralised(str(value))


def to_csv(model, records):
    """The JSON rows flattened: natural keys joined by '.', many-to-many ids joined by ';'."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key] + list(model._meta.many_to_many)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([model._meta.pk.name] + [f.name for f in fields])
    for record in records:
        row = [csv_value(record["pk"])]
        for field in fields:
            value = record["fields"].get(field.name)
            if field.many_to_many:
                row.append(";".join(str(pk) for pk in value or []))
            elif field.is_relation and isinstance(value, list):
                row.append(".".join(str(part) for part in value))
            else:
                row.append(csv_value(value))
        writer.writerow(row)
    return out.getvalue()


class Command(BaseCommand):
    help = "Export the knowledge base to DIR: JSON and CSV per table, the codebook, and a checksummed manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", help="Output directory (created if missing; existing dump files are replaced)."
        )
        parser.add_argument(
            "--release",
            default="",
            help="The release's version (default: the project's version with a digest of the data).",
        )

    def handle(self, *args, directory, release="", verbosity=1, **options):
        missing = unlisted_models()
        if missing:
            raise CommandError(f"export_kb does not know these tables yet, add them to TABLES: {', '.join(missing)}")
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema": schema_state(),
            "tables": [],
            "files": {},
        }
        models = table_models()
        csv_texts = {}
        for number, model in enumerate(models, start=1):
            records = table_records(model)
            json_name, csv_name = file_name(model, "json"), file_name(model, "csv")
            (out / json_name).write_text(to_json(records), encoding="utf-8")
            csv_texts[model] = to_csv(model, records)
            (out / csv_name).write_text(csv_texts[model], encoding="utf-8")
            rows = len(records)
            manifest["tables"].append(
                {"table": model._meta.label_lower, "rows": rows, "json": json_name, "csv": csv_name}
            )
            if verbosity:
                self.stdout.write(f"[{number}/{len(models)}] {model._meta.label_lower}: {rows} rows")
        (out / "codebook.md").write_text(codebook.render_markdown(), encoding="utf-8")
        (out / "codebook.json").write_text(
            json.dumps(codebook.codebook(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        names = [name for table in manifest["tables"] for name in (table["json"], table["csv"])]
        names += ["codebook.md", "codebook.json"]
        digests = {name: sha256(out / name) for name in names}
        version = release or package.data_version(digests)
        manifest["version"] = version
        package.write_sqlite(out / package.SQLITE, models, csv_texts)
        (out / package.LICENSE_FILE).write_text(package.license_text(), encoding="utf-8")
        (out / package.CITATION_FILE).write_text(package.citation_cff(version), encoding="utf-8")
        for name in (package.SQLITE, package.LICENSE_FILE, package.CITATION_FILE):
            digests[name] = sha256(out / name)
        descriptor = package.datapackage(models, digests, version)
        (out / package.DATAPACKAGE).write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        (out / package.README).write_text(package.readme(version, manifest), encoding="utf-8")
        for name in (package.DATAPACKAGE, package.README):
            digests[name] = sha256(out / name)
        manifest["files"] = digests
        (out / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        sums = {**digests, MANIFEST: sha256(out / MANIFEST)}
        (out / package.CHECKSUMS).write_text(
            "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())), encoding="utf-8"
        )
        if verbosity:
            total = sum(table["rows"] for table in manifest["tables"])
            self.stdout.write(self.style.SUCCESS(f"Exported {total} rows in {len(models)} tables to {out}."))
