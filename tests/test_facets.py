"""facet_counts_in_one_query: several facets, each under its own filters, in one SQL query."""

from django.db.models import Case, F, Value, When

from agreements.models import Agreement
from core.facets import facet_counts_in_one_query
from core.lifecycle import Status
from instruments.models import Instrument


def test_several_facets_one_query(kb, django_assert_num_queries):
    eu = Instrument.objects.filter(jurisdiction="eu")
    directives = Instrument.objects.filter(kind="directive")
    on = __import__("datetime").date(2024, 1, 1)
    status = Case(
        When(Instrument.objects.status_q(Status.IN_FORCE, on), then=Value("in_force")), default=Value("other")
    )
    eu_count = eu.count()
    with django_assert_num_queries(1):
        counts = facet_counts_in_one_query(
            [
                ("kind", eu, F("kind")),
                ("jurisdiction", directives, F("jurisdiction")),
                ("cited_in_article", Instrument.objects.all(), F("cited_in_article")),
                ("subject", eu, F("subjects")),
                ("status", eu, status),
            ]
        )
    assert counts["kind"] == {kind: eu.filter(kind=kind).count() for kind in set(eu.values_list("kind", flat=True))}
    assert counts["jurisdiction"] == {"eu": directives.count()}
    assert counts["cited_in_article"] == {
        "true": Instrument.objects.filter(cited_in_article=True).count(),
        "false": Instrument.objects.filter(cited_in_article=False).count(),
    }
    assert counts["subject"] == {
        code: eu.filter(subjects=code).count()
        for code in set(eu.exclude(subjects=None).values_list("subjects", flat=True))
    }
    in_force = eu.in_force_on(on).count()
    # Directive 2009/50/EC was repealed with effect from 2023-11-19: not in force on 2024-01-01.
    assert not eu.in_force_on(on).filter(pk="eu-dir-2009-50").exists()
    assert counts["status"] == {"in_force": in_force, "other": eu_count - in_force}
    assert eu.count() == eu_count


def test_one_facet_and_no_facet(kb):
    assert facet_counts_in_one_query([]) == {}
    benelux = Agreement.objects.filter(pk="kz-benelux-readmission")
    assert facet_counts_in_one_query([("country", benelux, F("parties__country"))]) == {
        "country": {"BE": 1, "KZ": 1, "LU": 1, "NL": 1}
    }
    assert benelux.count() == 1  # the queryset given is left as it was


def test_a_filter_across_a_join_still_counts_each_record_once(kb):
    from subjects.models import Subject

    # Instruments with any subject: one joined row per subject, so several rows per instrument.
    joined = Instrument.objects.filter(subjects__in=Subject.objects.all())
    records = set(joined.values_list("pk", flat=True))
    assert joined.count() > len(records)  # the join does repeat instruments
    counts = facet_counts_in_one_query([("kind", joined, F("kind")), ("subject", joined, F("subjects"))])
    kinds = Instrument.objects.filter(pk__in=records).values_list("kind", flat=True)
    assert counts["kind"] == {kind: list(kinds).count(kind) for kind in set(kinds)}
    through = Instrument.subjects.through.objects.filter(instrument_id__in=records)
    assert counts["subject"] == {
        code: through.filter(subject_id=code).count() for code in set(through.values_list("subject_id", flat=True))
    }


def test_count_distinct_only_where_a_join_could_repeat_a_row(kb):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    eu = Instrument.objects.filter(jurisdiction="eu")
    with CaptureQueriesContext(connection) as plain:
        facet_counts_in_one_query([("kind", eu, F("kind")), ("subject", eu, F("subjects"))])
    assert "DISTINCT" not in plain.captured_queries[0]["sql"].upper()
    with CaptureQueriesContext(connection) as across:
        facet_counts_in_one_query([("kind", Instrument.objects.filter(subjects__code="refugees"), F("kind"))])
    assert "COUNT(DISTINCT" in across.captured_queries[0]["sql"].upper()
    benelux = Agreement.objects.filter(pk="kz-benelux-readmission")
    with CaptureQueriesContext(connection) as reverse:
        facet_counts_in_one_query([("country", benelux, F("parties__country"))])
    assert "COUNT(DISTINCT" in reverse.captured_queries[0]["sql"].upper()
