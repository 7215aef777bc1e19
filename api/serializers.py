"""Parts every resource's serializer shares: the item's addresses, computed status, text kinds."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import edtf
from core.i18n import TextKind
from core.lifecycle import Status

from .links import api_url, web_url

PRECISION_HELP = "Precision of the date: day, month (stored as the 1st), year (stored as 1 January) or unknown."


EDTF_SCHEMA = {
    "type": "string",
    "nullable": True,
    "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
    "description": "The date as known, in EDTF / ISO 8601 reduced precision: YYYY (year), YYYY-MM (month) or "
    "YYYY-MM-DD (day); null when unknown. The CSV writes this form in the date's own column.",
}


@extend_schema_field(EDTF_SCHEMA)
class EdtfField(serializers.Field):
    """A date and its `<date>_precision` written as EDTF (core.dates): `2012`, `2012-12`, `2012-12-14`.

    `date` names the date attribute, dotted for one on a related object ("relationship.date_effective").
    """

    def __init__(self, date, **kwargs):
        self.date_path = date.split(".")
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        *parents, name = self.date_path
        for part in parents:
            obj = getattr(obj, part)
        return edtf(getattr(obj, name), getattr(obj, f"{name}_precision"))


class FieldsBuiltOnceMixin:
    """A ModelSerializer works out each model field's serializer field (its class and arguments)
    anew for every serializer it makes: model introspection that was a fifth of an item's time.
    The answer depends on the serializer class and the field only, so it is worked out once per
    process; the field itself is still made per serializer, as DRF does."""

    _built_fields = {}

    def build_field(self, field_name, info, model_class, nested_depth):
        key = (type(self), field_name, nested_depth)
        if key not in self._built_fields:
            self._built_fields[key] = super().build_field(field_name, info, model_class, nested_depth)
        field_class, kwargs = self._built_fields[key]
        return field_class, dict(kwargs)  # DRF adds the extra kwargs to this dict


class EdtfModelSerializerMixin:
    """A ModelSerializer whose Meta.fields may name `<date>_edtf` for any date with a precision."""

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name.endswith("_edtf"):
            return EdtfField, {"date": field_name.removesuffix("_edtf")}
        return super().build_field(field_name, info, model_class, nested_depth)


class BlankChoicesMixin:
    """A ModelSerializer whose read-only choice fields keep `allow_blank` where the model field is
    blank (DRF drops it for read-only fields): the schema then says an empty value can come (the
    choices' enum or BlankEnum), as a generated client must know to read a law's empty
    procedure_stage or a provision's text kind."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = "choices" in kwargs and kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank:
            kwargs["allow_blank"] = True
        return kwargs


def with_edtf(fields):
    """A field list with `<date>_edtf` after each `<date>_precision`."""
    result = []
    for name in fields:
        result.append(name)
        if name.endswith("_precision"):
            result.append(name.removesuffix("_precision") + "_edtf")
    return result


def text_kind_field():
    return serializers.ChoiceField(
        choices=TextKind.choices,
        allow_blank=True,
        read_only=True,
        help_text="Legal value of the text: official, unofficial (translation) or paraphrase; empty when there "
        "is no text in this language.",
    )


class LinkedRecordSerializer(FieldsBuiltOnceMixin, serializers.Serializer):
    """Common head of every item: stable id, API address, web page."""

    url = serializers.SerializerMethodField(help_text="This record's API address.")
    html_url = serializers.SerializerMethodField(help_text="This record's web page (null where there is none).")

    api_name = None
    web_name = None
    # True where the web shows the record on a page listing several, at #<id>.
    web_listing = False

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return api_url(self.context.get("request"), self.api_name, obj.pk)

    def nested(self, serializer_class):
        """One serializer of a nested list per list, not per item: a new serializer copies its
        fields (deepcopy), which was most of a 20,000-row CSV export's time (docs/reliability.md)."""
        children = self.__dict__.setdefault("_nested", {})
        if serializer_class not in children:
            children[serializer_class] = serializer_class(context=self.context)
        return children[serializer_class]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_html_url(self, obj):
        if self.web_listing:
            return web_url(self.context.get("request"), self.web_name, fragment=obj.pk)
        return web_url(self.context.get("request"), self.web_name, obj.pk)


class StatusMixin(serializers.Serializer):
    """Status computed on `status_date`: annotated in SQL where a view did (`computed_status`),
    else by the lifecycle's Python twin."""

    status = serializers.SerializerMethodField(
        help_text="Legal status computed on status_date from dates and repeals (never typed in)."
    )
    status_date = serializers.SerializerMethodField(help_text="The date status is computed for: `on`, else today.")

    @extend_schema_field({"type": "string", "enum": [value for value, _label in Status.choices]})
    def get_status(self, obj):
        if getattr(obj, "computed_status", None) is None:
            obj.computed_status = obj.status_on(self.context["status_date"]).value
        return obj.computed_status

    @extend_schema_field(OpenApiTypes.DATE)
    def get_status_date(self, obj):
        return self.context["status_date"].isoformat()


class TableRowSerializer(FieldsBuiltOnceMixin, EdtfModelSerializerMixin, serializers.ModelSerializer):
    """A row of a table behind the resources (memberships, parties, relationships, provenance,
    subjects): its stable id and API address; no web page of its own."""

    url = serializers.SerializerMethodField(help_text="This row's API address.")

    api_name = None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return api_url(self.context.get("request"), self.api_name, obj.pk)


def link_field(name, target, help_text=None):
    """A SerializerMethodField's getter for `<name>_url`: the API address of the record whose id is
    in `<name>_id` (null when empty)."""

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def getter(self, obj):
        pk = getattr(obj, f"{name}_id")
        return api_url(self.context.get("request"), target, pk) if pk else None

    getter.__name__ = f"get_{name}_url"
    return getter
