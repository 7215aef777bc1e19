"""API representations of instruments, countries, organisations, sources and discrepancies.

Fields are listed explicitly. Related data (provenance, relationships, subjects…)
is fetched by the views for a whole page at once and read here from attributes
named api_*, so a list costs a fixed number of queries whatever its length.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .api_support import api_url, web_url
from .lifecycle import Precision, Status
from .models import Confidence, Country, Discrepancy, Instrument, Organisation, RelationshipType, Source, TextKind
from .representation import PlannedRepresentation

def text_kind_field():
    return serializers.ChoiceField(
        choices=TextKind.choices, allow_blank=True, read_only=True,
        help_text="Legal value of the text: official, unofficial (translation) or paraphrase; empty when there "
                  "is no text in this language.")


PRECISION_HELP = "Precision of the date: day, month (stored as the 1st), year (stored as 1 January) or unknown."


class ProvenanceEntrySerializer(PlannedRepresentation):
    source = serializers.CharField(source="source_id", help_text="Id of the source (see /api/v1/sources/).")
    source_url = serializers.SerializerMethodField(help_text="Where the source can be read, if online.")
    source_api_url = serializers.SerializerMethodField(help_text="The source's API address.")
    confidence = serializers.ChoiceField(choices=Confidence.choices)
    locator = serializers.CharField(help_text="Where in the source (section, reference number, article…).")
    quote = serializers.CharField(help_text="Verbatim quote from the source, if any.")
    note = serializers.CharField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_source_url(self, entry):
        return entry["source_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_source_api_url(self, entry):
        return api_url(self.context.get("request"), "source-detail", entry["source_id"])


def provenance_field():
    return serializers.DictField(
        child=ProvenanceEntrySerializer(many=True), source="api_provenance", read_only=True,
        help_text="Per field (model field name, or '*' for the whole record): where the value comes from and "
                  "how sure we are. Ordered by field, then source.")


class LinkedRecordSerializer(PlannedRepresentation):
    """Common head of every item: stable id, API address, web page."""

    url = serializers.SerializerMethodField(help_text="This record's API address.")
    html_url = serializers.SerializerMethodField(help_text="This record's web page (null where there is none).")

    api_name = None
    web_name = None
    # True where the web shows the record on a page listing several, at #<id>.
    web_listing = False

    def record_id(self, obj):
        return obj.pk

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return api_url(self.context.get("request"), self.api_name, self.record_id(obj))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_html_url(self, obj):
        if self.web_listing:
            return web_url(self.context.get("request"), self.web_name, fragment=self.record_id(obj))
        return web_url(self.context.get("request"), self.web_name, self.record_id(obj))


# --------------------------------------------------------------------------- instruments


class SubjectRefSerializer(PlannedRepresentation):
    code = serializers.CharField()
    scheme = serializers.CharField()
    label_en = serializers.CharField()


class OfficialTextSerializer(PlannedRepresentation):
    language = serializers.CharField()
    url = serializers.CharField()
    publisher = serializers.CharField()
    kind = serializers.ChoiceField(choices=TextKind.choices, help_text="Legal value of this text.")


class RelationshipSerializer(PlannedRepresentation):
    id = serializers.CharField()
    direction = serializers.ChoiceField(
        choices=[("outgoing", "outgoing"), ("incoming", "incoming")],
        help_text="outgoing: this instrument acts on the other (label = forward label); "
                  "incoming: the other acts on this one (label = inverse label).")
    type = serializers.ChoiceField(choices=RelationshipType.choices)
    label = serializers.CharField(help_text="How the relationship reads from this instrument.")
    forward_label = serializers.CharField()
    inverse_label = serializers.CharField()
    instrument = serializers.CharField(help_text="Id of the other instrument.")
    instrument_url = serializers.URLField(help_text="API address of the other instrument.")
    instrument_label = serializers.CharField()
    date_effective = serializers.DateField(allow_null=True)
    date_effective_precision = serializers.ChoiceField(choices=Precision.choices)
    note = serializers.CharField()


class ProvisionSerializer(PlannedRepresentation):
    id = serializers.CharField()
    label = serializers.CharField()
    parent = serializers.CharField(source="parent_id", allow_null=True)
    position = serializers.IntegerField()
    heading_en = serializers.CharField()
    heading_en_kind = serializers.CharField()
    heading_ru = serializers.CharField()
    heading_ru_kind = serializers.CharField()
    heading_kk = serializers.CharField()
    heading_kk_kind = serializers.CharField()
    text_en = serializers.CharField()
    text_en_kind = serializers.CharField()
    text_ru = serializers.CharField()
    text_ru_kind = serializers.CharField()
    text_kk = serializers.CharField()
    text_kk_kind = serializers.CharField()


class StatusMixin(PlannedRepresentation):
    status = serializers.SerializerMethodField(
        help_text="Legal status computed on status_date from dates and repeals (never typed in).")
    status_date = serializers.SerializerMethodField(help_text="The date status is computed for: `on`, else today.")

    @extend_schema_field({"type": "string", "enum": [value for value, _label in Status.choices]})
    def get_status(self, obj):
        return str(obj.status_on(self.context["status_date"]))

    @extend_schema_field(OpenApiTypes.DATE)
    def get_status_date(self, obj):
        return self.context["status_date"].isoformat()


class InstrumentSerializer(StatusMixin, LinkedRecordSerializer, serializers.ModelSerializer):
    api_name = "instrument-detail"
    web_name = "web:instrument-detail"

    subjects = SubjectRefSerializer(many=True, source="api_subjects", read_only=True,
                                    help_text="Subjects of the controlled vocabulary, by code.")
    relationships = RelationshipSerializer(
        many=True, source="api_relationships", read_only=True,
        help_text="Typed relationships in both directions, ordered outgoing first, then by type and other id.")
    official_texts = OfficialTextSerializer(many=True, source="api_texts", read_only=True)
    discrepancies = serializers.ListField(
        child=serializers.CharField(), source="api_discrepancies", read_only=True,
        help_text="Ids of the article's errata about this instrument (see /api/v1/discrepancies/).")
    provenance = provenance_field()
    title_en_kind = text_kind_field()
    title_ru_kind = text_kind_field()
    title_kk_kind = text_kind_field()
    eli = serializers.CharField(read_only=True, help_text="Official ELI URI; empty when the instrument has none.")

    class Meta:
        model = Instrument
        fields = [
            "id", "url", "html_url", "eli_path", "kind", "level", "jurisdiction", "issuing_body",
            "number", "celex", "eli", "adilet_code",
            "short_title_en", "short_title_ru", "short_title_kk",
            "title_en", "title_en_kind", "title_ru", "title_ru_kind", "title_kk", "title_kk_kind",
            "date_adopted", "date_adopted_precision", "place_adopted",
            "date_published", "date_published_precision", "publication_reference", "transposition_deadline",
            "entry_into_force", "entry_into_force_precision", "end_of_validity", "end_of_validity_precision",
            "status", "status_date", "status_note",
            "summary_en", "summary_ru", "summary_kk",
            "cited_in_article", "is_synthetic", "updated_at",
            "subjects", "relationships", "official_texts", "discrepancies", "provenance",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "date_adopted_precision": {"help_text": PRECISION_HELP},
            "entry_into_force_precision": {"help_text": PRECISION_HELP},
            "end_of_validity_precision": {"help_text": PRECISION_HELP},
        }


class InstrumentDetailSerializer(InstrumentSerializer):
    provisions = ProvisionSerializer(many=True, source="api_provisions", read_only=True,
                                     help_text="Parts of the instrument the article discusses, in order.")

    class Meta(InstrumentSerializer.Meta):
        fields = InstrumentSerializer.Meta.fields + ["provisions"]
        read_only_fields = fields


# --------------------------------------------------------------------------- countries, organisations


class MembershipSerializer(PlannedRepresentation):
    organisation = serializers.CharField(source="organisation_id")
    organisation_url = serializers.SerializerMethodField()
    country = serializers.CharField(source="country_id")
    country_url = serializers.SerializerMethodField()
    date_from = serializers.DateField(allow_null=True)
    date_from_precision = serializers.ChoiceField(choices=Precision.choices)
    date_until = serializers.DateField(allow_null=True)
    date_until_precision = serializers.ChoiceField(choices=Precision.choices)
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

    memberships = MembershipSerializer(many=True, source="api_memberships", read_only=True,
                                       help_text="Dated memberships of organisations, ordered by organisation, start.")
    agreements = serializers.ListField(child=serializers.CharField(), source="api_agreements", read_only=True,
                                       help_text="Ids of the readmission agreements this state is a party to.")
    provenance = provenance_field()

    class Meta:
        model = Country
        fields = ["code", "url", "html_url", "alpha3", "numeric", "name_en", "name_ru", "name_kk",
                  "memberships", "agreements", "provenance"]
        read_only_fields = fields


class OrganisationSerializer(LinkedRecordSerializer, serializers.ModelSerializer):
    api_name = "organisation-detail"
    web_name = "web:organisation-detail"

    memberships = MembershipSerializer(many=True, source="api_memberships", read_only=True,
                                       help_text="Member states with dates, ordered by start date and country.")
    provenance = provenance_field()

    class Meta:
        model = Organisation
        fields = ["code", "url", "html_url", "name_en", "name_ru", "name_kk",
                  "abbreviation_en", "abbreviation_ru", "abbreviation_kk", "note", "memberships", "provenance"]
        read_only_fields = fields


# --------------------------------------------------------------------------- sources, discrepancies


class SourceSerializer(LinkedRecordSerializer, serializers.ModelSerializer):
    api_name = "source-detail"
    web_name = "web:sources"
    web_listing = True

    source_url = serializers.CharField(source="url", read_only=True, help_text="Where the source can be read.")
    instruments = serializers.ListField(child=serializers.CharField(), source="api_instruments", read_only=True,
                                        help_text="Ids of the instruments this source supports.")
    provenance = provenance_field()

    class Meta:
        model = Source
        fields = ["id", "url", "html_url", "kind", "number", "citation", "source_url", "publisher", "note",
                  "instruments", "provenance"]
        read_only_fields = fields


class DiscrepancySerializer(LinkedRecordSerializer, serializers.ModelSerializer):
    api_name = "discrepancy-detail"
    web_name = "web:errata"
    web_listing = True

    article_quotes = serializers.ListField(child=serializers.CharField(), read_only=True,
                                           help_text="The article's words, verbatim.")
    instruments = serializers.ListField(child=serializers.CharField(), source="api_instruments", read_only=True)
    agreements = serializers.ListField(child=serializers.CharField(), source="api_agreements", read_only=True)
    provenance = provenance_field()

    class Meta:
        model = Discrepancy
        fields = ["id", "url", "html_url", "category", "substantive", "summary", "description", "article_quotes",
                  "correct_fact", "confidence", "instruments", "agreements", "provenance"]
        read_only_fields = fields
