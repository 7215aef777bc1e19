"""REST API: Kazakhstan's agreements."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.links import api_url
from api.renderers import JSONLDRenderer, flat_columns, joined
from api.viewsets import LifecycleViewSet, ReadOnlyViewSet
from core.db import joined_rows
from sources.queries import provenance_prefetch
from subjects.models import Subject

from . import jsonld
from .filters import AgreementFilter, PartyRowFilter
from .models import Agreement, Party
from .serializers import AgreementSerializer, PartyRowSerializer

# id, url, html_url first; then the partners; then the other scalar fields.
SCALAR_COLUMNS = flat_columns(AgreementSerializer)


@extend_schema_view(
    list=extend_schema(
        summary="List Kazakhstan's agreements with partner states",
        description=(
            "Kazakhstan's agreements with partner states (readmission, labour migration, migration cooperation, "
            "stay of citizens, mutual travel: `type=`), one record per agreement (the Benelux agreement is one "
            "agreement with three partner states). `in_force_on` returns the agreements whose known in-force "
            "period contains the date; an agreement whose entry into force is unknown is never returned. "
            "`member_of` uses the date `on`, else the `in_force_on` date, else today."
        ),
    ),
    retrieve=extend_schema(summary="One agreement"),
)
class AgreementViewSet(LifecycleViewSet):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    extra_formats = [JSONLDRenderer]
    csv_columns = (
        SCALAR_COLUMNS[:3]
        + [
            ("partners", joined("partners", "code")),
            ("partners_alpha3", joined("partners", "alpha3")),
            ("partner_names", joined("partners", "name_en")),
        ]
        + SCALAR_COLUMNS[3:]
        + [("subjects", joined("subjects")), ("discrepancies", joined("discrepancies"))]
    )

    list_omit = ("provenance", "parties", "note", "ratification_note")
    csv_column_fields = {"partners_alpha3": "partners", "partner_names": "partners"}

    def get_queryset(self):
        annotations, prefetches = {}, []
        if self.wants_field("discrepancies"):
            errata_links = Agreement.discrepancies.through
            annotations["discrepancy_rows"] = joined_rows(errata_links, "agreement", ("discrepancy_id",))
        if self.wants_field("subjects"):
            annotations["subject_rows"] = joined_rows(Subject, "agreements", ("code",))
        if self.wants_field("partners") or self.wants_field("parties"):
            parties = Party.objects.select_related("country").order_by("country_id")
            prefetches.append(Prefetch("parties", queryset=parties, to_attr="party_list"))
        if self.wants_field("provenance"):
            prefetches.append(provenance_prefetch())
        return Agreement.objects.annotate(**annotations).prefetch_related(*prefetches)

    def jsonld_document(self, items):
        return jsonld.document(items, lambda pk: api_url(self.request, "agreement-detail", pk))


class AgreementPartyViewSet(ReadOnlyViewSet):
    """The agreement parties table: one row per agreement and state party to it."""

    serializer_class = PartyRowSerializer
    filterset_class = PartyRowFilter
    csv_filename = "agreement-parties.csv"
    csv_columns = flat_columns(PartyRowSerializer)

    def get_queryset(self):
        return Party.objects.prefetch_related(provenance_prefetch())
