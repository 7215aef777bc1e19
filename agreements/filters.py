"""Filters for readmission agreements, shared by the REST API and the HTML lists.

`country` takes ISO 3166-1 alpha-2 or alpha-3 codes in any case (comma-separated
for several); an agreement matches when the country is a party, so the Benelux
agreement matches BE, LU and NL. `member_of` keeps agreements with a partner that
was a member of the organisation on the date `on` — or, when `on` is not given, on
the date of `in_force_on`, else today — so "in force with EU members on a date"
is one request: member_of=eu&in_force_on=2017-01-01.
"""

import django_filters as df
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When

from core.filters import (
    STATUS_FACET,
    DateFilter,
    Facet,
    KnownIdFilter,
    LifecycleFilterSet,
    SearchFilter,
    StableOrderingFilter,
    StrictBooleanFilter,
    StrictChoiceFilter,
    TableFilterSet,
    ordering_filter,
)
from core.lifecycle import today
from countries.fields import CountryCodesField
from countries.filters import CountriesFilter
from subjects.filters import SubjectFilter

from .models import KAZAKHSTAN, Agreement, AgreementType, ArticleListing, Party

MEMBER_OF_CHOICES = (
    ("eu", "European Union"),
    ("eaeu", "Eurasian Economic Union"),
    ("cis", "Commonwealth of Independent States"),
)


def partner_rows(queryset):
    """The partner parties (Kazakhstan aside) of the matching agreements: one per agreement and state."""
    return Party.objects.filter(agreement__in=queryset.order_by().values("pk")).exclude(country=KAZAKHSTAN)


IN_ARTICLE_LIST = Case(
    When(article_listing=ArticleListing.RATIFIED_12, then=Value("true")),
    default=Value("false"),
    output_field=CharField(),
)


class CountryFilter(df.CharFilter):
    field_class = CountryCodesField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.with_partner(*value)


class AgreementFilter(LifecycleFilterSet):
    country = CountryFilter(
        help_text="Partner state(s): ISO 3166-1 alpha-2 or alpha-3, any case, comma-separated. "
        "The Benelux agreement matches BE, LU and NL; KZ matches every agreement."
    )
    member_of = StrictChoiceFilter(
        choices=MEMBER_OF_CHOICES,
        method="filter_member_of",
        help_text="Agreements with a partner that was a member of this organisation on the date `on` "
        "(default: the `in_force_on` date if given, else today).",
    )
    type = StrictChoiceFilter(
        choices=AgreementType.choices, help_text="Type of agreement (readmission, labour migration…)."
    )
    subject = SubjectFilter(help_text="Subject code; a parent code also matches its narrower subjects.")
    signed_from = DateFilter(
        field_name="date_signed", lookup_expr="gte", help_text="Signed on or after this date (YYYY-MM-DD)."
    )
    signed_to = DateFilter(
        field_name="date_signed", lookup_expr="lte", help_text="Signed on or before this date (YYYY-MM-DD)."
    )
    in_article_list = StrictBooleanFilter(
        method="filter_in_article_list",
        help_text="true: among the article's 12 ratified agreements; false: not among them.",
    )
    q = SearchFilter(
        method="filter_q",
        help_text="Words to find in titles (en/ru/kk), id, ratification law number, place of "
        "signature and partner names (case-insensitive substring). At most 10 different words of two "
        "letters or more (one-letter and repeated words are ignored).",
    )
    ordering = StableOrderingFilter(
        fields=(
            ("date_signed", "date_signed"),
            ("entry_into_force", "entry_into_force"),
            ("end_of_validity", "end_of_validity"),
            ("ratification_law_date", "ratification_law_date"),
            ("id", "id"),
            ("updated_at", "updated_at"),
        ),
        help_text="Sort by these fields (repeated, ordering=a&ordering=-b, or comma-separated; '-' for descending); "
        "empty dates sort last, ties by id. Default: date_signed, id.",
    )

    default_ordering = (F("date_signed").asc(nulls_last=True), "id")
    facets = {
        "type": Facet(F("type"), choices=AgreementType.values),
        "status": STATUS_FACET,
        "country": Facet(F("country_id"), rows=partner_rows),
        "in_article_list": Facet(IN_ARTICLE_LIST, choices=["true", "false"]),
    }
    search_fields = ("title_en", "title_ru", "title_kk", "id", "ratification_law_number", "place_signed")

    class Meta:
        model = Agreement
        fields = []

    def member_of_date(self):
        data = self.form.cleaned_data
        return data.get("on") or data.get("in_force_on") or today()

    def filter_member_of(self, queryset, name, value):
        return queryset.with_partner_member_of(value, self.member_of_date())

    def filter_in_article_list(self, queryset, name, value):
        if value is True:
            return queryset.filter(article_listing=ArticleListing.RATIFIED_12)
        if value is False:
            return queryset.exclude(article_listing=ArticleListing.RATIFIED_12)
        return queryset

    def filter_q(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        partner_named = Party.objects.filter(agreement=OuterRef("pk")).filter(
            Q(country__name_en__icontains=value)
            | Q(country__name_ru__icontains=value)
            | Q(country__name_kk__icontains=value)
        )
        return queryset.filter(condition | Q(Exists(partner_named)))


class PartyRowFilter(TableFilterSet):
    """The agreement parties table."""

    agreement = KnownIdFilter(model=Agreement, noun="agreement", help_text="Agreement id.")
    country = CountriesFilter(
        field_name="country", help_text="State(s): ISO 3166-1 alpha-2 or alpha-3, any case, comma-separated."
    )
    ordering = ordering_filter(
        ("agreement_id", "agreement"), ("country_id", "country"), "id", default="agreement, country"
    )

    default_ordering = ("agreement_id", "country_id", "id")

    class Meta:
        model = Party
        fields = []
