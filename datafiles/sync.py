"""Bringing the database in line with the data files, without losing an edit made in the admin.

For each record the plan compares three things: the file's canonical form, the
database's, and the hash stored (LoadedRecord) when they were last loaded or dumped.
A database record that no longer hashes as stored was edited there since: it is kept
and named (dump_kb writes it to its file; load_kb --overwrite replaces it). Writes are
row by row differences — only what changed is written, with one history entry per row
created, changed or deleted — in one transaction, with the response cache's data
version bumped once on commit.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core.versioning import bump_data_version

from . import registry

REASON = "Loaded from data files by load_kb"
BATCH = 500


@dataclass
class Plan:
    apply: list = field(default_factory=list)  # (file bundle, database bundle or None)
    delete: list = field(default_factory=list)  # database bundles
    remember: dict = field(default_factory=dict)  # path -> (bundle, digest)
    notes: list = field(default_factory=list)


def stored_hashes():
    return dict(registry.loaded_record_model().objects.values_list("path", "content_hash"))


def make_plan(files, database, stored, overwrite=False):
    plan = Plan()
    for path in sorted(set(files) | set(database) | set(stored)):
        on_file, in_db, known = files.get(path), database.get(path), stored.get(path)
        file_hash = on_file.digest() if on_file else None
        db_hash = in_db.digest() if in_db else None
        if on_file and in_db and file_hash == db_hash:
            if known != file_hash:
                plan.remember[path] = (on_file, file_hash)
        elif on_file and in_db:
            if known == db_hash or overwrite:
                plan.apply.append((on_file, in_db))
                plan.remember[path] = (on_file, file_hash)
            elif known is None:
                plan.notes.append(
                    f"kept the database's version of {path}, which differs from the file and was "
                    f"never loaded from or dumped to it; run dump_kb to write it to the file, or "
                    f"load_kb --overwrite to replace it"
                )
            elif known == file_hash:
                plan.notes.append(
                    f"kept the database's edit of {path}; run dump_kb to write it to the file, "
                    f"or load_kb --overwrite to replace it"
                )
            else:
                plan.notes.append(
                    f"{path} changed both in the file and in the database since the last load; kept "
                    f"the database's version; run dump_kb to write it to the file (losing the "
                    f"file's change), or load_kb --overwrite to replace it (losing the database's)"
                )
        elif on_file:
            if known is None or overwrite:
                plan.apply.append((on_file, None))
                plan.remember[path] = (on_file, file_hash)
            else:
                plan.notes.append(
                    f"kept the database's deletion of {path}; run dump_kb to remove the file, "
                    f"or load_kb --overwrite to load it again"
                )
        elif in_db:
            if known is None:
                plan.notes.append(
                    f"kept {path}, which exists only in the database (created there, never "
                    f"dumped); run dump_kb to write it to a file"
                )
            elif known == db_hash or overwrite:
                plan.delete.append(in_db)
            else:
                plan.notes.append(
                    f"kept {path}: its file was deleted, but the record was edited in the "
                    f"database since the last load; run dump_kb to write it back, or "
                    f"load_kb --overwrite to delete it"
                )
    return plan


def values(obj):
    return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)


class Writer:
    """The row-level differences of a plan, written in dependency order."""

    def __init__(self, plan):
        self.plan = plan
        self.created, self.updated, self.deleted = {}, {}, {}
        self.links_added, self.links_removed = {}, {}
        self.relinked = {}  # model -> {pk: row} whose many-to-many values change: a change of the record
        self.types = {
            model._meta.model_name: content_type
            for model, content_type in ContentType.objects.get_for_models(*registry.models_in_load_order()[:-1]).items()
        }

    def diff(self):
        wanted, current = {}, {}
        for on_file, in_db in self.plan.apply:
            for row in on_file.rows():
                if row._meta.label == registry.PROVENANCE:
                    row.content_type = self.types[row.content_model]
                wanted.setdefault(type(row), {})[row.pk] = row
            for row in in_db.rows() if in_db else ():
                current.setdefault(type(row), {})[row.pk] = row
            self.diff_links(on_file.m2m, in_db.m2m if in_db else {}, on_file)
        for in_db in self.plan.delete:
            for row in in_db.rows():
                current.setdefault(type(row), {})[row.pk] = row
            self.diff_links({}, in_db.m2m, in_db)
        for model in registry.models_in_load_order():
            new, old = wanted.get(model, {}), current.get(model, {})
            self.created[model] = [row for pk, row in new.items() if pk not in old]
            self.updated[model] = [row for pk, row in new.items() if pk in old and values(row) != values(old[pk])]
            self.deleted[model] = [row for pk, row in old.items() if pk not in new]
        return self

    def diff_links(self, wanted, current, bundle):
        """Many-to-many values, as through-table pairs to add and to remove."""
        for obj in bundle.rows():
            key = (obj._meta.label, obj.pk)
            for name in {*wanted.get(key, {}), *current.get(key, {})}:
                link = obj._meta.get_field(name)
                new, old = set(wanted.get(key, {}).get(name, [])), set(current.get(key, {}).get(name, []))
                self.links_added.setdefault(link, set()).update((obj.pk, target) for target in new - old)
                self.links_removed.setdefault(link, set()).update((obj.pk, target) for target in old - new)
                if new != old:
                    self.relinked.setdefault(type(obj), {})[obj.pk] = obj

    @property
    def changes(self):
        rows = sum(len(rows) for table in (self.created, self.updated, self.deleted) for rows in table.values())
        links = sum(len(pairs) for table in (self.links_added, self.links_removed) for pairs in table.values())
        return rows + links

    def write(self):
        for link, pairs in self.links_removed.items():
            self.through_rows(link, pairs, delete=True)
        for model in reversed(registry.models_in_load_order()):
            pks = [row.pk for row in self.deleted[model]]
            for start in range(0, len(pks), BATCH):
                model._base_manager.filter(pk__in=pks[start : start + BATCH])._raw_delete(model._base_manager.db)
        for model in registry.models_in_load_order():
            self.create(model, self.created[model])
            names = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            if self.updated[model]:
                model._base_manager.bulk_update(self.updated[model], names, batch_size=BATCH)
        for link, pairs in self.links_added.items():
            self.through_rows(link, pairs)
        when = timezone.now()
        for model in registry.models_in_load_order():
            written = {
                row.pk for rows in (self.created[model], self.updated[model], self.deleted[model]) for row in rows
            }
            relinked = [row for pk, row in self.relinked.get(model, {}).items() if pk not in written]
            for rows, kind in (
                (self.created[model], "+"),
                (self.updated[model] + relinked, "~"),
                (self.deleted[model], "-"),
            ):
                record_history(model, rows, kind, when)

    @staticmethod
    def create(model, rows):
        """bulk_create, keeping the files' times: auto_now would set updated_at to now."""
        automatic = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        kept = [[getattr(row, f.attname) for f in automatic] for row in rows]
        model._base_manager.bulk_create(rows, batch_size=BATCH)
        if automatic and rows:
            for row, times in zip(rows, kept, strict=True):
                for f, value in zip(automatic, times, strict=True):
                    setattr(row, f.attname, value)
            model._base_manager.bulk_update(rows, [f.name for f in automatic], batch_size=BATCH)

    @staticmethod
    def through_rows(link, pairs, delete=False):
        through = link.remote_field.through
        owner, target = f"{link.m2m_field_name()}_id", f"{link.m2m_reverse_field_name()}_id"
        if delete:
            for owner_pk, target_pk in pairs:
                through.objects.filter(**{owner: owner_pk, target: target_pk})._raw_delete(through.objects.db)
        else:
            through.objects.bulk_create([through(**{owner: o, target: t}) for o, t in sorted(pairs)], batch_size=BATCH)


def record_history(model, rows, history_type, when):
    """One history entry per row, as django-simple-history would write it for a save or delete."""
    manager = getattr(model, "history", None)
    if manager is None or not rows or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = manager.model
    entries = [
        history(
            history_date=when,
            history_type=history_type,
            history_change_reason=REASON,
            **{f.attname: getattr(row, f.attname) for f in history.tracked_fields},
        )
        for row in rows
    ]
    history.objects.bulk_create(entries, batch_size=BATCH)


def remember(plan, forgotten=()):
    """Store the hashes of the records loaded (or found in sync) and forget those deleted."""
    LoadedRecord = registry.loaded_record_model()
    now = timezone.now()
    paths = list(plan.remember) + [b.path for b in plan.delete] + list(forgotten)
    for start in range(0, len(paths), BATCH):
        LoadedRecord.objects.filter(path__in=paths[start : start + BATCH])._raw_delete(LoadedRecord.objects.db)
    LoadedRecord.objects.bulk_create(
        [
            LoadedRecord(
                path=path, model=bundle.kind.label, record=str(bundle.record.pk), content_hash=digest, loaded_at=now
            )
            for path, (bundle, digest) in plan.remember.items()
        ],
        batch_size=BATCH,
    )


def load(files, database, overwrite=False):
    """Apply the files to the database in one transaction; returns the plan and the number of rows changed."""
    stored = stored_hashes()
    plan = make_plan(files, database, stored, overwrite)
    forgotten = [path for path in stored if path not in files and path not in database]
    with transaction.atomic():
        writer = Writer(plan).diff()
        writer.write()
        remember(plan, forgotten)
        if writer.changes:
            transaction.on_commit(bump_data_version)
    return plan, writer
