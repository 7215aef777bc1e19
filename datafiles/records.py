"""A record with its children and provenance ⇄ the mapping its data file holds.

Driven by each model's _meta, not by per-field code: keys are field names in model
order (primary key first; derived ids and the parent link are never written), a field
at its default without provenance is left out, a field with provenance or a non-default
companion (`<field>_precision`, `<field>_kind`) is written `{value, precision|kind,
sources}`, and the record's own provenance (field "*") is its `sources`.

The same code encodes records built from a file and records read from the database, so
both have one canonical form: what dump_kb writes, and what LoadedRecord hashes.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache

from django.utils.text import slugify

from . import registry

ENTRY_KEYS = ("source", "confidence", "locator", "quote", "note")


class CannotExpress(Exception):
    """A fact the file format has no place for: the conversion stops instead of dropping it."""


@dataclass
class Spec:
    name: str
    field: object
    companions: dict
    sibling_key: str = ""

    @property
    def many(self):
        return self.field.many_to_many

    def default(self):
        return [] if self.many else plain(self.field.get_default())


class Codec:
    """How the records of one model are written: which keys, in which order, in which form."""

    def __init__(self, model, parent_field="", excluded=(), sibling_refs=None, group_by="", provenance_only=()):
        meta = model._meta
        self.model = model
        self.pk = meta.pk
        self.derived = not meta.pk.editable
        self.parent_field = parent_field
        self.group_by = group_by
        self.provenance_only = tuple(provenance_only)
        names = {f.name: f for f in meta.concrete_fields}
        fields = sorted([*meta.concrete_fields, *meta.many_to_many], key=lambda f: f.creation_counter)
        companions = {
            f.name: {
                role: names[f"{f.name}_{role}"] for role in registry.COMPANION_ROLES if f"{f.name}_{role}" in names
            }
            for f in fields
        }
        folded = {c.name for roles in companions.values() for c in roles.values()}
        skipped = {self.pk.name, parent_field, group_by, *excluded, *registry.NEVER_WRITTEN, *folded}
        sibling_refs = sibling_refs or {}
        self.specs = [
            Spec(f.name, f, companions[f.name], sibling_refs.get(f.name, ""))
            for f in fields
            if f.name not in skipped and not getattr(f, "generated", False)
        ]

    def ordering_key(self, obj):
        """Children in the model's Meta.ordering (without the parent link), empty values first, then pk."""
        key = []
        for term in self.model._meta.ordering:
            # A term is a field name or an expression such as F("date_from").asc(nulls_first=True).
            name = term.lstrip("-") if isinstance(term, str) else term.expression.name
            if name in (self.parent_field, self.group_by):
                continue
            value = getattr(obj, self.model._meta.get_field(name).attname)
            key.append((value is not None, value))
        return (*key, str(obj.pk))


@cache
def codec(label, parent_field="", excluded=(), sibling_refs=(), group_by="", provenance_only=()):
    from django.apps import apps

    return Codec(apps.get_model(label), parent_field, excluded, dict(sibling_refs), group_by, provenance_only)


def codec_of(kind):
    return codec(kind.label, excluded=kind.excluded, group_by=kind.group_by)


def child_codec(child):
    return codec(
        child.label,
        parent_field=child.parent_field,
        sibling_refs=tuple(child.sibling_refs.items()),
        provenance_only=child.provenance_only,
    )


def plain(value):
    """A Python value as the file writes it: dates as ISO strings, times in UTC with a Z."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- provenance rows


def provenance_order(row):
    """Rows of one field by source, then as numbered (-2, -3, …): the order their ids were given in."""
    base = registry.provenance_model().id_base(row.content_model, row.object_id, row.field, row.source_id)
    pk = row.pk or ""
    # `base`, or `base-N`; not a pattern built from `base`: compiling one per row (thousands,
    # past re's cache) cost a load more than half its time.
    number = 1 if pk == base else numbered(pk, base)
    return (base, number, pk)


def numbered(pk, base):
    """N of an id `base-N`; 0 for an id not of that form."""
    suffix = pk[len(base) + 1 :] if pk.startswith(base + "-") else ""
    return int(suffix) if suffix.isascii() and suffix.isdigit() else 0


def entry(row):
    values = {key: getattr(row, "source_id" if key == "source" else key) for key in ENTRY_KEYS}
    return {key: value for key, value in values.items() if value}


class ProvenanceIndex:
    """A bundle's provenance rows by record and field, each field's rows in canonical order."""

    def __init__(self, rows):
        self.rows = {}
        for row in rows:
            self.rows.setdefault((row.content_model, str(row.object_id)), {}).setdefault(row.field, []).append(row)
        for fields in self.rows.values():
            for name, found in fields.items():
                fields[name] = sorted(found, key=provenance_order)

    def of(self, obj):
        return dict(self.rows.get((obj._meta.model_name, str(obj.pk)), {}))


# --------------------------------------------------------------------------- encoding


def encode(codec_, obj, provenance, m2m, siblings=None, children=()):
    """The mapping a file holds for `obj`; `provenance` is {field: rows}, `children` [(key, [mappings])]."""
    out = {} if codec_.derived else {codec_.pk.name: plain(obj.pk)}
    remaining = dict(provenance)
    for spec in codec_.specs:
        if spec.many:
            value = sorted(m2m.get(spec.name, []))
        elif spec.sibling_key:
            value = (siblings or {}).get(spec.name, {}).get(getattr(obj, spec.field.attname))
        else:
            value = plain(getattr(obj, spec.field.attname))
        companions = {role: getattr(obj, companion.attname) for role, companion in spec.companions.items()}
        rows = remaining.pop(spec.name, [])
        plain_companions = all(
            companions[role] == companion.get_default() for role, companion in spec.companions.items()
        )
        if not rows and plain_companions:
            if value != spec.default():
                out[spec.name] = value
            continue
        mapped = {"value": value, **{role: given for role, given in companions.items() if given != ""}}
        if rows:
            mapped["sources"] = [entry(row) for row in rows]
        out[spec.name] = mapped
    record_rows = remaining.pop("*", [])
    for name in sorted(remaining):
        if name not in codec_.provenance_only:
            raise CannotExpress(
                f"{codec_.model._meta.label} {obj.pk}: provenance on {name!r}, which the files "
                f"cannot hold (not a field, nor declared provenance-only in datafiles.registry)"
            )
        out[name] = {"sources": [entry(row) for row in remaining[name]]}
    if record_rows:
        out["sources"] = [entry(row) for row in record_rows]
    for key, items in children:
        if items:
            out[key] = items
    return out


@dataclass
class Bundle:
    """One data-file record: the record, its children by key, the provenance of all of them, and
    many-to-many values as {(model label, pk): {field: [pks]}}.

    Each provenance row carries `content_model` (the model name of the record it documents),
    set by whoever built it: rows built from a file have no content type until they are saved.
    """

    kind: object
    record: object
    children: dict = field(default_factory=dict)
    provenance: list = field(default_factory=list)
    m2m: dict = field(default_factory=dict)

    @property
    def path(self):
        return self.kind.path_of(self.record.pk)

    def rows(self):
        """Every row the bundle puts in the database, by model, parents first."""
        yield self.record
        for items in self.children.values():
            yield from items
        yield from self.provenance

    def canonical(self):
        index = ProvenanceIndex(self.provenance)
        children = []
        for child in self.kind.children:
            items = sorted(self.children.get(child.key, []), key=child_codec(child).ordering_key)
            siblings = {
                name: {item.pk: getattr(item, key_field) for item in items}
                for name, key_field in child.sibling_refs.items()
            }
            children.append(
                (
                    child.key,
                    [encode(child_codec(child), item, index.of(item), self.m2m_of(item), siblings) for item in items],
                )
            )
        return encode(
            codec_of(self.kind), self.record, index.of(self.record), self.m2m_of(self.record), children=children
        )

    def m2m_of(self, obj):
        return self.m2m.get((obj._meta.label, obj.pk), {})

    def digest(self):
        text = json.dumps(self.canonical(), ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def file_data(kind, bundles):
    """What one file holds: a record's mapping, a table's list by pk, or a grouped table's lists."""
    if kind.per_record:
        (bundle,) = bundles
        return bundle.canonical()
    ordered = sorted(bundles, key=lambda bundle: str(bundle.record.pk))
    if not kind.group_by:
        return [bundle.canonical() for bundle in ordered]
    codec_ = codec_of(kind)
    grouped = {}
    for value, _label in kind.model._meta.get_field(kind.group_by).choices:
        items = sorted(
            (b for b in ordered if getattr(b.record, kind.group_by) == value),
            key=lambda b: codec_.ordering_key(b.record),
        )
        if items:
            grouped[value] = [bundle.canonical() for bundle in items]
    return grouped


def derive_id(obj):
    return slugify(obj.build_id())
