"""API representations of instruments: fields listed explicitly, relations prefetched by the view.

The view (instruments.api) prefetches a page's texts, relationships both ways, provisions and
provenance, and brings subjects and errata ids into the page's own query, so a list costs a
fixed number of queries whatever its length.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import api_url
from api.serializers import (
    PRECISION_HELP,
    BlankChoicesMixin,
    EdtfField,
    EdtfModelSerializerMixin,
    LinkedRecordSerializer,
    StatusMixin,
    TableRowSerializer,
    link_field,
    text_kind_field,
    with_edtf,
)
from core.db import split_rows
from core.i18n import TextKind
from core.lifecycle import Precision
from countries.models import KAZAKHSTAN
from sources.serializers import ProvenanceField

from .models import Instrument, InstrumentParty, Provision, Relationship, instrument_label
from .vocabulary import RelationshipType

SUBJECT_FIELDS = ("code", "scheme", "label_en", "label_ru", "label_kk")
TEXT_FIELDS = ("language", "url", "publisher", "kind")
PARTY_FIELDS = ("organisation_id", "country_id")


class SubjectRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    scheme = serializers.CharField()
    label_en = serializers.CharField()


class OfficialTextSerializer(serializers.Serializer):
    language = serializers.CharField()
    url = serializers.CharField()
    publisher = serializers.CharField()
    kind = serializers.ChoiceField(choices=TextKind.choices, help_text="Legal value of this text.")


IN_FORCE_FOR_KAZAKHSTAN_HELP = (
    "In force for Kazakhstan on `status_date`: Kazakh law and treaties with Kazakhstan as a party from their "
    "entry into force; a multilateral treaty from entry_into_force_kz (never guessed: false when unknown)."
)


class InstrumentPartySerializer(serializers.Serializer):
    country = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-2, or null.")
    organisation = serializers.CharField(allow_null=True, help_text="e.g. eu, or null.")


class Edge:
    """A relationship as seen from one of its instruments: which way it points, and the other end."""

    def __init__(self, relationship, direction):
        self.relationship = relationship
        self.direction = direction
        self.other = relationship.object if direction == "outgoing" else relationship.subject

    def sort_key(self):
        return (self.direction != "outgoing", self.relationship.type, self.other.pk, self.relationship.pk)


class RelationshipSerializer(serializers.Serializer):
    id = serializers.CharField(source="relationship.id")
    direction = serializers.ChoiceField(
        choices=[("outgoing", "outgoing"), ("incoming", "incoming")],
        help_text="outgoing: this instrument acts on the other (label = forward label); "
        "incoming: the other acts on this one (label = inverse label).",
    )
    type = serializers.ChoiceField(source="relationship.type", choices=RelationshipType.choices)
    label = serializers.SerializerMethodField(help_text="How the relationship reads from this instrument.")
    forward_label = serializers.SerializerMethodField()
    inverse_label = serializers.SerializerMethodField()
    instrument = serializers.CharField(source="other.pk", help_text="Id of the other instrument.")
    instrument_url = serializers.SerializerMethodField(help_text="API address of the other instrument.")
    instrument_label = serializers.SerializerMethodField()
    date_effective = serializers.DateField(source="relationship.date_effective", allow_null=True)
    date_effective_precision = serializers.ChoiceField(
        source="relationship.date_effective_precision", choices=Precision.choices
    )
    date_effective_edtf = EdtfField("relationship.date_effective")
    note = serializers.CharField(source="relationship.note")

    def get_label(self, edge) -> str:
        return self.get_forward_label(edge) if edge.direction == "outgoing" else self.get_inverse_label(edge)

    def get_forward_label(self, edge) -> str:
        return str(RelationshipType(edge.relationship.type).label)

    def get_inverse_label(self, edge) -> str:
        return str(RelationshipType(edge.relationship.type).inverse_label)

    @extend_schema_field(OpenApiTypes.URI)
    def get_instrument_url(self, edge):
        return api_url(self.context.get("request"), "instrument-detail", edge.other.pk)

    def get_instrument_label(self, edge) -> str:
        return instrument_label(edge.other)


class ProvisionSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = Provision
        fields = ["id", "label", "parent", "position"] + [
            f"{part}_{code}{suffix}"
            for part in ("heading", "text")
            for code in ("en", "ru", "kk")
            for suffix in ("", "_kind")
        ]
        read_only_fields = fields


class InstrumentSerializer(
    BlankChoicesMixin, EdtfModelSerializerMixin, StatusMixin, LinkedRecordSerializer, serializers.ModelSerializer
):
    api_name = "instrument-detail"
    web_name = "web:instrument-detail"

    subjects = serializers.SerializerMethodField(help_text="Subjects of the controlled vocabulary, by code.")
    relationships = serializers.SerializerMethodField(
        help_text="Typed relationships in both directions, ordered outgoing first, then by type and other id."
    )
    official_texts = serializers.SerializerMethodField()
    discrepancies = serializers.SerializerMethodField(
        help_text="Ids of the article's errata about this instrument (see /api/v1/discrepancies/)."
    )
    provenance = ProvenanceField()
    title_en_kind = text_kind_field()
    title_ru_kind = text_kind_field()
    title_kk_kind = text_kind_field()
    eli = serializers.CharField(read_only=True, help_text="Official ELI URI; empty when the instrument has none.")
    in_force_for_kazakhstan = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField(help_text="Parties to a treaty: states or organisations (the EU).")

    class Meta:
        model = Instrument
        fields = with_edtf([
            "id", "url", "html_url", "eli_path", "kind", "level", "jurisdiction", "issuing_body",
            "number", "celex", "eli", "adilet_code",
            "short_title_en", "short_title_ru", "short_title_kk",
            "title_en", "title_en_kind", "title_ru", "title_ru_kind", "title_kk", "title_kk_kind",
            "date_adopted", "date_adopted_precision", "place_adopted",
            "date_published", "date_published_precision", "publication_reference", "transposition_deadline",
            "entry_into_force", "entry_into_force_precision", "end_of_validity", "end_of_validity_precision",
            "date_application", "date_application_precision",
            "date_provisional_application", "date_provisional_application_precision", "procedure_stage",
            "entry_into_force_kz", "entry_into_force_kz_precision", "in_force_for_kazakhstan",
            "kz_ratification_act", "kz_ratification_date", "kz_ratification_date_precision", "kz_participation_note",
            "status", "status_date", "status_note",
            "summary_en", "summary_ru", "summary_kk",
            "cited_in_article", "is_synthetic", "updated_at",
            "parties", "subjects", "relationships", "official_texts", "discrepancies", "provenance",
        ])  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "date_adopted_precision": {"help_text": PRECISION_HELP},
            "entry_into_force_precision": {"help_text": PRECISION_HELP},
            "end_of_validity_precision": {"help_text": PRECISION_HELP},
            "date_application_precision": {"help_text": PRECISION_HELP},
            "date_provisional_application_precision": {"help_text": PRECISION_HELP},
            "entry_into_force_kz_precision": {"help_text": PRECISION_HELP},
            "kz_ratification_date_precision": {"help_text": PRECISION_HELP},
        }

    @extend_schema_field(serializers.BooleanField(help_text=IN_FORCE_FOR_KAZAKHSTAN_HELP))
    def get_in_force_for_kazakhstan(self, instrument):
        if getattr(instrument, "in_force_for_kz", None) is None:
            # A list's row: by the Python twin, from the repeal dates and the Kazakhstan-party
            # flag of the page's own query (InstrumentQuerySet.with_kazakhstan_party).
            countries = {KAZAKHSTAN} if instrument.kazakhstan_party else set()
            on, repeals = self.context["status_date"], instrument.repeal_dates()
            instrument.in_force_for_kz = instrument.in_force_for_kazakhstan_on(on, repeals, countries)
        return instrument.in_force_for_kz

    @extend_schema_field(InstrumentPartySerializer(many=True))
    def get_parties(self, instrument):
        # Organisations first, then states; each row names one of the two (the other is empty).
        rows = sorted(
            split_rows(instrument.party_rows, PARTY_FIELDS),
            key=lambda row: (not row["organisation_id"], row["organisation_id"], row["country_id"]),
        )
        return [{"country": row["country_id"] or None, "organisation": row["organisation_id"] or None} for row in rows]

    @extend_schema_field(SubjectRefSerializer(many=True))
    def get_subjects(self, instrument):
        rows = sorted(split_rows(instrument.subject_rows, SUBJECT_FIELDS), key=lambda row: row["code"])
        return [{"code": row["code"], "scheme": row["scheme"], "label_en": row["label_en"]} for row in rows]

    @extend_schema_field(OfficialTextSerializer(many=True))
    def get_official_texts(self, instrument):
        rows = sorted(split_rows(instrument.text_rows, TEXT_FIELDS), key=lambda row: (row["language"], row["url"]))
        child = self.nested(OfficialTextSerializer)
        return [child.to_representation(row) for row in rows]

    @extend_schema_field(RelationshipSerializer(many=True))
    def get_relationships(self, instrument):
        edges = [Edge(rel, "outgoing") for rel in instrument.outgoing] + [
            Edge(rel, "incoming") for rel in instrument.incoming
        ]
        edges.sort(key=Edge.sort_key)
        child = self.nested(RelationshipSerializer)
        return [child.to_representation(edge) for edge in edges]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_discrepancies(self, instrument):
        return sorted(row["id"] for row in split_rows(instrument.discrepancy_rows, ("id",)))


class InstrumentDetailSerializer(InstrumentSerializer):
    provisions = ProvisionSerializer(
        many=True,
        source="provision_list",
        read_only=True,
        help_text="Parts of the instrument the article discusses, in order.",
    )

    class Meta(InstrumentSerializer.Meta):
        fields = InstrumentSerializer.Meta.fields + ["provisions"]
        read_only_fields = fields


class RelationshipRowSerializer(TableRowSerializer):
    """A row of the relationships table: `subject` acts on `object` (subject repeals object)."""

    api_name = "relationship-detail"

    subject = serializers.CharField(source="subject_id", read_only=True, help_text="The instrument that acts.")
    subject_url = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField(help_text="How it reads from the subject, e.g. repeals.")
    inverse_label = serializers.SerializerMethodField(help_text="How it reads from the object, e.g. repealed by.")
    object = serializers.CharField(source="object_id", read_only=True, help_text="The instrument acted on.")
    object_url = serializers.SerializerMethodField()
    provenance = ProvenanceField()

    get_subject_url = link_field("subject", "instrument-detail")
    get_object_url = link_field("object", "instrument-detail")

    class Meta:
        model = Relationship
        fields = [
            "id", "url", "subject", "subject_url", "type", "label", "inverse_label", "object", "object_url",
            "date_effective", "date_effective_precision", "date_effective_edtf", "note", "provenance",
        ]  # fmt: skip
        read_only_fields = fields

    def get_label(self, relationship) -> str:
        return str(RelationshipType(relationship.type).label)

    def get_inverse_label(self, relationship) -> str:
        return str(RelationshipType(relationship.type).inverse_label)


class InstrumentPartyRowSerializer(TableRowSerializer):
    """A row of the instrument parties table: a state or an organisation party to a treaty."""

    api_name = "instrument-party-detail"

    instrument = serializers.CharField(source="instrument_id", read_only=True)
    instrument_url = serializers.SerializerMethodField()
    country = serializers.CharField(
        source="country_id", read_only=True, allow_null=True, help_text="ISO 3166-1 alpha-2, or null."
    )
    country_url = serializers.SerializerMethodField()
    organisation = serializers.CharField(
        source="organisation_id", read_only=True, allow_null=True, help_text="e.g. eu, or null."
    )
    organisation_url = serializers.SerializerMethodField()
    provenance = ProvenanceField()

    get_instrument_url = link_field("instrument", "instrument-detail")
    get_country_url = link_field("country", "country-detail")
    get_organisation_url = link_field("organisation", "organisation-detail")

    class Meta:
        model = InstrumentParty
        fields = [
            "id", "url", "instrument", "instrument_url", "country", "country_url", "organisation",
            "organisation_url", "provenance",
        ]  # fmt: skip
        read_only_fields = fields
