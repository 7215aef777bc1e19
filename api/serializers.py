"""Parts every resource's serializer shares: the item's addresses, computed status, text kinds."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.i18n import TextKind
from core.lifecycle import Status

from .links import api_url, web_url

PRECISION_HELP = "Precision of the date: day, month (stored as the 1st), year (stored as 1 January) or unknown."


def text_kind_field():
    return serializers.ChoiceField(
        choices=TextKind.choices,
        allow_blank=True,
        read_only=True,
        help_text="Legal value of the text: official, unofficial (translation) or paraphrase; empty when there "
        "is no text in this language.",
    )


class LinkedRecordSerializer(serializers.Serializer):
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

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_html_url(self, obj):
        if self.web_listing:
            return web_url(self.context.get("request"), self.web_name, fragment=obj.pk)
        return web_url(self.context.get("request"), self.web_name, obj.pk)


class StatusMixin(serializers.Serializer):
    """Status computed on `status_date` in SQL (the view annotates `computed_status`)."""

    status = serializers.SerializerMethodField(
        help_text="Legal status computed on status_date from dates and repeals (never typed in)."
    )
    status_date = serializers.SerializerMethodField(help_text="The date status is computed for: `on`, else today.")

    @extend_schema_field({"type": "string", "enum": [value for value, _label in Status.choices]})
    def get_status(self, obj):
        return obj.computed_status

    @extend_schema_field(OpenApiTypes.DATE)
    def get_status_date(self, obj):
        return self.context["status_date"].isoformat()
