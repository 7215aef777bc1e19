"""REST API: countries and organisations."""

from django.db.models import F, Prefetch

from api.renderers import flat_columns, joined, periods
from api.viewsets import ReadOnlyViewSet
from sources.queries import provenance_prefetch, provenance_prefetches

from .filters import MembershipFilter
from .models import Country, Membership, Organisation
from .serializers import CountrySerializer, MembershipRowSerializer, OrganisationSerializer


class CountryViewSet(ReadOnlyViewSet):
    """States; addressed by ISO 3166-1 alpha-2 code in any case."""

    serializer_class = CountrySerializer
    lookup_value_regex = r"[A-Za-z]{2}"
    csv_filename = "countries.csv"
    csv_columns = flat_columns(CountrySerializer) + [
        ("memberships", periods("memberships", "organisation")),
        ("agreements", joined("agreements")),
    ]

    def get_queryset(self):
        memberships = Membership.objects.order_by("organisation_id", F("date_from").asc(nulls_first=True), "id")
        return Country.objects.order_by("code").prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="membership_list"),
            # Party rows by their reverse relation: countries know nothing of agreements.
            Prefetch("agreement_parties", to_attr="party_list"),
            *provenance_prefetches(self),
        )

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


class OrganisationViewSet(ReadOnlyViewSet):
    """Organisations of states (EU, EAEU, CIS, Benelux) with dated memberships."""

    serializer_class = OrganisationSerializer
    csv_columns = flat_columns(OrganisationSerializer) + [("memberships", periods("memberships", "country"))]

    def get_queryset(self):
        memberships = Membership.objects.order_by(F("date_from").asc(nulls_first=True), "country_id", "id")
        return Organisation.objects.order_by("code").prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="membership_list"), *provenance_prefetches(self)
        )


class MembershipViewSet(ReadOnlyViewSet):
    """The memberships table: one row per state, organisation and period, dates as known."""

    serializer_class = MembershipRowSerializer
    filterset_class = MembershipFilter
    csv_columns = flat_columns(MembershipRowSerializer)

    def get_queryset(self):
        return Membership.objects.prefetch_related(provenance_prefetch())
