"""The dump as a citable data package: Frictionless `datapackage.json`, an SQLite database, the
licence and how to cite it (export_kb writes them beside the JSON and CSV of every table).

- `datapackage.json` (Frictionless Data Package v1): one resource per CSV with its Table Schema —
  field types, required fields, the primary key and foreign keys, descriptions from the codebook —
  and its SHA-256, so `frictionless validate datapackage.json` checks types, keys and checksums.
- `kzmigration.sqlite3`: the same tables, typed, with their primary and foreign keys, for Datasette,
  sqlite-utils or any SQL client as it is.
- `LICENSE-DATA.md` (CC BY 4.0; the code stays MIT), `CITATION.cff` and `README.md` (how to cite).

The version is the project's with a digest of the data (`0.2.0+data.1a2b3c4d5e6f`): the same data
gives the same version, and the output stays deterministic; `--release` names a release instead.
"""

import csv
import hashlib
import io
import sqlite3
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import models

from datafiles import codebook

PACKAGE_NAME = "kzmigration-kb"
DATAPACKAGE = "datapackage.json"
SQLITE = "kzmigration.sqlite3"
LICENSE_FILE = "LICENSE-DATA.md"
CITATION_FILE = "CITATION.cff"
README = "README.md"
CHECKSUMS = "SHA256SUMS"
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by-4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
TITLE = "kzmigration: legal instruments on migration to, from and through Kazakhstan"
AUTHORS = "the kzmigration authors"


def project_version():
    import tomllib

    with open(settings.BASE_DIR / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def data_version(digests):
    """The project's version with a digest of every table's data: the same data, the same version."""
    digest = hashlib.sha256("".join(f"{name}:{value}\n" for name, value in sorted(digests.items())).encode())
    return f"{project_version()}+data.{digest.hexdigest()[:12]}"


def resource_name(model):
    return model._meta.label_lower  # "agreements.agreement": lower case, dots allowed


def table_fields(model):
    """The CSV's columns (export_kb.to_csv writes them in this order)."""
    return (
        [model._meta.pk]
        + [f for f in model._meta.concrete_fields if not f.primary_key]
        + list(model._meta.many_to_many)
    )


def descriptions(model):
    entries = {row["name"]: row for row in codebook.describe_model(model._meta.label)["fields"]}
    return entries


def field_schema(model, field, described):
    entry = described.get(field.name, {})
    schema = {"name": field.name}
    description = entry.get("description") or str(getattr(field, "verbose_name", "") or "")
    if field.many_to_many:
        target = field.related_model._meta.label_lower
        schema.update(type="string", description=f"{description}. Ids in {target}, separated by ';'.")
        return schema
    if field.is_relation:
        target = field.related_model
        if target._meta.label_lower == "contenttypes.contenttype":
            schema.update(type="string", description=f"{description}. The record's table, as app.model.")
            return schema
        field = field.target_field
    internal = field.get_internal_type()
    if isinstance(field, models.BooleanField):
        schema.update(type="boolean", trueValues=["true"], falseValues=["false"])
    elif internal in ("DateField",):
        schema["type"] = "date"
    elif internal in ("DateTimeField",):
        schema.update(type="datetime", format="any")
    elif internal in ("IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                      "PositiveSmallIntegerField", "PositiveBigIntegerField", "AutoField", "BigAutoField"):  # fmt: skip
        schema["type"] = "integer"
    elif internal in ("DecimalField", "FloatField"):
        schema["type"] = "number"
    else:
        schema["type"] = "string"
    if description:
        schema["description"] = description
    constraints = {}
    original = model._meta.get_field(schema["name"])
    if original.primary_key:
        constraints.update(required=True, unique=True)
    elif not (original.null or getattr(original, "blank", False)) and not original.has_default():
        constraints["required"] = True
    choices = [str(value) for value, _ in original.choices] if getattr(original, "choices", None) else []
    if choices and schema["type"] == "string":
        constraints["enum"] = choices
    if constraints:
        schema["constraints"] = constraints
    return schema


def table_schema(model):
    described = descriptions(model)
    schema = {
        "fields": [field_schema(model, field, described) for field in table_fields(model)],
        "primaryKey": [model._meta.pk.name],
        "missingValues": [""],
    }
    foreign_keys = []
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model._meta.label_lower != "contenttypes.contenttype":
            target = field.related_model
            foreign_keys.append(
                {
                    "fields": [field.name],
                    "reference": {
                        "resource": "" if target is model else resource_name(target),
                        "fields": [field.target_field.name],
                    },
                }
            )
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def datapackage(models_, files, version):
    """The descriptor: one tabular resource per CSV, plus the other files as plain resources."""
    resources = []
    for model in models_:
        name = f"{model._meta.label_lower}.csv"
        resources.append(
            {
                "name": resource_name(model),
                "path": name,
                "profile": "tabular-data-resource",
                "title": str(model._meta.verbose_name_plural),
                "description": codebook.describe_model(model._meta.label)["description"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": f"sha256:{files[name]}",
                "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
                "schema": table_schema(model),
            }
        )
    for name, mediatype, description in (
        (SQLITE, "application/vnd.sqlite3", "Every table in one SQLite database (Datasette, sqlite-utils)."),
        ("codebook.md", "text/markdown", "The codebook: every field and vocabulary."),
        ("codebook.json", "application/json", "The codebook as JSON."),
        (LICENSE_FILE, "text/markdown", "The data licence (CC BY 4.0)."),
        (CITATION_FILE, "application/x-yaml", "How to cite the data (Citation File Format)."),
    ):
        resources.append(
            {
                "name": name.lower().replace("_", "-"),
                "path": name,
                "mediatype": mediatype,
                "description": description,
                "hash": f"sha256:{files[name]}",
            }
        )
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": TITLE,
        "version": version,
        "description": (
            "Legal instruments that govern migration to, from and through Kazakhstan (EU, EAEU, CIS, UN and "
            "Kazakh law), Kazakhstan's agreements with partner states, and where a 2024 article about them is "
            "wrong; every fact with its sources. " + how_to_cite(version)
        ),
        "homepage": settings.KB_CANONICAL_URL + "/en/data/",
        "licenses": [LICENSE],
        "contributors": [{"title": AUTHORS, "role": "author"}],
        "keywords": ["migration", "Kazakhstan", "readmission agreements", "legislation", "EU law", "EAEU", "CIS"],
        "resources": resources,
    }


def how_to_cite(version):
    return (
        f"Cite as: {AUTHORS[0].upper() + AUTHORS[1:]} ({version_year()}). {TITLE} (version {version}) "
        f"[Data set]. {settings.KB_CANONICAL_URL}/en/data/. Licence: CC BY 4.0."
    )


def version_year():
    """The year of the data's status day (KB_TODAY or today): the year the release describes."""
    from core.lifecycle import today

    return today().year


# --- SQLite ---------------------------------------------------------------------------------

SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def sqlite_value(value, field_type):
    if value == "":
        return None
    if field_type == "integer":
        return int(value)
    if field_type == "number":
        return float(value)
    if field_type == "boolean":
        return 1 if value == "true" else 0
    return value


def write_sqlite(path, models_, csv_texts):
    """One table per CSV (named as Django names it), typed, with primary and foreign keys."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch) / SQLITE
        db = sqlite3.connect(scratch_path)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            for model in models_:
                schema = table_schema(model)
                table = model._meta.db_table
                columns = []
                for entry in schema["fields"]:
                    column = f'"{entry["name"]}" {SQL_TYPES.get(entry["type"], "TEXT")}'
                    if entry["name"] in schema["primaryKey"]:
                        column += " PRIMARY KEY"
                    elif entry.get("constraints", {}).get("required"):
                        column += " NOT NULL"
                    columns.append(column)
                for key in schema.get("foreignKeys", []):
                    target = model if not key["reference"]["resource"] else _model_of(models_, key)
                    columns.append(
                        f'FOREIGN KEY ("{key["fields"][0]}") REFERENCES "{target._meta.db_table}" '
                        f'("{key["reference"]["fields"][0]}")'
                    )
                db.execute(f'CREATE TABLE "{table}" ({", ".join(columns)})')
                reader = csv.reader(io.StringIO(csv_texts[model]))
                header = next(reader)
                types = [entry["type"] for entry in schema["fields"]]
                placeholders = ", ".join("?" for _ in header)
                names = ", ".join(f'"{name}"' for name in header)
                db.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({placeholders})',
                    ([sqlite_value(v, t) for v, t in zip(row, types, strict=True)] for row in reader),
                )
            db.commit()
            db.execute("VACUUM")
        finally:
            db.close()
        Path(path).write_bytes(scratch_path.read_bytes())


def _model_of(models_, key):
    return next(m for m in models_ if resource_name(m) == key["reference"]["resource"])


# --- Licence and citation ----------------------------------------------------------------------


def license_text():
    return (settings.BASE_DIR / "LICENSE-DATA.md").read_text(encoding="utf-8")


def citation_cff(version):
    """The repository's CITATION.cff with this release's version."""
    text = (settings.BASE_DIR / "CITATION.cff").read_text(encoding="utf-8")
    lines = [f'version: "{version}"' if line.startswith("version:") else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def readme(version, manifest):
    tables = "\n".join(f"| `{t['csv']}` | {t['rows']} |" for t in manifest["tables"])
    return f"""# {TITLE}

Version {version}. Data licence: CC BY 4.0 ({LICENSE_FILE}); the code that made it is MIT.

## How to cite

{how_to_cite(version)}

The same in machine-readable form: {CITATION_FILE} (Citation File Format).

## What is here

- `datapackage.json`: a Frictionless Data Package; every CSV with its Table Schema (types, required
  fields, primary and foreign keys, descriptions). Check it with `frictionless validate datapackage.json`.
- One CSV and one JSON file per table (the JSON is what `manage.py import_kb` reads back).
- `{SQLITE}`: every table in one SQLite database (`datasette {SQLITE}`).
- `codebook.md` / `codebook.json`: every field and vocabulary.
- `manifest.json` and `SHA256SUMS`: the SHA-256 of every file (`sha256sum -c SHA256SUMS`).

Dates are ISO 8601; each has a `…_precision` companion (`day`, `month`, `year`, `unknown`): a date known
to the month or the year is written as the first day of that period, so read the precision with it.

| table | rows |
|---|---|
{tables}
"""
