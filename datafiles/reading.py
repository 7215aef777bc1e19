"""Reading a data directory into unsaved records, collecting every problem on the way.

Each file is parsed strictly and checked against its schema; a file that passes is
turned into unsaved model instances (a Bundle per record) and every instance runs
full_clean() — field rules and the model's clean(), without the database: relations,
uniqueness and constraints are left to the cross-checks and to the load. Problems are
(path, field, message), the field a dotted path into the file (`date_adopted.value`,
`relationships[1].object`).
"""

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from . import registry, schema, yamlio
from .records import Bundle, child_codec, codec_of, derive_id

MISSING = object()


@functools.lru_cache(maxsize=4096)
def parsed(kind_name, text):
    """A file's data and its schema problems, kept per process by the file's text. The test
    suite reads the same unchanged files in over a hundred loads and checks in one process,
    and parsing and the schema were half of each. The data is only read, never changed."""
    data = yamlio.parse(text)
    return data, schema.problems(kind_name, data)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    field: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.field or '(file)'}: {self.message}"


@dataclass
class Placed:
    """Where an instance came from in its file: its own path, and each model field's path."""

    obj: object
    path: str
    prefix: str
    fields: dict


def discover(data_dir):
    """(file type, path relative to the data dir) of every data file, and problems for stray files."""
    data_dir = Path(data_dir)
    found, problems = [], []
    known = set()
    for kind in registry.FILE_TYPES:
        if kind.per_record:
            folder = data_dir / kind.name
            files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        else:
            files = [data_dir / kind.file_name] if (data_dir / kind.file_name).is_file() else []
        for path in files:
            relative = path.relative_to(data_dir).as_posix()
            found.append((kind, relative))
            known.add(relative)
    for path in sorted([*data_dir.rglob("*.yaml"), *data_dir.rglob("*.yml")]):
        relative = path.relative_to(data_dir).as_posix()
        if relative not in known:
            problems.append(Problem(relative, "", "not a data file here (see docs/data-entry.md for the layout)"))
    return found, problems


class Reader:
    """Turns parsed files into bundles; one per run, so provenance ids are numbered across it."""

    def __init__(self):
        self.problems = []
        self.bundles = {}
        self.placed = []
        self.entries = []  # (provenance row, file path, entry path)
        self.taken = set()
        # Records of files that could not be read ({label: pks}): no follow-on "unknown record" problems.
        self.unread = {}

    def problem(self, path, field, message):
        self.problems.append(Problem(path, field, str(message)))

    def read(self, data_dir):
        data_dir = Path(data_dir)
        files, self.problems = discover(data_dir)
        if not files:
            # Never an empty load: it would delete every record loaded before.
            self.problem(str(data_dir), "", "no data files here (see docs/data-entry.md for the layout)")
        for kind, relative in files:
            try:
                data, found = parsed(kind.name, (data_dir / relative).read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                self.problem(relative, "", " ".join(str(exc).split()))
                self.not_read(kind, relative, None)
                continue
            for field, message in found:
                self.problem(relative, field, message)
            if found:
                self.not_read(kind, relative, data)
            else:
                self.file(kind, relative, data)
        return self

    def not_read(self, kind, relative, data):
        pk_name = codec_of(kind).pk.name
        if kind.per_record:
            pks = [Path(relative).stem]
        else:
            items = (
                data
                if isinstance(data, list)
                else [
                    item
                    for group in (data.values() if isinstance(data, dict) else [])
                    if isinstance(group, list)
                    for item in group
                ]
            )
            pks = [item[pk_name] for item in items if isinstance(item, dict) and pk_name in item]
        self.unread.setdefault(kind.label, set()).update(pks)

    def file(self, kind, relative, data):
        if kind.per_record:
            bundle = self.record(kind, relative, data, "")
            pk_name = codec_of(kind).pk.name
            if str(bundle.record.pk) != Path(relative).stem:
                self.problem(
                    relative, pk_name, f"the file of {bundle.record.pk!r} is named {kind.name}/{bundle.record.pk}.yaml"
                )
        elif kind.group_by:
            for group, items in data.items():
                for i, item in enumerate(items):
                    self.record(kind, relative, item, f"{group}[{i}].", {kind.group_by: group})
        else:
            for i, item in enumerate(data):
                self.record(kind, relative, item, f"[{i}].")

    def record(self, kind, relative, data, prefix, fixed=None):
        codec_ = codec_of(kind)
        obj, provenance, m2m, _refs = self.instance(codec_, relative, data, prefix, fixed or {})
        bundle = Bundle(kind, obj)
        if m2m:
            bundle.m2m[(obj._meta.label, obj.pk)] = m2m
        rows = [(obj, provenance)]
        for child in kind.children:
            child_codec_ = child_codec(child)
            made = []
            for i, item in enumerate(data.get(child.key, [])):
                made.append(
                    self.instance(
                        child_codec_, relative, item, f"{prefix}{child.key}[{i}].", {child.parent_field: obj.pk}
                    )
                )
            self.resolve_siblings(child, made, relative)
            for child_obj, child_provenance, child_m2m, _ in made:
                if child_m2m:
                    bundle.m2m[(child_obj._meta.label, child_obj.pk)] = child_m2m
                rows.append((child_obj, child_provenance))
            bundle.children[child.key] = [item[0] for item in made]
        for owner, provenance_of in rows:
            bundle.provenance += self.provenance(owner, provenance_of, relative)
        path = bundle.path
        if path in self.bundles:
            self.problem(relative, prefix.rstrip(".") or codec_.pk.name, f"{obj.pk!r} is given twice")
        else:
            self.bundles[path] = bundle
        return bundle

    def instance(self, codec_, relative, data, prefix, fixed):
        """An unsaved instance, its provenance entries by field, its many-to-many values, its sibling refs."""
        obj = codec_.model()
        fields, provenance, m2m, refs = {}, {}, {}, {}
        for name, value in fixed.items():
            setattr(obj, codec_.model._meta.get_field(name).attname, value)
        if not codec_.derived:
            setattr(obj, codec_.pk.attname, data[codec_.pk.name])
            fields[codec_.pk.name] = f"{prefix}{codec_.pk.name}"
        for spec in codec_.specs:
            raw = data.get(spec.name, MISSING)
            if raw is MISSING:
                continue
            mapped = isinstance(raw, dict)
            value = raw.get("value", spec.default()) if mapped else raw
            fields[spec.name] = f"{prefix}{spec.name}.value" if mapped else f"{prefix}{spec.name}"
            if spec.many:
                m2m[spec.name] = list(value)
            elif spec.sibling_key:
                refs[spec.field.attname] = (value, fields[spec.name])
            else:
                setattr(obj, spec.field.attname, value)
            for role, companion in spec.companions.items():
                fields[companion.name] = f"{prefix}{spec.name}.{role}"
                if mapped and role in raw:
                    setattr(obj, companion.attname, raw[role])
            if mapped and "sources" in raw:
                provenance[spec.name] = (raw["sources"], f"{prefix}{spec.name}.sources")
        for name in codec_.provenance_only:
            if name in data:
                provenance[name] = (data[name]["sources"], f"{prefix}{name}.sources")
        if "sources" in data:
            provenance["*"] = (data["sources"], f"{prefix}sources")
        if codec_.derived:
            obj.pk = derive_id(obj)
        self.placed.append(Placed(obj, relative, prefix, fields))
        return obj, provenance, m2m, refs

    def resolve_siblings(self, child, made, relative):
        """A provision's parent is written by label: find the sibling it names."""
        for name, key_field in child.sibling_refs.items():
            by_key = {getattr(item[0], key_field): item[0].pk for item in made}
            for obj, _provenance, _m2m, refs in made:
                value, where = refs.get(child.model._meta.get_field(name).attname, (None, ""))
                if value is None:
                    continue
                if value in by_key:
                    setattr(obj, child.model._meta.get_field(name).attname, by_key[value])
                else:
                    self.problem(relative, where, f"no {child.key} entry has {key_field} {value!r}")

    def provenance(self, owner, entries_by_field, relative):
        Provenance = registry.provenance_model()
        model_name = owner._meta.model_name
        rows = []
        for field_name, (entries, where) in entries_by_field.items():
            for i, entry in enumerate(entries):
                base = Provenance.id_base(model_name, str(owner.pk), field_name, entry["source"])
                pk, repeat = base, 1
                while pk in self.taken:
                    repeat += 1
                    pk = f"{base}-{repeat}"
                self.taken.add(pk)
                row = Provenance(
                    id=pk,
                    object_id=str(owner.pk),
                    field=field_name,
                    source_id=entry["source"],
                    confidence=entry["confidence"],
                    locator=entry.get("locator", ""),
                    quote=entry.get("quote", ""),
                    note=entry.get("note", ""),
                )
                row.content_model = model_name
                rows.append(row)
                self.entries.append((row, relative, f"{where}[{i}]"))
        return rows

    def validate(self, sources):
        """full_clean() on every instance (its field rules and clean()), without the database:
        provenance rows get their Source from sources.yaml, the only related record a clean() reads."""
        for row, _relative, _where in self.entries:
            # An unknown source is a cross-check problem (which reads the id from the row's
            # `given_source`); clean() would look it up in the database.
            row.given_source = row.source_id
            row.source = sources.get(row.source_id)
        keys = ("source", "confidence", "locator", "quote", "note")
        placed = self.placed + [
            Placed(row, relative, f"{where}.", {key: f"{where}.{key}" for key in keys})
            for row, relative, where in self.entries
        ]
        for item in placed:
            relations = [f.name for f in item.obj._meta.concrete_fields if f.is_relation]
            # full_clean(), in two steps: a record whose fields do not convert (an impossible date)
            # is not handed to clean(), which would compare a string with a date.
            try:
                item.obj.clean_fields(exclude=relations)
                item.obj.clean()
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    where = (
                        item.prefix.rstrip(".")
                        if name == NON_FIELD_ERRORS
                        else item.fields.get(name, f"{item.prefix}{name}")
                    )
                    for message in messages:
                        self.problem(item.path, where or "(record)", message)
