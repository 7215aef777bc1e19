"""A list's count is kept per data version and day (api/pagination.py): the pages, orderings
and field selections of one filtered list share one COUNT, and any write makes it stale."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from instruments.models import Instrument

EU_LIST = "/api/v1/instruments/?jurisdiction=eu&omit=provenance"


@pytest.fixture
def counted(settings, kb):
    settings.KB_COUNT_CACHE_SECONDS = 600
    caches["default"].clear()
    yield
    caches["default"].clear()


def count_queries(api, url):
    with CaptureQueriesContext(connection) as queries:
        body = api.get(url).json()
    return body["count"], sum("COUNT(*)" in query["sql"] for query in queries.captured_queries)


def test_pages_orderings_and_fields_of_one_list_share_one_count(api, counted):
    eu = Instrument.objects.filter(jurisdiction="eu").count()
    assert eu > 50  # a list of more than one page: page 1 is counted by a COUNT query
    assert count_queries(api, EU_LIST) == (eu, 1)
    assert count_queries(api, EU_LIST + "&ordering=-updated_at") == (eu, 0)
    assert count_queries(api, "/api/v1/instruments/?fields=id,title_en&page_size=10&jurisdiction=eu") == (eu, 0)
    # Another filter is another count.
    kz = Instrument.objects.filter(jurisdiction="kz").count()
    assert count_queries(api, "/api/v1/instruments/?jurisdiction=kz&page_size=5") == (kz, 1)


def test_a_write_makes_the_count_stale(api, counted):
    before, _queries = count_queries(api, EU_LIST)
    Instrument.objects.create(
        id="eu-test-counted", eli_path="/test/counted", kind="directive", level="regional", jurisdiction="eu"
    )
    assert count_queries(api, EU_LIST) == (before + 1, 1)


def test_the_day_is_part_of_the_count(api, counted, settings):
    url = "/api/v1/instruments/?status=in_force&page_size=5"
    settings.KB_TODAY = "2023-11-18"
    on_the_18th, _queries = count_queries(api, url)
    settings.KB_TODAY = "2023-11-19"  # Directive 2009/50/EC is repealed with effect from the 19th
    assert count_queries(api, url) == (on_the_18th - 1, 1)
