"""facet_counts_in_one_query: several facets, each under its own filters, in one SQL query."""

from django.db.models import Case, F, Value, When

from agreements.models import Agreement
from instruments.facets import facet_counts_in_one_query
from instruments.lifecycle import Status
from instruments.models import Instrument


def test_several_facets_one_query(kb, django_assert_num_queries):
    eu = Instrument.objects.filter(jurisdiction="eu")
    directives = Instrument.objects.filter(kind="directive")
    on = __import__("datetime").date(2024, 1, 1)
    status = Case(When(Instrument.objects.status_q(Status.IN_FORCE, on), then=Value("in_force")),
                  default=Value("other"))
    eu_count = eu.count()
    with django_assert_num_queries(1):
        counts = facet_counts_in_one_query([
            ("kind", eu, F("kind")),
            ("jurisdiction", directives, F("jurisdiction")),
            ("cited_in_article", Instrument.objects.all(), F("cited_in_article")),
            ("subject", eu, F("subjects")),
            ("status", eu, status),
        ])
    assert counts["kind"] == {kind: eu.filter(kind=kind).count() for kind in set(eu.values_list("kind", flat=True))}
    assert counts["jurisdiction"] == {"eu": directives.count()}
    assert counts["cited_in_article"] == {
        "true": Instrument.objects.filter(cited_in_article=True).count(),
        "false": Instrument.objects.filter(cited_in_article=False).count()}
    assert counts["subject"] == {
        code: eu.filter(subjects=code).count()
        for code in set(eu.exclude(subjects=None).values_list("subjects", flat=True))}
    in_force = eu.in_force_on(on).count()
    # Directive 2009/50/EC was repealed with effect from 2023-11-19: not in force on 2024-01-01.
    assert not eu.in_force_on(on).filter(pk="eu-dir-2009-50").exists()
    assert counts["status"] == {"in_force": in_force, "other": eu_count - in_force}
    assert eu.count() == eu_count


def test_one_facet_and_no_facet(kb):
    assert facet_counts_in_one_query([]) == {}
    benelux = Agreement.objects.filter(pk="kz-benelux-readmission")
    assert facet_counts_in_one_query([("country", benelux, F("parties__country"))]) == {
        "country": {"BE": 1, "KZ": 1, "LU": 1, "NL": 1}}
    assert benelux.count() == 1  # the queryset given is left as it was
