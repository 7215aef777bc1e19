"""The API's serializers, run as plain functions planned once per class.

DRF builds a serializer's fields anew for every request (deep copies of every declared
field, model introspection for ModelSerializer) and then walks them through several
layers of generic code per value. For a page of 50 instruments with their provenance
that is most of the response time. Here each serializer class is read once per process
into a list of (name, function) steps; a step gets the value the way DRF's
`get_attribute` does and converts it the way the field's `to_representation` does.

The DRF serializers stay the definition: the fields, their order, the schema
(drf-spectacular reads them as before) and the exact output, which
`tests/instruments/test_representation.py` compares byte for byte on every record of
every resource. A field type without a planned conversion is refused when the plan is
made, so a new kind of field cannot silently come out differently.
"""

from collections.abc import Mapping
from functools import cache

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.manager import BaseManager
from rest_framework import fields, serializers
from rest_framework.fields import SkipField, is_simple_callable

# Other leaf fields whose to_representation reads nothing but the value (never the context),
# so the planned field can be called directly (MultipleChoiceField reaches here as a ChoiceField).
CONTEXT_FREE_FIELDS = (
    fields.ChoiceField, fields.DateField, fields.DateTimeField, fields.DecimalField, fields.FloatField,
    fields.IntegerField, fields.ReadOnlyField,
)


class PlannedRepresentation(serializers.Serializer):
    """Mixin for a serializer whose to_representation runs from its class's plan."""

    def to_representation(self, instance):
        return represent(type(self), instance, self._serializers_for_methods())

    def _serializers_for_methods(self):
        """{serializer class: instance with this request's context}, for method fields at any depth."""
        by_class = self.__dict__.get("_planned_instances")
        if by_class is None:
            by_class = self.__dict__["_planned_instances"] = {type(self): self}
        return by_class


def represent(serializer_class, instance, instances):
    output = {}
    for name, step in plan(serializer_class):
        try:
            output[name] = step(instance, instances)
        except SkipField:
            pass
    return output


@cache
def plan(serializer_class):
    """[(field name, step(instance, instances) → value)] in the serializer's field order."""
    template = serializer_class(context={})
    return [(field.field_name, _step(field, serializer_class)) for field in template._readable_fields]


def _step(field, owner):
    if isinstance(field, serializers.SerializerMethodField):
        method_name = field.method_name

        def call_method(instance, instances):
            bound = instances.get(owner)
            if bound is None:
                root = next(iter(instances.values()))
                bound = instances[owner] = owner(context=root.context)
            return getattr(bound, method_name)(instance)
        return call_method

    convert = _converter(field)
    attrs = tuple(field.source_attrs)

    def get_and_convert(instance, instances):
        value = instance
        try:
            for attr in attrs:
                # type() first: isinstance() against the Mapping ABC is slow, and most values are
                # model instances or plain dicts.
                kind = type(value)
                if kind is dict or (not hasattr(kind, "_meta") and isinstance(value, Mapping)):
                    value = value[attr]
                else:
                    value = getattr(value, attr)
                if callable(value) and is_simple_callable(value):
                    value = value()
        except ObjectDoesNotExist:
            value = None
        except (KeyError, AttributeError):
            # DRF's own rules for a missing value (default, null, or leave the field out).
            value = field.get_attribute(instance)
        return None if value is None else convert(value, instances)
    return get_and_convert


def _converter(field):
    """convert(value, instances) for a non-null value, as field.to_representation(value) would."""
    if isinstance(field, serializers.ListSerializer):
        child = field.child
        _require_planned(child)
        child_class = type(child)

        def many(value, instances):
            items = value.all() if isinstance(value, BaseManager) else value
            return [represent(child_class, item, instances) for item in items]
        return many
    if isinstance(field, serializers.BaseSerializer):
        _require_planned(field)
        nested_class = type(field)
        return lambda value, instances: represent(nested_class, value, instances)
    if isinstance(field, fields.ListField):
        child = _converter(field.child)
        return lambda value, instances: [None if item is None else child(item, instances) for item in value]
    if isinstance(field, fields.DictField):
        child = _converter(field.child)
        return lambda value, instances: {str(key): None if item is None else child(item, instances)
                                         for key, item in value.items()}
    if isinstance(field, fields.ChoiceField) and not isinstance(field, fields.MultipleChoiceField):
        lookup = field.choice_strings_to_values.get

        def choice(value, instances):
            if value == "":
                return value
            return lookup(str(value), value) if type(value) is str else field.to_representation(value)
        return choice
    if type(field) in (fields.CharField, fields.URLField, fields.EmailField, fields.SlugField):
        return lambda value, instances: value if type(value) is str else str(value)
    if isinstance(field, fields.BooleanField):
        return lambda value, instances: value if type(value) is bool else field.to_representation(value)
    if isinstance(field, CONTEXT_FREE_FIELDS):
        to_representation = field.to_representation
        return lambda value, instances: to_representation(value)
    raise TypeError(f"{type(field).__name__} {field.field_name!r} of {type(field.parent).__name__} has no planned "
                    f"representation; add one to instruments/representation.py.")


def _require_planned(serializer):
    if not isinstance(serializer, PlannedRepresentation):
        raise TypeError(f"{type(serializer).__name__} is nested in a planned serializer; "
                        f"derive it from PlannedRepresentation too.")
