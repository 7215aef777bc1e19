"""REST API v1: Kazakhstan's readmission agreements."""

from collections import defaultdict

from django.db.models import Case, CharField, F, Value, When
from drf_spectacular.utils import extend_schema, extend_schema_view

from instruments.api import STATUS_FACET, StatusDateMixin, attach_provenance, flat_columns, joined
from instruments.api_support import Facet, ReadOnlyViewSet

from .filters import AgreementFilter
from .models import KAZAKHSTAN, Agreement, ArticleListing, Party
from .serializers import AgreementSerializer


def partner_rows(queryset):
    """The partner parties (Kazakhstan aside) of the matching agreements: one per agreement and state."""
    return Party.objects.filter(agreement__in=queryset.order_by().values("pk")).exclude(country=KAZAKHSTAN)


IN_ARTICLE_LIST = Case(When(article_listing=ArticleListing.RATIFIED_12, then=Value("true")),
                       default=Value("false"), output_field=CharField())


# id, url, html_url first; then the partners; then the other scalar fields.
SCALAR_COLUMNS = flat_columns(AgreementSerializer)


@extend_schema_view(
    list=extend_schema(summary="List readmission agreements", description=(
        "Kazakhstan's bilateral readmission agreements, one record per agreement (the Benelux agreement is one "
        "agreement with three partner states). `in_force_on` returns the agreements whose known in-force period "
        "contains the date; an agreement whose entry into force is unknown is never returned. `member_of` uses "
        "the date `on`, else the `in_force_on` date, else today.")),
    retrieve=extend_schema(summary="One readmission agreement"),
)
class AgreementViewSet(StatusDateMixin, ReadOnlyViewSet):
    queryset = Agreement.objects.all()
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    facets = {
        "status": STATUS_FACET,
        "country": Facet(F("country_id"), rows=partner_rows),
        "in_article_list": Facet(IN_ARTICLE_LIST, choices=["true", "false"]),
    }
    csv_columns = SCALAR_COLUMNS[:3] + [
        ("partners", joined("partners", "code")),
        ("partners_alpha3", joined("partners", "alpha3")),
        ("partner_names", joined("partners", "name_en")),
    ] + SCALAR_COLUMNS[3:] + [("discrepancies", joined("discrepancies"))]

    def attach(self, objects):
        parties = defaultdict(list)
        for party in (Party.objects.filter(agreement_id__in=[obj.pk for obj in objects])
                      .select_related("country").order_by("agreement_id", "country_id")):
            parties[party.agreement_id].append(party)
        errata = defaultdict(list)
        through = Agreement.discrepancies.through
        for agreement_id, discrepancy_id in (through.objects.filter(agreement_id__in=[obj.pk for obj in objects])
                                             .order_by("agreement_id", "discrepancy_id")
                                             .values_list("agreement_id", "discrepancy_id")):
            errata[agreement_id].append(discrepancy_id)
        for obj in objects:
            obj.api_parties = parties[obj.pk]
            obj.api_partners = [party for party in parties[obj.pk] if party.country_id != KAZAKHSTAN]
            obj.api_discrepancies = errata[obj.pk]
        attach_provenance(objects)
