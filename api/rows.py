"""The API's one fast path (docs/performance.md): a list's rows written with the serializer's own
fields and methods, the fields built once per process instead of once per request.

DRF makes every field of a serializer anew for each serializer it makes: a ModelSerializer
introspects its model, deep-copies its declared fields and builds some seventy field objects,
which for a page of 50 instruments was a third of the request. Most of those fields turn a value
into JSON by the value alone (text, dates, choices, booleans, EDTF): they do not depend on the
request, so they are built once and shared, and only read. The SerializerMethodFields are the
serializer's own `get_<field>` methods, called on a serializer made for this request (making one
builds no field: DRF builds them when `.fields` is first read). A field of any other class (the
provenance, nested serializers) sends the whole list the ordinary way.

The output is the serializer's, key for key, in its order (tests/api/test_rows.py holds the two
equal over every real record and synthetic ones, for the light lists and every field).
"""

from functools import cache

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


def can_write(serializer_class, field_names):
    """Whether every field asked for takes the fast path."""
    built = shared_fields(serializer_class)
    return all(isinstance(built[name], (serializers.SerializerMethodField, *VALUE_FIELDS)) for name in field_names)


def write_rows(serializer_class, records, field_names, context):
    """The records as `serializer_class(records, many=True, context=context).data` with only
    `field_names` (can_write must hold), as a list of dicts."""
    serializer = serializer_class(context=context)
    asked = set(field_names)
    plan = []
    for name, field in shared_fields(serializer_class).items():
        if name not in asked:
            continue
        if isinstance(field, serializers.SerializerMethodField):
            plan.append((name, None, getattr(serializer, field.method_name)))
        else:
            plan.append((name, field.get_attribute, field.to_representation))
    rows = []
    for record in records:
        row = {}
        for name, read, represent in plan:
            value = record if read is None else read(record)
            # As DRF's Serializer.to_representation: an empty value is null, unconverted.
            row[name] = None if value is None else represent(value)
        rows.append(row)
    return rows
