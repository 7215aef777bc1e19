"""Query budget: every list and detail page, feed and API response runs at most 6 SQL queries,
whatever the page size — so a page never costs one more query per row (no N+1).

The real knowledge base is loaded, and 300 synthetic instruments (with relationships,
subjects and provenance) and 60 synthetic agreements (some with several partners) are
generated in the test, so a page of 200 holds 200 rows with all their relations.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

BUDGET = 6
PAGE_SIZES = (1, 200)

API_LISTS = [
    "/api/v1/instruments/",
    "/api/v1/instruments/?fields=*",
    "/api/v1/instruments/?in_force_on=2020-01-01",
    "/api/v1/instruments/?jurisdiction=eu&ordering=-entry_into_force",
    "/api/v1/instruments/?q=readmission",
    "/api/v1/instruments/?status=in_force&subject={subject}",
    "/api/v1/instruments/?facets=kind,status",
    "/api/v1/agreements/",
    "/api/v1/agreements/?fields=*",
    "/api/v1/agreements/?country=DE",
    "/api/v1/agreements/?member_of=eu&in_force_on=2017-01-01",
    "/api/v1/agreements/?facets=status",
    "/api/v1/countries/",
    "/api/v1/organisations/",
    "/api/v1/sources/",
    "/api/v1/discrepancies/",
    "/api/v1/subjects/",
    "/api/v1/subjects/?scheme=policy_area&ordering=-code",
    "/api/v1/relationships/",
    "/api/v1/relationships/?instrument={synthetic_instrument}&ordering=-date_effective",
    "/api/v1/memberships/",
    "/api/v1/memberships/?organisation=eu&member_on=2017-01-01",
    "/api/v1/agreement-parties/",
    "/api/v1/agreement-parties/?agreement={synthetic_agreement}&country=KZ",
    "/api/v1/instrument-parties/",
    "/api/v1/instrument-parties/?organisation=eu",
    "/api/v1/provenance/",
    "/api/v1/provenance/?record_type=instruments.instrument&source=article&ordering=record,-field",
]

API_DETAILS = [
    "/api/v1/instruments/eu-dir-2009-50/",
    "/api/v1/instruments/{synthetic_instrument}/",
    "/api/v1/agreements/kz-benelux-readmission/",
    "/api/v1/agreements/{synthetic_agreement}/",
    "/api/v1/countries/DE/",
    "/api/v1/organisations/eu/",
    "/api/v1/sources/article/",
    "/api/v1/discrepancies/2009-50-repealed/",
    "/api/v1/subjects/legal_entry_stay-family_reunification/",
    "/api/v1/relationships/eu-dir-2021-1883-repeals-eu-dir-2009-50/",
    "/api/v1/memberships/eu-cz-2004-05-01/",
    "/api/v1/agreement-parties/kz-benelux-readmission-be/",
    "/api/v1/instrument-parties/eu-kz-epca-eu/",
]

PAGES = [
    ("web:home", []),
    ("web:instrument-list", []),
    ("web:instrument-detail", ["eu-dir-2009-50"]),
    ("web:instrument-detail", ["{synthetic_instrument}"]),
    ("web:agreement-list", []),
    ("web:agreement-detail", ["kz-benelux-readmission"]),
    ("web:agreement-detail", ["{synthetic_agreement}"]),
    ("web:country-detail", ["DE"]),
    ("web:sources", []),
    ("web:errata", []),
    ("web:timeline", []),
    # The feeds hold 50 entries of the real history each, the events page 100 rows.
    ("web:feed-changes", []),
    ("web:feed-jurisdiction", ["eu"]),
    ("web:feed-country", ["DE"]),
    ("web:feed-country", ["KZ"]),
    ("web:instrument-feed", ["eu-dir-2009-50"]),
    ("web:agreement-feed", ["kz-benelux-readmission"]),
    ("web:events", []),
    ("web:events-feed", []),
]


@pytest.fixture(scope="module")
def synthetic_once(module_transaction, django_db_blocker):
    """Generated once for the module, in a transaction rolled back after it (tests/conftest.py)."""
    with module_transaction():
        with django_db_blocker.unblock():
            call_command("gen_synthetic", instruments=300, agreements=60, seed=7, verbosity=0)
            names = names_of_synthetic_records()
        yield names


def names_of_synthetic_records():
    from agreements.models import Agreement
    from instruments.models import Instrument, Relationship

    # The synthetic instrument with the most relationships, and an agreement with three partners.
    busiest = max(
        Instrument.objects.filter(is_synthetic=True).values_list("pk", flat=True),
        key=lambda pk: Relationship.objects.filter(subject=pk).count() + Relationship.objects.filter(object=pk).count(),
    )
    multi = next(
        a for a in Agreement.objects.filter(is_synthetic=True).prefetch_related("parties") if a.parties.count() >= 3
    )
    subject = (
        Instrument.subjects.through.objects.filter(instrument__is_synthetic=True)
        .values_list("subject_id", flat=True)
        .first()
    )
    return {"synthetic_instrument": busiest, "synthetic_agreement": multi.pk, "subject": subject}


@pytest.fixture
def synthetic(synthetic_once, kb, warm_caches):
    return synthetic_once


def with_page_size(url, size):
    return f"{url}{'&' if '?' in url else '?'}page_size={size}"


@pytest.mark.parametrize("size", PAGE_SIZES)
@pytest.mark.parametrize("url", API_LISTS)
def test_api_list_within_budget(client, synthetic, django_assert_max_num_queries, url, size):
    url = with_page_size(url.format(**synthetic), size)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert len(body["results"]) == min(size, body["count"])


@pytest.mark.parametrize("url", API_DETAILS)
def test_api_detail_within_budget(client, synthetic, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url.format(**synthetic))
    assert response.status_code == 200, response.content[:300]


def test_page_of_200_really_holds_200_instruments_with_relations(client, synthetic):
    """The budget above means something: the big page is full, and its rows carry relations."""
    body = client.get("/api/v1/instruments/?page_size=200&fields=*").json()
    assert body["count"] >= 300
    assert len(body["results"]) == 200
    assert sum(len(item["relationships"]) for item in body["results"]) > 50


# Every page once; lists also on their last page.
PAGE_CASES = [(name, args, "") for name, args in PAGES] + [
    (name, args, "?page=last") for name, args in PAGES if name.endswith("-list")
]


@pytest.mark.parametrize("name, args, query", PAGE_CASES)
def test_page_within_budget(client, synthetic, django_assert_max_num_queries, name, args, query):
    url = reverse(name, args=[arg.format(**synthetic) for arg in args]) + query
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    if query:
        assert response.context["page_obj"].number > 1  # the last page is not the first


def test_timeline_draws_the_real_records_only(client, synthetic):
    """The timeline is of the knowledge base's own records: hundreds (thousands at benchmark
    scale) of synthetic ones beside them add no row, so its cost does not grow with them."""
    from agreements.models import Agreement
    from instruments.models import Instrument

    page = client.get(reverse("web:timeline")).content.decode()
    assert page.count('<g class="timeline-row timeline-row--instrument"') == Instrument.objects.real().count()
    assert page.count('<g class="timeline-row timeline-row--agreement"') == Agreement.objects.real().count()
    assert synthetic["synthetic_instrument"] not in page


def test_item_of_a_treaty_without_parties_reads_no_parties_of_its_own(kb, client, django_assert_num_queries):
    """The parties come with the record's own query; an empty list there means none, not "not
    read" (it once cost a sixth query on every party-less bilateral instrument)."""
    from instruments.models import InstrumentParty

    InstrumentParty.objects.filter(instrument_id="eu-agreement-am-readmission").delete()
    client.get("/api/v1/instruments/eu-agreement-am-readmission/")  # content types cached, as in a server
    # The record with its small lists, relationships each way, provenance, provisions.
    with django_assert_num_queries(5) as queries:
        body = client.get("/api/v1/instruments/eu-agreement-am-readmission/").json()
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "instruments_instrumentparty"')]
    assert body["parties"] == []
    assert body["in_force_for_kazakhstan"] is False
