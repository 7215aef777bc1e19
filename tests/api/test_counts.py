"""A list's count and its facet counts are kept per data version and day (core/counts.py): the
pages, orderings and field selections of one filtered list share one COUNT and one facet query,
and any write, or the next day, makes them stale."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from instruments.models import Instrument

EU_LIST = "/api/v1/instruments/?jurisdiction=eu&omit=provenance"


def count_queries(api, url):
    with CaptureQueriesContext(connection) as queries:
        body = api.get(url).json()
    return body["count"], sum("COUNT(*)" in query["sql"] for query in queries.captured_queries)


def test_pages_orderings_and_fields_of_one_list_share_one_count(api, kept_counts):
    eu = Instrument.objects.filter(jurisdiction="eu").count()
    assert eu > 50  # a list of more than one page: page 1 is counted by a COUNT query
    assert count_queries(api, EU_LIST) == (eu, 1)
    assert count_queries(api, EU_LIST + "&ordering=-updated_at") == (eu, 0)
    assert count_queries(api, "/api/v1/instruments/?fields=id,title_en&page_size=10&jurisdiction=eu") == (eu, 0)
    # Another filter is another count.
    kz = Instrument.objects.filter(jurisdiction="kz").count()
    assert count_queries(api, "/api/v1/instruments/?jurisdiction=kz&page_size=5") == (kz, 1)


def test_a_write_makes_the_count_stale(api, kept_counts):
    before, _queries = count_queries(api, EU_LIST)
    Instrument.objects.create(
        id="eu-test-counted", eli_path="/test/counted", kind="directive", level="regional", jurisdiction="eu"
    )
    assert count_queries(api, EU_LIST) == (before + 1, 1)


def test_the_day_is_part_of_the_count(api, kept_counts, settings):
    url = "/api/v1/instruments/?status=in_force&page_size=5"
    settings.KB_TODAY = "2023-11-18"
    on_the_18th, _queries = count_queries(api, url)
    settings.KB_TODAY = "2023-11-19"  # Directive 2009/50/EC is repealed with effect from the 19th
    assert count_queries(api, url) == (on_the_18th - 1, 1)


def facet_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, sum("facet_count" in query["sql"] for query in queries.captured_queries)


def kinds(response):
    return {row["value"]: row["count"] for row in response.json()["facets"]["kind"]}


def test_facet_counts_are_kept_until_a_write(api, kept_counts):
    url = "/api/v1/instruments/?jurisdiction=eu&facets=kind,status&page_size=5"
    first, queries = facet_queries(api, url)
    assert queries == 1
    directives = Instrument.objects.filter(jurisdiction="eu", kind="directive").count()
    assert kinds(first)["directive"] == directives
    # Another page, ordering or field selection of the same filters: the same counts, no query.
    again, queries = facet_queries(api, url + "&page=2&ordering=-updated_at&fields=id")
    assert (queries, again.json()["facets"]) == (0, first.json()["facets"])
    # Other filters or other facets are other counts.
    assert facet_queries(api, url.replace("eu", "kz"))[1] == 1
    assert facet_queries(api, url.replace("kind,status", "kind"))[1] == 1
    Instrument.objects.create(
        id="eu-test-faceted", eli_path="/test/faceted", kind="directive", level="regional", jurisdiction="eu"
    )
    after, queries = facet_queries(api, url)
    assert (queries, kinds(after)["directive"]) == (1, directives + 1)


def test_the_day_is_part_of_the_status_facet(api, kept_counts, settings):
    url = "/api/v1/instruments/?jurisdiction=eu&facets=status&page_size=5"

    def in_force():
        response, _queries = facet_queries(api, url)
        return {row["value"]: row["count"] for row in response.json()["facets"]["status"]}["in_force"]

    settings.KB_TODAY = "2023-11-18"
    on_the_18th = in_force()
    settings.KB_TODAY = "2023-11-19"  # Directive 2009/50/EC is repealed with effect from the 19th
    assert in_force() == on_the_18th - 1


def test_the_html_list_keeps_its_facet_counts_too(client, kept_counts):
    url = "/en/instruments/?jurisdiction=eu"
    first, queries = facet_queries(client, url)
    assert queries == 1
    again, queries = facet_queries(client, url + "&page=2")
    assert queries == 0 and again.context["facets"]["kind"] == first.context["facets"]["kind"]
