"""API representations of sources, and the provenance every record's item carries."""

from collections import defaultdict

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import api_url
from api.serializers import LinkedRecordSerializer, TableRowSerializer

from .filters import RECORD_TYPES
from .models import Confidence, Provenance, Source


class ProvenanceEntrySerializer(serializers.Serializer):
    """One provenance entry, as documented in the schema (ProvenanceField writes it)."""

    source = serializers.CharField(help_text="Id of the source (see /api/v1/sources/).")
    source_url = serializers.CharField(help_text="Where the source can be read, if online.")
    source_api_url = serializers.URLField(help_text="The source's API address.")
    confidence = serializers.ChoiceField(choices=Confidence.choices)
    locator = serializers.CharField(help_text="Where in the source (section, reference number, article…).")
    quote = serializers.CharField(help_text="Verbatim quote from the source, if any.")
    note = serializers.CharField()


# Documented as the nested serializers it stands for, so the schema defines the ProvenanceEntry
# component it refers to (a bare $ref to an undefined component made generated clients drop
# every model that carries provenance).
@extend_schema_field(serializers.DictField(child=ProvenanceEntrySerializer(many=True)))
class ProvenanceField(serializers.Field):
    """{field: [entry, …]} from the record's prefetched provenance rows (`provenance_rows`).

    A custom field rather than a nested serializer per entry: a page of 50 instruments has
    over a thousand entries, each a plain mapping of seven values.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "provenance_rows")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text",
            "Per field (model field name, or '*' for the whole record): where the value comes from and how "
            "sure we are. Ordered by field, then source.",
        )
        super().__init__(**kwargs)

    def to_representation(self, rows):
        request = self.context.get("request")
        by_field = defaultdict(list)
        for row in rows:
            by_field[row.field].append(
                {
                    "source": row.source_id,
                    "source_url": row.source_url,
                    "source_api_url": api_url(request, "source-detail", row.source_id),
                    "confidence": row.confidence,
                    "locator": row.locator,
                    "quote": row.quote,
                    "note": row.note,
                }
            )
        return dict(by_field)


class SourceSerializer(LinkedRecordSerializer, serializers.ModelSerializer):
    api_name = "source-detail"
    web_name = "web:sources"
    web_listing = True

    source_url = serializers.CharField(source="url", read_only=True, help_text="Where the source can be read.")
    instruments = serializers.SerializerMethodField(help_text="Ids of the instruments this source supports.")
    provenance = ProvenanceField()

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "html_url",
            "kind",
            "number",
            "citation",
            "source_url",
            "publisher",
            "note",
            "instruments",
            "provenance",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_instruments(self, source):
        return sorted({row.object_id for row in source.instrument_facts})


class ProvenanceRowSerializer(TableRowSerializer):
    """A row of the provenance table: where one field of one record comes from, and how sure we are."""

    api_name = "provenance-detail"

    record_type = serializers.CharField(read_only=True, help_text="app_label.model, e.g. instruments.instrument.")
    record = serializers.CharField(source="object_id", read_only=True, help_text="The record's id.")
    record_url = serializers.SerializerMethodField(help_text="The record's API address (null: no item of its own).")
    field = serializers.CharField(read_only=True, help_text="Model field name, or '*' for the whole record.")
    source = serializers.CharField(source="source_id", read_only=True)
    source_url = serializers.CharField(source="source_link", read_only=True, help_text="Where the source can be read.")
    source_api_url = serializers.SerializerMethodField()

    class Meta:
        model = Provenance
        fields = [
            "id", "url", "record_type", "record", "record_url", "field", "source", "source_url", "source_api_url",
            "confidence", "locator", "quote", "note",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_record_url(self, row):
        name = RECORD_TYPES.get(row.record_type)
        return api_url(self.context.get("request"), name, row.object_id) if name else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_source_api_url(self, row):
        return api_url(self.context.get("request"), "source-detail", row.source_id)
