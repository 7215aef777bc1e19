"""Conventions every API endpoint keeps: pagination and its counts, conditional GET, CORS headers, throttling."""

import re

import pytest
from django.core.cache import cache

from api.pagination import MAX_PAGE_SIZE
from instruments.models import Instrument
from tests.recorded import records

from .common import ENDPOINTS, error_of

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- pagination


def walk(api, url):
    """Every page from `url` on: (ids in order, page sizes, the count each page gave)."""
    seen, sizes, counts = [], [], set()
    while url:
        body = api.get(url).json()
        counts.add(body["count"])
        sizes.append(len(body["results"]))
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    return seen, sizes, counts


def test_pagination_walks_every_record_once_in_a_stable_order(api):
    # The sources outnumber the largest page (MAX_PAGE_SIZE): the reference order is walked in the largest pages.
    everything, _, counts = walk(api, f"/api/v1/sources/?page_size={MAX_PAGE_SIZE}")
    assert counts == {len(records("sources.Source"))}  # one per entry of sources.yaml
    count = len(everything)
    assert count > MAX_PAGE_SIZE
    seen, sizes, url = [], [], "/api/v1/sources/?page_size=7"
    while url:
        body = api.get(url).json()
        assert body["count"] == count
        sizes.append(len(body["results"]))
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert sizes == [7] * (count // 7) + ([count % 7] if count % 7 else [])
    assert seen == everything
    assert len(seen) == count == len(set(seen))


def test_pagination_links(api):
    body = api.get("/api/v1/instruments/?page_size=5&page=2").json()
    assert body["count"] == Instrument.objects.count()
    assert body["previous"] == "http://127.0.0.1/api/v1/instruments/?page_size=5"
    assert body["next"] == "http://127.0.0.1/api/v1/instruments/?page=3&page_size=5"
    assert len(body["results"]) == 5


def test_a_last_page_is_counted_from_its_rows_without_a_count_query(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/v1/agreements/?country=DE").json()
    assert [item["id"] for item in body["results"]] == ["kz-de-readmission"]
    assert body["count"] == 1 and body["next"] is None
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


@pytest.mark.parametrize("page", [1, 2])
def test_a_full_page_still_counts_every_match(api, page):
    total = Instrument.objects.filter(jurisdiction="eu").count()  # 9 in the real data
    body = api.get(f"/api/v1/instruments/?jurisdiction=eu&page_size=4&page={page}").json()
    assert body["count"] == total
    assert len(body["results"]) == 4
    assert body["next"] is not None


def test_the_last_partial_page_reports_the_same_count_as_the_first(api):
    total = Instrument.objects.filter(jurisdiction="eu").count()
    last_page = -(-total // 7)
    first = api.get("/api/v1/instruments/?jurisdiction=eu&page_size=7").json()
    last = api.get(f"/api/v1/instruments/?jurisdiction=eu&page_size=7&page={last_page}").json()
    assert first["count"] == last["count"] == total
    assert len(last["results"]) == total - 7 * (last_page - 1)
    assert last["next"] is None and last["previous"] is not None
    beyond = api.get(f"/api/v1/instruments/?jurisdiction=eu&page_size=7&page={last_page + 1}")
    assert beyond.status_code == 400
    assert f"There are {last_page} page(s)" in beyond.json()["error"]["parameters"]["page"][0]


# --------------------------------------------------------------------------- HTTP caching, CORS


@pytest.mark.parametrize("url", ENDPOINTS)
def test_etag_revalidation_gives_304(api, url):
    first = api.get(url)
    assert first.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', first["ETag"])  # ConditionalGetMiddleware: MD5 of the body
    assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    since = api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_etag_changes_when_the_data_changes(api):
    url = "/api/v1/instruments/eu-dir-2003-86/"
    first = api.get(url)
    instrument = Instrument.objects.get(pk="eu-dir-2003-86")
    instrument.status_note = instrument.status_note + " (checked)"
    instrument.save()
    changed = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed.json()["status_note"].endswith("(checked)")


def test_etag_differs_per_format_and_query(api):
    plain = api.get("/api/v1/instruments/")["ETag"]
    assert api.get("/api/v1/instruments/?kind=directive")["ETag"] != plain
    assert api.get("/api/v1/instruments/?format=jsonld")["ETag"] != plain


def test_errors_are_not_cached(api):
    assert api.get("/api/v1/instruments/?page=0")["Cache-Control"] == "no-store"


def test_cors_is_open_for_reading(api):
    response = api.get("/api/v1/agreements/", HTTP_ORIGIN="https://notebook.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api.options(
        "/api/v1/agreements/", HTTP_ORIGIN="https://notebook.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_no_cors_outside_the_api(api):
    response = api.get("/healthz", HTTP_ORIGIN="https://notebook.example")
    assert "Access-Control-Allow-Origin" not in response


# --------------------------------------------------------------------------- throttling


@pytest.fixture
def throttle_rate(monkeypatch):
    """REST framework reads the rates once, at import; a test sets them on the throttle class."""
    from rest_framework.throttling import AnonRateThrottle

    def set_rate(rate):
        monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": rate})

    return set_rate


def test_anonymous_throttling_answers_429_with_retry_after(api, throttle_rate):
    throttle_rate("2/day")
    cache.clear()
    address = {"REMOTE_ADDR": "203.0.113.7"}
    assert api.get("/api/v1/countries/", **address).status_code == 200
    assert api.get("/api/v1/organisations/", **address).status_code == 200
    refused = api.get("/api/v1/countries/", **address)
    error = error_of(refused, 429)
    assert error["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 86400
    # An invented X-Forwarded-For does not make a new client…
    assert api.get("/api/v1/countries/", HTTP_X_FORWARDED_FOR="198.51.100.1", **address).status_code == 429
    # …but another address is not affected.
    assert api.get("/api/v1/countries/", REMOTE_ADDR="203.0.113.8").status_code == 200
    cache.clear()


def test_throttling_can_be_switched_off(api, throttle_rate):
    throttle_rate(None)
    cache.clear()
    for _ in range(5):
        assert api.get("/api/v1/organisations/", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_pages_are_throttled_per_client_and_a_forged_header_does_not_reset_the_count(client, settings):
    settings.KB_PAGE_THROTTLE = "3/minute"
    cache.clear()
    for _ in range(3):
        assert client.get("/en/", REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get("/en/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert client.get("/en/", REMOTE_ADDR="203.0.113.8").status_code == 200
    assert client.get("/static/css/site.css", REMOTE_ADDR="203.0.113.7").status_code != 429


def test_full_csv_exports_have_a_rate_of_their_own(api, settings, throttle_rate):
    throttle_rate(None)
    settings.KB_EXPORT_THROTTLE = "2/minute"
    cache.clear()
    address = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(2):
        assert api.get("/api/v1/countries/", {"format": "csv"}, **address).status_code == 200
    refused = api.get("/api/v1/agreements/", {"format": "csv"}, **address)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert api.get("/api/v1/countries/", **address).status_code == 200  # JSON pages are not exports


def test_an_unanswered_method_is_405_before_any_parameter_check(api):
    response = api.generic("TRACE", "/api/v1/countries/?format=json&page=1&page_size=1&bogus=1")
    assert response.status_code == 405
