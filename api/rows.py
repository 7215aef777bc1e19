"""The API's one fast path (docs/performance.md): records written with their serializer's own
fields and methods, the fields that need no request built once per process instead of once per
request.

DRF makes every field of a serializer anew for each serializer it makes: a ModelSerializer
introspects its model, deep-copies its declared fields and builds some seventy field objects,
which for a page of 50 instruments was a third of the request. Most of those fields turn a value
into JSON by the value alone (text, dates, choices, booleans, EDTF): they do not depend on the
request, so they are built once, shared and only read. The SerializerMethodFields are the
serializer's own `get_<field>` methods, called on a serializer made for this request (making one
builds no field: DRF builds them when `.fields` is first read). Any other field (the provenance,
a nested serializer) is copied and bound to that serializer, as DRF does with every field.

The output is the serializer's, key for key, in its order: tests/api/test_rows.py holds the two
equal, byte for byte, over every list and item of the API with the real and synthetic records.
"""

import copy
from functools import cache
from operator import attrgetter

from rest_framework import fields, serializers

from .serializers import EdtfField

# Fields whose representation depends on the attribute's value alone.
VALUE_FIELDS = (
    fields.BooleanField,
    fields.CharField,
    fields.ChoiceField,
    fields.DateField,
    fields.DateTimeField,
    fields.IntegerField,
    fields.ReadOnlyField,
    EdtfField,
)


@cache
def shared_fields(serializer_class):
    """{name: field} of the serializer class, built once (never bound to a request)."""
    return dict(serializer_class(context={}).fields)


@cache
def column_readers(serializer_class):
    """{name: reader} of the value fields whose source is a column of the serializer's model.

    The records are model instances, and a column's value is never callable: reading the
    attribute is all that DRF's `Field.get_attribute` does for it (its other branches are for
    mappings, dotted sources, methods and missing keys). About a third of writing a page of
    instruments, profiled."""
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    columns = {field.attname for field in model._meta.concrete_fields} if model else set()
    return {
        name: attrgetter(field.source)
        for name, field in shared_fields(serializer_class).items()
        if isinstance(field, VALUE_FIELDS) and field.source in columns
    }


def write_rows(serializer_class, records, field_names, context):
    """The records as `serializer_class(records, many=True, context=context).data` with only
    `field_names` (None: every field), as a list of dicts."""
    serializer = serializer_class(context=context)
    readers = column_readers(serializer_class)
    plan = []
    for name, field in shared_fields(serializer_class).items():
        if field_names is not None and name not in field_names:
            continue
        if isinstance(field, serializers.SerializerMethodField):
            plan.append((name, None, getattr(serializer, field.method_name)))
            continue
        if not isinstance(field, VALUE_FIELDS):
            field = copy.deepcopy(field)  # reads the request or its parent: this request's own
            field.bind(name, serializer)
        plan.append((name, readers.get(name, field.get_attribute), field.to_representation))
    rows = []
    for record in records:
        row = {}
        for name, read, represent in plan:
            value = record if read is None else read(record)
            # As DRF's Serializer.to_representation: an empty value is null, unconverted.
            row[name] = None if value is None else represent(value)
        rows.append(row)
    return rows
