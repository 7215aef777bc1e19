"""Restore a dump written by export_kb, all or nothing.

    python manage.py import_kb DIR [--replace]

Everything is checked before the database is touched: the manifest's format and
version, the schema (same latest migration per app), the SHA-256 of every file, and
that every JSON file parses. The records are then written (the database enforcing
references, uniqueness and check constraints) and each one validated (`full_clean`: field
rules and the model's clean()) inside one transaction; the first failures are reported by table,
record id and field, and nothing is saved. Into a database that already holds
knowledge-base records it only imports with --replace (old records are deleted in the
same transaction, so a failed import leaves them as they were).
"""

import json
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from core.versioning import bump_data_version

from .export_kb import FORMAT, FORMAT_VERSION, MANIFEST, file_name, schema_state, sha256, table_models

MAX_REPORTED_ERRORS = 20


class ImportRejected(Exception):
    """The dump is not loaded; `errors` says why, one line per problem."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


class Command(BaseCommand):
    help = "Import a dump written by export_kb: validates everything, then writes in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A directory written by export_kb.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the knowledge base's current records (in the same transaction).",
        )

    def handle(self, *args, directory, replace=False, verbosity=1, **options):
        self.verbosity = verbosity
        folder = Path(directory)
        try:
            manifest = self.check_manifest(folder)
            self.check_files(folder, manifest)
            records = self.parse(folder, manifest)
            with transaction.atomic():
                self.make_room(replace)
                self.write(records)
                self.validate(records)
                # Raw saves and raw deletes send no change signals: invalidate cached responses once.
                transaction.on_commit(bump_data_version)
        except ImportRejected as exc:
            raise CommandError("Import refused, nothing was changed:\n  " + "\n  ".join(exc.errors)) from None
        if verbosity:
            total = sum(len(objects) for _, objects in records)
            self.stdout.write(self.style.SUCCESS(f"Imported {total} rows in {len(records)} tables from {folder}."))

    def progress(self, message):
        if self.verbosity:
            self.stdout.write(message)

    # ----------------------------------------------------------------- checks before writing

    def check_manifest(self, folder):
        path = folder / MANIFEST
        if not path.is_file():
            raise ImportRejected([f"{path}: no manifest; is this a directory written by export_kb?"])
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportRejected([f"{path}: not valid JSON ({exc})"]) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ImportRejected(
                [
                    f"{path}: format is {manifest.get('format')!r}, expected {FORMAT!r}"
                    if isinstance(manifest, dict)
                    else f"{path}: not a manifest object"
                ]
            )
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ImportRejected(
                [
                    f"{path}: format_version {manifest.get('format_version')!r} is not supported "
                    f"(this version reads {FORMAT_VERSION})"
                ]
            )
        current = schema_state()
        if manifest.get("schema") != current:
            raise ImportRejected(
                [
                    f"{path}: the dump's schema {manifest.get('schema')} differs from this database's "
                    f"{current}; migrate one side first"
                ]
            )
        expected = [model._meta.label_lower for model in table_models()]
        listed = [table.get("table") for table in manifest.get("tables", [])]
        if listed != expected:
            raise ImportRejected([f"{path}: tables {listed} differ from the expected {expected}"])
        return manifest

    def check_files(self, folder, manifest):
        errors = []
        files = manifest.get("files", {})
        for table in manifest["tables"]:
            for key in ("json", "csv"):
                if table.get(key) not in files:
                    errors.append(f"{MANIFEST}: no checksum for {table['table']}'s {key} file")
        for name, digest in sorted(files.items()):
            path = folder / name
            if Path(name).name != name:
                errors.append(f"{MANIFEST}: file name {name!r} is not a plain file name")
            elif not path.is_file():
                errors.append(f"{name}: missing")
            elif sha256(path) != digest:
                errors.append(f"{name}: checksum mismatch (the file was changed or damaged after export)")
        if errors:
            raise ImportRejected(errors)
        self.progress(f"Checked {len(files)} files against the manifest's checksums.")

    def parse(self, folder, manifest):
        records, errors = [], []
        for model, table in zip(table_models(), manifest["tables"]):
            name = file_name(model, "json")
            try:
                data = json.loads((folder / name).read_text(encoding="utf-8"))
                objects = list(serializers.deserialize("python", data, handle_forward_references=True))
            except (
                serializers.base.DeserializationError,
                UnicodeDecodeError,
                ValueError,
                TypeError,
                AttributeError,
                KeyError,
            ) as exc:
                errors.append(f"{name}: cannot be read: {exc}")
                continue
            wrong = [o.object for o in objects if type(o.object) is not model]
            if wrong:
                errors.append(f"{name}: holds a {wrong[0]._meta.label_lower} record ({wrong[0].pk!r})")
            if len(objects) != table["rows"]:
                errors.append(f"{name}: {len(objects)} records, the manifest says {table['rows']}")
            records.append((model, objects))
        if errors:
            raise ImportRejected(errors)
        return records

    # ----------------------------------------------------------------- inside the transaction

    def make_room(self, replace):
        present = {model._meta.label_lower: model.objects.count() for model in table_models()}
        if not any(present.values()):
            return
        if not replace:
            held = ", ".join(f"{count} {label}" for label, count in present.items() if count)
            raise ImportRejected([f"the database already holds records ({held}); use --replace to replace them"])
        # Raw deletes: the whole knowledge base goes, so protecting references between its
        # own records (a subject's parent, a provenance row's source) must not stop it.
        for model in reversed(table_models()):
            for field in model._meta.many_to_many:
                field.remote_field.through.objects.all()._raw_delete(model.objects.db)
            model.objects.all()._raw_delete(model.objects.db)
        self.progress("Removed the current records (kept if the import fails).")

    def write(self, records):
        for number, (model, objects) in enumerate(records, start=1):
            for deserialized in objects:
                try:
                    # The tables were emptied above: an insert, without the update Django
                    # tries first for a record with its primary key (half of the import's queries).
                    deserialized.save(force_insert=True)
                except (IntegrityError, DatabaseError, ValueError) as exc:
                    raise ImportRejected([f"{model._meta.label_lower} {deserialized.object.pk!r}: {exc}"]) from None
            self.progress(f"[{number}/{len(records)}] {model._meta.label_lower}: {len(objects)} rows written")
        for model, objects in records:
            for deserialized in objects:
                if deserialized.deferred_fields:
                    deserialized.save_deferred_fields()
        try:
            # Foreign keys are checked at commit on PostgreSQL; check them now to name the problem.
            connection.check_constraints(
                table_names=[
                    table
                    for model, _ in records
                    for table in [model._meta.db_table]
                    + [f.remote_field.through._meta.db_table for f in model._meta.many_to_many]
                ]
            )
        except IntegrityError as exc:
            raise ImportRejected([f"a reference points to a record that is not in the dump: {exc}"]) from None

    def validate(self, records):
        """Field rules and each model's clean() for every record, now that all of them are in place.

        References, uniqueness and check constraints are the database's to enforce (they were
        checked while writing, above), so validation needs no query per record: each record's
        foreign keys are pointed at the records just read.
        """
        index = {(type(d.object), d.object.pk): d.object for _, objects in records for d in objects}
        errors = []
        for model, objects in records:
            foreign_keys = [f for f in model._meta.concrete_fields if f.many_to_one]
            for deserialized in objects:
                record = deserialized.object
                for field in foreign_keys:
                    target = index.get((field.related_model, getattr(record, field.attname)))
                    if target is not None:
                        field.set_cached_value(record, target)
                try:
                    record.full_clean(
                        exclude=[f.name for f in foreign_keys], validate_unique=False, validate_constraints=False
                    )
                except ValidationError as exc:
                    for field, messages in exc.message_dict.items():
                        where = "" if field == "__all__" else f" field {field!r}"
                        errors.append(f"{model._meta.label_lower} {record.pk!r}{where}: {' '.join(messages)}")
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
        if errors:
            raise ImportRejected(errors[:MAX_REPORTED_ERRORS])
        self.progress(f"Validated {sum(len(objects) for _, objects in records)} records.")
