"""API representation of the errata register."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import LinkedRecordSerializer
from sources.serializers import ProvenanceField

from .models import Discrepancy

ID_LIST = {"type": "array", "items": {"type": "string"}}


class DiscrepancySerializer(LinkedRecordSerializer, serializers.ModelSerializer):
    api_name = "discrepancy-detail"
    web_name = "web:errata"
    web_listing = True

    article_quotes = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The article's words, verbatim."
    )
    instruments = serializers.SerializerMethodField()
    agreements = serializers.SerializerMethodField()
    provenance = ProvenanceField()

    class Meta:
        model = Discrepancy
        fields = [
            "id", "url", "html_url", "category", "substantive", "summary", "description", "article_quotes",
            "correct_fact", "confidence", "instruments", "agreements", "provenance",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ID_LIST)
    def get_instruments(self, discrepancy):
        return sorted(instrument.pk for instrument in discrepancy.instrument_list)

    @extend_schema_field(ID_LIST)
    def get_agreements(self, discrepancy):
        return sorted(agreement.pk for agreement in discrepancy.agreement_list)
