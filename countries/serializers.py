"""API representations of countries and organisations, with their dated memberships."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import api_url
from api.serializers import EdtfField, LinkedRecordSerializer, TableRowSerializer, link_field
from core.lifecycle import Precision
from sources.serializers import ProvenanceField

from .models import Country, Membership, Organisation


class MembershipSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation_id")
    organisation_url = serializers.SerializerMethodField()
    country = serializers.CharField(source="country_id")
    country_url = serializers.SerializerMethodField()
    date_from = serializers.DateField(allow_null=True)
    date_from_precision = serializers.ChoiceField(choices=Precision.choices)
    date_from_edtf = EdtfField("date_from")
    date_until = serializers.DateField(allow_null=True)
    date_until_precision = serializers.ChoiceField(choices=Precision.choices)
    date_until_edtf = EdtfField("date_until")
    note = serializers.CharField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_organisation_url(self, membership):
        return api_url(self.context.get("request"), "organisation-detail", membership.organisation_id)

    @extend_schema_field(OpenApiTypes.URI)
    def get_country_url(self, membership):
        return api_url(self.context.get("request"), "country-detail", membership.country_id)


class CountrySerializer(LinkedRecordSerializer, serializers.ModelSerializer):
    api_name = "country-detail"
    web_name = "web:country-detail"

    memberships = MembershipSerializer(
        many=True,
        source="membership_list",
        read_only=True,
        help_text="Dated memberships of organisations, ordered by organisation, start.",
    )
    agreements = serializers.SerializerMethodField(help_text="Ids of the agreements this state is a party to.")
    provenance = ProvenanceField()

    class Meta:
        model = Country
        fields = [
            "code",
            "url",
            "html_url",
            "alpha3",
            "numeric",
            "name_en",
            "name_ru",
            "name_kk",
            "memberships",
            "agreements",
            "provenance",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_agreements(self, country):
        return sorted(party.agreement_id for party in country.party_list)


class OrganisationSerializer(LinkedRecordSerializer, serializers.ModelSerializer):
    api_name = "organisation-detail"
    web_name = "web:organisation-detail"

    memberships = MembershipSerializer(
        many=True,
        source="membership_list",
        read_only=True,
        help_text="Member states with dates, ordered by start date and country.",
    )
    provenance = ProvenanceField()

    class Meta:
        model = Organisation
        fields = [
            "code",
            "url",
            "html_url",
            "name_en",
            "name_ru",
            "name_kk",
            "abbreviation_en",
            "abbreviation_ru",
            "abbreviation_kk",
            "note",
            "memberships",
            "provenance",
        ]
        read_only_fields = fields


class MembershipRowSerializer(TableRowSerializer):
    """A row of the memberships table."""

    api_name = "membership-detail"

    organisation = serializers.CharField(source="organisation_id", read_only=True)
    organisation_url = serializers.SerializerMethodField()
    country = serializers.CharField(source="country_id", read_only=True, help_text="ISO 3166-1 alpha-2.")
    country_url = serializers.SerializerMethodField()
    provenance = ProvenanceField()

    get_organisation_url = link_field("organisation", "organisation-detail")
    get_country_url = link_field("country", "country-detail")

    class Meta:
        model = Membership
        fields = [
            "id", "url", "organisation", "organisation_url", "country", "country_url",
            "date_from", "date_from_precision", "date_from_edtf", "date_until", "date_until_precision",
            "date_until_edtf", "note", "provenance",
        ]  # fmt: skip
        read_only_fields = fields
