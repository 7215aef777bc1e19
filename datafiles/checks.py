"""Checks across records: what no single file's schema or model can see.

Every source cited exists; every record a file points at exists in the data files;
ids and unique values are not given twice; `not_found` means the value is empty;
`confidence: article` cites the article (or one of its references) with words that
stand in it verbatim; every non-empty factual field of an instrument or agreement has
a source of its own or the record's.
"""

import re
from pathlib import Path

from django.conf import settings

from . import registry
from .reading import Problem

EMPTY = (None, "", False)


def reader_view(text):
    """The article as a reader sees it: markdown links, escapes and emphasis removed, line by line.

    A reference is quoted as printed ("… https://adilet.zan.kz/…"), not as its markdown source.
    """
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\2", line)
        line = re.sub(r"<(https?://[^>]+)>", r"\1", line)
        line = line.replace("\\\\_", "_").replace("\\_", "_")
        lines.append(re.sub(r"(?<!\w)\*([^*]+)\*(?!\w)", r"\1", line).strip())
    return "\n".join(lines)


class Article:
    def __init__(self, path):
        self.path = Path(path)
        self.text = self.path.read_text(encoding="utf-8") if self.path.is_file() else None
        self.seen = reader_view(self.text) if self.text is not None else None

    def contains(self, quote):
        return quote in self.text or quote in self.seen


def check(reader, article_path=None):
    """Problems across the records `reader` built, and warnings (the article was not found)."""
    bundles = reader.bundles.values()
    problems, warnings = [], []
    owners = {(item.obj._meta.model_name, str(item.obj.pk)): item for item in reader.placed}
    m2m = {key: values for bundle in bundles for key, values in bundle.m2m.items()}
    known = {label: set(pks) for label, pks in reader.unread.items()}
    for item in reader.placed:
        known.setdefault(item.obj._meta.label, set()).add(item.obj.pk)
    sources = known.get(registry.file_type("sources").label, set())

    problems += references(reader.placed, known, m2m)
    problems += unique_values(reader.placed)
    article = Article(article_path or settings.KB_ARTICLE_PATH)
    if article.text is None:
        warnings.append(
            f"The article was not found at {article.path}: quotes marked 'confidence: article' "
            "were not checked against it (set KB_ARTICLE_PATH)."
        )
    for row, relative, where in reader.entries:
        source = getattr(row, "given_source", row.source_id)
        if source not in sources:
            problems.append(Problem(relative, f"{where}.source", f"unknown source {source!r} (not in sources.yaml)"))
        if row.confidence == "not_found":
            problems += not_found(row, owners, m2m, relative, where)
        if row.confidence == "article":
            if not row.quote:
                problems.append(Problem(relative, f"{where}.quote", "an 'article' entry quotes the article's words"))
            elif article.text is not None and not article.contains(row.quote):
                problems.append(Problem(relative, f"{where}.quote", "not found verbatim in the article"))
    for bundle in bundles:
        problems += factual_sources(bundle, owners)
    return problems, warnings


def references(placed, known, m2m):
    """Foreign keys and many-to-many values must name records of the data files."""
    found = []
    for item in placed:
        meta = item.obj._meta
        for field in meta.concrete_fields:
            if not field.is_relation or field.name not in item.fields:
                continue
            target = getattr(item.obj, field.attname)
            if target is not None and target not in known.get(field.related_model._meta.label, ()):
                found.append(
                    Problem(
                        item.path,
                        item.fields[field.name],
                        f"no {field.related_model._meta.verbose_name} {target!r} in the data files",
                    )
                )
        for name, values in m2m.get((meta.label, item.obj.pk), {}).items():
            target = meta.get_field(name).related_model
            for i, value in enumerate(values):
                if value not in known.get(target._meta.label, ()):
                    found.append(
                        Problem(
                            item.path,
                            f"{item.fields[name]}[{i}]",
                            f"no {target._meta.verbose_name} {value!r} in the data files",
                        )
                    )
    return found


def unique_values(placed):
    """A value a model keeps unique (an ISO code, an ELI path) is not given twice."""
    seen, found = {}, []
    for item in placed:
        for field in item.obj._meta.concrete_fields:
            if field.unique and not field.primary_key and field.name in item.fields:
                key = (item.obj._meta.label, field.name, getattr(item.obj, field.attname))
                if key in seen:
                    found.append(
                        Problem(item.path, item.fields[field.name], f"{key[2]!r} is also given in {seen[key]}")
                    )
                seen.setdefault(key, item.path)
    return found


def not_found(row, owners, m2m, relative, where):
    """A value looked for and not found is empty (or, for a few choices, the registry's 'not stated')."""
    if row.field == "*":
        return [
            Problem(
                relative,
                f"{where}.confidence",
                "a record's own sources say where it comes from; 'not_found' belongs on a field",
            )
        ]
    owner = owners.get((row.content_model, row.object_id))
    if owner is None:
        return []
    meta = owner.obj._meta
    names = {f.name for f in [*meta.concrete_fields, *meta.many_to_many]}
    if row.field not in names:
        return []
    field = meta.get_field(row.field)
    if field.many_to_many:
        value = m2m.get((meta.label, owner.obj.pk), {}).get(row.field, [])
    else:
        value = getattr(owner.obj, field.attname)
    kind = next((k for k in registry.FILE_TYPES if k.label == meta.label), None)
    stated = kind.not_stated.get(row.field, "") if kind else ""
    if value in EMPTY or value == [] or (stated and value == stated):
        return []
    return [Problem(relative, f"{where}.confidence", f"'not_found' but the field holds {value!r}")]


def factual_sources(bundle, owners):
    """Each non-empty factual field of the record has a source, its own or the record's."""
    record = bundle.record
    documented = {
        row.field
        for row in bundle.provenance
        if row.content_model == record._meta.model_name and row.object_id == str(record.pk)
    }
    if "*" in documented or not bundle.kind.factual:
        return []
    item = owners[(record._meta.model_name, str(record.pk))]
    found = []
    for name in bundle.kind.factual:
        value = getattr(record, record._meta.get_field(name).attname)
        if value not in EMPTY and name not in documented:
            found.append(
                Problem(
                    item.path,
                    item.fields.get(name, name),
                    "a fact without a source: give it `sources`, or give the record `sources`",
                )
            )
    return found


def check_directory(data_dir, article_path=None):
    """Steps 1–3 of a load, without the database: (reader, problems, warnings)."""
    from .reading import Reader

    reader = Reader().read(data_dir)
    sources = {b.record.pk: b.record for b in reader.bundles.values() if b.kind.name == "sources"}
    reader.validate(sources)
    problems, warnings = check(reader, article_path)
    return reader, sorted(set(reader.problems + problems)), warnings
