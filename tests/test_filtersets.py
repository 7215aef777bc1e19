"""A FilterSet bound with only the filters a query names (`only_named=True`, as the API binds them,
core.filters.StrictFilterSet) selects the same records in the same order, reports the same
errors and counts the same facets as one bound with every filter (as the HTML lists bind them)."""

import pytest
from django.http import QueryDict

from agreements.filters import AgreementFilter
from agreements.models import Agreement
from instruments.filters import InstrumentFilter
from instruments.models import Instrument

INSTRUMENT_QUERIES = [
    "",
    "page_size=5",
    "in_force_on=2020-01-01",
    "applicable_on=2026-06-12&jurisdiction=eu",
    "status=in_force&on=2013-01-01",
    "status=no_longer_in_force",
    "kind=directive&ordering=-date_adopted",
    "level=national&adopted_from=2010-01-01&adopted_to=2022-12-31",
    "in_force_for_kazakhstan_on=2015-06-01",
    "party=KZ,RUS",
    "subject=exit-readmission",
    "cited_in_article=true&ordering=entry_into_force,-id",
    "q=family reunification",
    "repealed_by=eu-reg-2024-1351",
    "repeals=eu-reg-2013-604",
    "in_force_on=2020-02-30",  # no such date
    "kind=novel",
    "subject=nothing-of-the-kind",
    "repealed_by=no-such-instrument",
    # five relationship filters: the form's own check refuses them (at most four)
    "repeals=eu-reg-2013-604&repealed_by=eu-reg-2024-1351&amends=eu-reg-2013-604"
    "&amended_by=eu-reg-2024-1351&cites=eu-reg-2013-604",
]
AGREEMENT_QUERIES = [
    "",
    "country=DE",
    "country=deu&type=readmission",
    "member_of=eu&signed_from=2005-01-01&ordering=-date_signed",
    "in_force_on=2020-01-01&in_article_list=true",
    "status=in_force",
    "signed_to=1999-12-31",
    "q=readmission",
    "country=XX",
    "signed_from=yesterday",
]


def both(filterset_class, model, query):
    data = QueryDict(query)
    every = filterset_class(data, queryset=model.objects.real())
    named = filterset_class(data, queryset=model.objects.real(), only_named=True)
    return every, named


@pytest.mark.parametrize(
    ("filterset_class", "model", "query"),
    [(InstrumentFilter, Instrument, query) for query in INSTRUMENT_QUERIES]
    + [(AgreementFilter, Agreement, query) for query in AGREEMENT_QUERIES],
)
def test_the_filters_a_query_names_select_what_every_filter_selects(kb, filterset_class, model, query):
    every, named = both(filterset_class, model, query)
    assert named.is_valid() == every.is_valid()
    assert named.errors == every.errors
    if every.is_valid():
        assert list(named.qs.values_list("pk", flat=True)) == list(every.qs.values_list("pk", flat=True))
        assert named.reference_date() == every.reference_date()
        counts = {name: facet for name, facet in filterset_class.facets.items()}
        assert named.count_facets(counts) == every.count_facets(counts)


def test_a_query_binds_only_the_filters_it_names(kb):
    named = InstrumentFilter(QueryDict("kind=directive&page_size=5"), only_named=True)
    assert list(named.filters) == ["kind"]
    assert list(named.form.fields) == ["kind"]
    assert len(InstrumentFilter(QueryDict("kind=directive")).filters) == len(InstrumentFilter.base_filters)


def test_the_known_sets_of_names_are_recorded_up_to_a_bound(kb, monkeypatch):
    monkeypatch.setattr(InstrumentFilter, "_form_classes", {}, raising=False)
    monkeypatch.setattr(InstrumentFilter, "MAX_FORM_CLASSES", 2)
    for query in ("kind=", "level=", "jurisdiction=", "kind="):
        InstrumentFilter(QueryDict(query), only_named=True).form  # noqa: B018
    assert set(InstrumentFilter._form_classes) == {("kind",), ("level",)}
    third = InstrumentFilter(QueryDict("jurisdiction=eu"), only_named=True)
    assert list(third.form.fields) == ["jurisdiction"]  # made, not kept
