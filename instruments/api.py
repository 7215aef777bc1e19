"""REST API: instruments."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.renderers import JSONLDRenderer, flat_columns, joined
from api.viewsets import LifecycleViewSet, ReadOnlyViewSet
from core.db import joined_rows, split_rows
from sources.queries import provenance_prefetch
from subjects.models import Subject

from . import jsonld
from .filters import InstrumentFilter, InstrumentPartyRowFilter, RelationshipRowFilter
from .models import Instrument, InstrumentParty, OfficialText, Provision, Relationship
from .serializers import (
    PARTY_FIELDS,
    SUBJECT_FIELDS,
    TEXT_FIELDS,
    InstrumentDetailSerializer,
    InstrumentPartyRowSerializer,
    InstrumentSerializer,
    RelationshipRowSerializer,
)

# Only what names the instrument at the other end of a relationship is read of it.
LABEL_FIELDS = [f"{field}_{code}" for field in ("short_title", "title") for code in ("en", "ru", "kk")]


def edges(other):
    """Relationships of a page's instruments on one side; of the instrument at the other end
    only what names it is read. Unordered: the serializer sorts an instrument's edges itself,
    and the model's ordering would join both ends' instruments to sort by their dates."""
    return Relationship.objects.order_by().select_related(other).only(
        "id", "subject_id", "object_id", "type", "date_effective", "date_effective_precision", "note",
        f"{other}__id", *[f"{other}__{field}" for field in LABEL_FIELDS],
    )  # fmt: skip


def with_api_relations(queryset, detail=False, wants=lambda name: True):
    """A page's relations in a fixed number of queries: its small lists (subjects, texts, errata
    ids) in the page's own query, relationships each way and provenance one prefetch each
    (provisions on detail). Every list and detail then stays within 6 queries with a count,
    a facet query or a subject filter's vocabulary query added.

    wants(field) says whether the answer has that field (`fields=` / `omit=`): nothing is read
    for a field left out, so `omit=provenance` runs no provenance query."""
    prefetches = []
    if wants("relationships"):
        prefetches += [
            Prefetch("outgoing_relationships", queryset=edges("object"), to_attr="outgoing"),
            Prefetch("incoming_relationships", queryset=edges("subject"), to_attr="incoming"),
        ]
    if wants("provenance"):
        prefetches.append(provenance_prefetch())
    if detail and wants("provisions"):
        provisions = Provision.objects.order_by("position", "label", "id")
        prefetches.append(Prefetch("provisions", queryset=provisions, to_attr="provision_list"))
    # Errata link instruments from their own app; the reverse relation reaches the link table.
    lists = {
        "subjects": ("subject_rows", Subject, "instruments", SUBJECT_FIELDS),
        "official_texts": ("text_rows", OfficialText, "instrument", TEXT_FIELDS),
        "parties": ("party_rows", InstrumentParty, "instrument", PARTY_FIELDS),
        "discrepancies": ("discrepancy_rows", Instrument.discrepancies.through, "instrument", ("discrepancy_id",)),
    }
    annotations = {
        attr: joined_rows(rows, link, columns) for field, (attr, rows, link, columns) in lists.items() if wants(field)
    }
    return queryset.annotate(**annotations).prefetch_related(*prefetches)


@extend_schema_view(
    list=extend_schema(
        summary="List instruments",
        description=(
            "Legal instruments (EU directives and regulations, EAEU and CIS treaties, Kazakh laws and resolutions). "
            "`in_force_on` returns the instruments whose known in-force period contains the date; an instrument "
            "whose entry into force is unknown is never returned. Unknown or malformed parameters are a 400."
        ),
    ),
    retrieve=extend_schema(summary="One instrument, with relationships both ways, provisions and provenance"),
)
class InstrumentViewSet(LifecycleViewSet):
    filterset_class = InstrumentFilter
    extra_formats = [JSONLDRenderer]
    # A list is for finding records: the long texts and nested lists stay on the item (and fields=).
    # A light list (docs/api.md): no provenance, long texts or nested lists; no EDTF companions
    # (the date and its precision say the same); the rarely filled details of a treaty's
    # ratification and provisional application stay with the item.
    list_omit = (
        "provenance", "summary_en", "summary_ru", "summary_kk", "status_note", "kz_participation_note",
        "official_texts", "relationships", "parties", "publication_reference", "issuing_body", "place_adopted",
        "kz_ratification_act", "kz_ratification_date", "kz_ratification_date_precision",
        "date_provisional_application", "date_provisional_application_precision",
        *[name for name in InstrumentSerializer.Meta.fields if name.endswith("_edtf")],
    )  # fmt: skip
    csv_columns = flat_columns(InstrumentSerializer) + [
        ("parties", lambda item: "|".join(p["country"] or p["organisation"] for p in item["parties"])),
        ("subjects", joined("subjects", "code")),
        ("discrepancies", joined("discrepancies")),
        ("relationships", lambda item: "|".join(f"{r['label']} {r['instrument']}" for r in item["relationships"])),
    ]

    def get_queryset(self):
        return with_api_relations(Instrument.objects.all(), self.action == "retrieve", self.wants_field)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and self.wants_field("in_force_for_kazakhstan"):
            queryset = queryset.with_kazakhstan_party()
        return queryset

    def reckon(self, instrument, on):
        # From the repeal dates annotated in the instrument's own query (with_repeal_dates), and
        # the parties where the answer reads them anyway.
        repeals = instrument.repeal_dates()
        # An instrument without parties has party_rows None (no row to aggregate): no parties,
        # not "not read".
        countries = None
        if hasattr(instrument, "party_rows"):
            countries = {row["country_id"] for row in split_rows(instrument.party_rows, PARTY_FIELDS)}
        instrument.computed_status = instrument.status_on(on, repeals).value
        instrument.in_force_for_kz = instrument.in_force_for_kazakhstan_on(on, repeals, countries)

    def get_serializer_class(self):
        return InstrumentDetailSerializer if self.action == "retrieve" else InstrumentSerializer

    def jsonld_document(self, items):
        return jsonld.document(items)


class RelationshipViewSet(ReadOnlyViewSet):
    """The relationships table: one row per typed link between two instruments."""

    serializer_class = RelationshipRowSerializer
    filterset_class = RelationshipRowFilter
    csv_columns = flat_columns(RelationshipRowSerializer)

    def get_queryset(self):
        return Relationship.objects.prefetch_related(provenance_prefetch())


class InstrumentPartyViewSet(ReadOnlyViewSet):
    """The instrument parties table: one row per treaty and state or organisation party to it."""

    serializer_class = InstrumentPartyRowSerializer
    filterset_class = InstrumentPartyRowFilter
    csv_filename = "instrument-parties.csv"
    csv_columns = flat_columns(InstrumentPartyRowSerializer)

    def get_queryset(self):
        return InstrumentParty.objects.prefetch_related(provenance_prefetch())
