"""Filters of the memberships table (REST API)."""

import django_filters as df
from django.db.models import F

from core.filters import DateFilter, KnownIdFilter, TableFilterSet, ordering_filter

from .fields import CountryCodesField
from .models import Membership, Organisation


class CountriesFilter(df.CharFilter):
    """Rows about any of these states (ISO 3166-1 alpha-2 or alpha-3, any case, comma-separated)."""

    field_class = CountryCodesField

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class MembershipFilter(TableFilterSet):
    organisation = KnownIdFilter(model=Organisation, noun="organisation", help_text="Organisation code, e.g. eu.")
    country = CountriesFilter(
        field_name="country", help_text="Member state(s): ISO 3166-1 alpha-2 or alpha-3, comma-separated."
    )
    member_on = DateFilter(
        method="filter_member_on",
        help_text="Memberships certainly held on this date (YYYY-MM-DD); one whose start is unknown, or known "
        "only to a month or year that contains the date, is not counted.",
    )
    ordering = ordering_filter(
        "date_from", "date_until", ("organisation_id", "organisation"), ("country_id", "country"), "id",
        default="organisation, date_from, country",
    )  # fmt: skip

    default_ordering = ("organisation_id", F("date_from").asc(nulls_first=True), "country_id", "id")

    class Meta:
        model = Membership
        fields = []

    def filter_member_on(self, queryset, name, value):
        return queryset.on(value)
