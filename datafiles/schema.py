"""JSON Schemas (draft 2020-12) of the data files, generated from the models.

Types, lengths and enums come from each field; required keys are the fields a record
cannot do without; unknown keys are refused. `kb_schema` writes them to
fixtures/schema/ for editors and reviewers; the loader validates with the same schemas,
built in memory and compiled once.
"""

import json
import re
from functools import cache

from django.db import models
from jsonschema import Draft202012Validator

from . import registry
from .records import ENTRY_KEYS, child_codec, codec_of

DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$"
SOURCES = {"$ref": "#/$defs/sources"}


def nullable(schema, field):
    if field.null and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    return schema


def value_schema(field):
    """The schema of one field's plain value."""
    if field.many_to_many:
        return {"type": "array", "items": value_schema(field.target_field), "uniqueItems": True}
    if field.is_relation:
        return nullable(value_schema(field.target_field), field)
    if field.choices:
        values = [value for value, _label in field.choices]
        if field.blank and field.empty_strings_allowed:
            values.append("")
        return {"enum": values + ([None] if field.null else [])}
    if isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.DateTimeField):
        schema = {"type": "string", "pattern": DATETIME, "description": "a time in UTC, YYYY-MM-DDTHH:MM:SSZ"}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "pattern": DATE, "description": "a date, YYYY-MM-DD"}
    elif isinstance(field, models.IntegerField):
        schema = {"type": "integer"}
        if isinstance(
            field, (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)
        ):
            schema["minimum"] = 0
    elif isinstance(field, models.JSONField):
        schema = {"type": "array"}
    else:
        schema = {"type": "string"}
        if field.max_length:
            schema["maxLength"] = field.max_length
    return nullable(schema, field)


def required(field):
    """A field the record cannot do without: no default, and no empty value to fall back on."""
    if field.many_to_many or field.null or field.has_default():
        return False
    return not (field.blank and field.empty_strings_allowed)


def record_schema(codec_, children=(), sources=SOURCES):
    properties, needed = {}, []
    if not codec_.derived:
        properties[codec_.pk.name] = value_schema(codec_.pk)
        needed.append(codec_.pk.name)
    for spec in codec_.specs:
        if spec.sibling_key:
            plain = nullable(value_schema(spec.field.related_model._meta.get_field(spec.sibling_key)), spec.field)
        else:
            plain = value_schema(spec.field)
        mapping = {"value": plain, **{role: value_schema(c) for role, c in spec.companions.items()}, "sources": sources}
        properties[spec.name] = {
            "if": {"type": "object"},
            "then": {"type": "object", "properties": mapping, "additionalProperties": False},
            "else": plain,
        }
        if required(spec.field):
            needed.append(spec.name)
    for name in codec_.provenance_only:
        properties[name] = {
            "type": "object",
            "properties": {"sources": sources},
            "required": ["sources"],
            "additionalProperties": False,
        }
    properties["sources"] = sources
    for key, child_schema in children:
        properties[key] = {"type": "array", "items": child_schema}
    return {"type": "object", "properties": properties, "required": needed, "additionalProperties": False}


def sources_schema():
    provenance = registry.provenance_model()._meta
    fields = {"source": provenance.get_field("source"), **{key: provenance.get_field(key) for key in ENTRY_KEYS[1:]}}
    entry = {
        "type": "object",
        "properties": {key: value_schema(f) for key, f in fields.items()},
        "required": ["source", "confidence"],
        "additionalProperties": False,
    }
    return {"type": "array", "items": entry, "minItems": 1}


def file_schema(kind, inline=False):
    """The schema of a file type; `inline` puts the provenance entries' schema in place of each $ref
    (the same schema, validated several times faster)."""
    sources = sources_schema() if inline else SOURCES
    children = [(child.key, record_schema(child_codec(child), sources=sources)) for child in kind.children]
    record = record_schema(codec_of(kind), children, sources)
    if kind.per_record:
        body = record
    elif kind.group_by:
        groups = [value for value, _label in kind.model._meta.get_field(kind.group_by).choices]
        body = {
            "type": "object",
            "properties": {group: {"type": "array", "items": record} for group in groups},
            "additionalProperties": False,
        }
    else:
        body = {"type": "array", "items": record}
    where = f"{kind.name}/<id>.yaml" if kind.per_record else kind.file_name
    doc = (kind.model.__doc__ or "").strip().splitlines()[0]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": where,
        "description": doc,
        **body,
        "$defs": {"sources": sources_schema()},
    }


def render(kind):
    return json.dumps(file_schema(kind), ensure_ascii=False, indent=2) + "\n"


@cache
def validator(name):
    return Draft202012Validator(file_schema(registry.file_type(name), inline=True))


TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def compiled(schema):
    """A yes/no check of `schema`, for the keywords this module writes, many times faster than
    jsonschema; jsonschema runs only on a no, to say what is wrong (and tests keep both agreeing)."""
    checks = []
    if "type" in schema:
        tests = [TYPES[name] for name in ([schema["type"]] if isinstance(schema["type"], str) else schema["type"])]
        checks.append(lambda v: any(test(v) for test in tests))
    if "enum" in schema:
        allowed = schema["enum"]
        checks.append(lambda v: any(v == a and type(v) is type(a) for a in allowed))
    if "maxLength" in schema:
        checks.append(lambda v, n=schema["maxLength"]: not isinstance(v, str) or len(v) <= n)
    if "pattern" in schema:
        checks.append(lambda v, p=re.compile(schema["pattern"]): not isinstance(v, str) or p.search(v) is not None)
    if "minimum" in schema:
        checks.append(lambda v, n=schema["minimum"]: not TYPES["integer"](v) or v >= n)
    if "minItems" in schema:
        checks.append(lambda v, n=schema["minItems"]: not isinstance(v, list) or len(v) >= n)
    if schema.get("uniqueItems"):
        checks.append(lambda v: not isinstance(v, list) or len({repr(x) for x in v}) == len(v))
    if "items" in schema:
        item = compiled(schema["items"])
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    if "properties" in schema or "required" in schema:
        properties = {key: compiled(sub) for key, sub in schema.get("properties", {}).items()}
        required, closed = schema.get("required", []), schema.get("additionalProperties") is False
        checks.append(
            lambda v: (
                not isinstance(v, dict)
                or (
                    all(key in v for key in required)
                    and (not closed or all(key in properties for key in v))
                    and all(check(v[key]) for key, check in properties.items() if key in v)
                )
            )
        )
    if "if" in schema:
        condition, then, otherwise = (compiled(schema.get(key, {})) for key in ("if", "then", "else"))
        checks.append(lambda v: then(v) if condition(v) else otherwise(v))
    return lambda v: all(check(v) for check in checks)


@cache
def quick_check(name):
    return compiled(file_schema(registry.file_type(name), inline=True))


def dotted(parts, prefix=""):
    """['relationships', 1, 'object'] → 'relationships[1].object'."""
    text = prefix
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problems(name, data):
    """(field path, message) for each way `data` breaks the schema of file type `name`."""
    if quick_check(name)(data):
        return []
    found = []
    for error in validator(name).iter_errors(data):
        path = dotted(error.absolute_path)
        if error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            found += [(dotted([key], path), "unknown key") for key in error.instance if key not in known]
        elif error.validator == "required":
            found += [
                (dotted([key], path), "missing (required)")
                for key in error.validator_value
                if key not in error.instance
            ]
        elif error.validator == "pattern" and "description" in error.schema:
            found.append((path, f"{error.instance!r} is not {error.schema['description']}"))
        else:
            found.append((path, error.message))
    return sorted(found)
