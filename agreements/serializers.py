"""API representation of Kazakhstan's agreements (fields listed explicitly)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import api_url
from api.serializers import (
    PRECISION_HELP,
    BlankChoicesMixin,
    EdtfModelSerializerMixin,
    LinkedRecordSerializer,
    StatusMixin,
    TableRowSerializer,
    link_field,
    text_kind_field,
    with_edtf,
)
from core.db import split_rows
from sources.serializers import ProvenanceField

from .models import KAZAKHSTAN, Agreement, Party


class PartySerializer(serializers.Serializer):
    code = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2.")
    alpha3 = serializers.CharField(source="country.alpha3", help_text="ISO 3166-1 alpha-3.")
    name_en = serializers.CharField(source="country.name_en")
    name_ru = serializers.CharField(source="country.name_ru")
    name_kk = serializers.CharField(source="country.name_kk")
    url = serializers.SerializerMethodField(help_text="The country's API address.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, party):
        return api_url(self.context.get("request"), "country-detail", party.country_id)


class AgreementSerializer(
    BlankChoicesMixin, EdtfModelSerializerMixin, StatusMixin, LinkedRecordSerializer, serializers.ModelSerializer
):
    api_name = "agreement-detail"
    web_name = "web:agreement-detail"

    partners = serializers.SerializerMethodField(help_text="Partner states (every party but Kazakhstan), by code.")
    parties = PartySerializer(
        many=True,
        source="party_list",
        read_only=True,
        help_text="All states party to the agreement, Kazakhstan included, by code.",
    )
    missing_from_article_list = serializers.BooleanField(
        read_only=True,
        help_text="In force before the article appeared (2024), yet not among its 12 ratified agreements.",
    )
    discrepancies = serializers.SerializerMethodField(help_text="Ids of the article's errata about this agreement.")
    amends = serializers.CharField(
        source="amends_id", allow_null=True, help_text="For a protocol: the agreement it amends."
    )
    subjects = serializers.SerializerMethodField(help_text="Subject codes of the controlled vocabulary.")
    provenance = ProvenanceField()
    title_en_kind = text_kind_field()
    title_ru_kind = text_kind_field()
    title_kk_kind = text_kind_field()

    class Meta:
        model = Agreement
        fields = with_edtf([
            "id", "url", "html_url",
            "title_en", "title_en_kind", "title_ru", "title_ru_kind", "title_kk", "title_kk_kind",
            "type", "amends", "partners", "parties",
            "date_signed", "date_signed_precision", "place_signed",
            "ratification_law_number", "ratification_law_date", "ratification_law_date_precision",
            "ratification_note", "implementing_protocol",
            "entry_into_force", "entry_into_force_precision", "end_of_validity", "end_of_validity_precision",
            "date_provisional_application", "date_provisional_application_precision",
            "status", "status_date", "article_listing", "missing_from_article_list", "note",
            "is_synthetic", "updated_at", "subjects", "discrepancies", "provenance",
        ])  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "date_signed_precision": {"help_text": PRECISION_HELP},
            "entry_into_force_precision": {"help_text": PRECISION_HELP},
            "end_of_validity_precision": {"help_text": PRECISION_HELP},
        }

    @extend_schema_field(PartySerializer(many=True))
    def get_partners(self, agreement):
        partners = [party for party in agreement.party_list if party.country_id != KAZAKHSTAN]
        child = self.nested(PartySerializer)
        return [child.to_representation(party) for party in partners]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_subjects(self, agreement):
        return sorted(row["code"] for row in split_rows(agreement.subject_rows, ("code",)))

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_discrepancies(self, agreement):
        return sorted(row["id"] for row in split_rows(agreement.discrepancy_rows, ("id",)))


class PartyRowSerializer(TableRowSerializer):
    """A row of the agreement parties table: a state party to an agreement (Kazakhstan included)."""

    api_name = "agreement-party-detail"

    agreement = serializers.CharField(source="agreement_id", read_only=True)
    agreement_url = serializers.SerializerMethodField()
    country = serializers.CharField(source="country_id", read_only=True, help_text="ISO 3166-1 alpha-2.")
    country_url = serializers.SerializerMethodField()
    provenance = ProvenanceField()

    get_agreement_url = link_field("agreement", "agreement-detail")
    get_country_url = link_field("country", "country-detail")

    class Meta:
        model = Party
        fields = ["id", "url", "agreement", "agreement_url", "country", "country_url", "provenance"]
        read_only_fields = fields
