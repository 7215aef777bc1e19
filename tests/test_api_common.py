"""Conventions every API endpoint keeps: read-only, one error shape, strict parameters,
pagination, conditional GET, caching and CORS headers, throttling, and a fixed query budget."""

import re

import pytest
from django.core.cache import cache

from instruments.models import Instrument

pytestmark = pytest.mark.django_db

LISTS = ["instruments", "agreements", "countries", "organisations", "sources", "discrepancies"]
DETAILS = {
    "instruments": "eu-dir-2009-50",
    "agreements": "kz-benelux-readmission",
    "countries": "LU",
    "organisations": "eu",
    "sources": "article",
    "discrepancies": "2011-98-body",
}
ENDPOINTS = [f"/api/v1/{name}/" for name in LISTS] + [f"/api/v1/{name}/{pk}/" for name, pk in DETAILS.items()]
WRITE_METHODS = ["post", "put", "patch", "delete"]


@pytest.fixture
def api(client):
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    return client


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["message"]
    return error


# --------------------------------------------------------------------------- read-only


@pytest.mark.parametrize("method", WRITE_METHODS)
@pytest.mark.parametrize("url", ENDPOINTS + ["/api/v1/", "/api/v1/schema/"])
def test_every_write_method_is_refused_with_405(api, url, method):
    before = Instrument.objects.count()
    response = getattr(api, method)(url, data="{}", content_type="application/json")
    error = error_of(response, 405)
    assert error["code"] == "method_not_allowed"
    assert method.upper() not in response["Allow"]
    assert "GET" in response["Allow"]
    assert Instrument.objects.count() == before


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("name", LISTS)
def test_unknown_parameter_is_named_with_the_accepted_ones(api, name):
    error = error_of(api.get(f"/api/v1/{name}/", {"cuort": "scotus"}), 400)
    assert error["code"] == "invalid_parameters"
    message = error["parameters"]["cuort"][0]
    assert 'Unknown parameter "cuort"' in message
    assert "page_size" in message and "format" in message


def test_unknown_parameters_and_bad_values_are_reported_together(api):
    error = error_of(
        api.get("/api/v1/instruments/", {"cuort": "x", "kind": "statute", "in_force_on": "2017-02-30"}), 400
    )
    assert set(error["parameters"]) == {"cuort", "kind", "in_force_on"}


def test_unknown_parameter_on_a_detail_is_refused(api):
    error = error_of(api.get("/api/v1/instruments/eu-dir-2009-50/", {"page": "2"}), 400)
    assert "page" in error["parameters"]


@pytest.mark.parametrize(
    "query, parameter, words",
    [
        ({"page": "0"}, "page", "from 1 to"),
        ({"page": "abc"}, "page", "whole number"),
        ({"page": "-3"}, "page", "whole number"),
        ({"page": "99"}, "page", "page(s) of results"),
        ({"page_size": "201"}, "page_size", "from 1 to 200"),
        ({"page_size": "0"}, "page_size", "from 1 to 200"),
        ({"format": "xml"}, "format", "json, csv, jsonld"),
        ({"q": "a" * 201}, "q", "at most 200"),
        ({"q": "blue\x00card"}, "q", "Null characters"),
        ({"facets": "colour"}, "facets", "kind, level, jurisdiction, status, subject, cited_in_article"),
    ],
)
def test_malformed_common_parameters(api, query, parameter, words):
    error = error_of(api.get("/api/v1/instruments/", query), 400)
    assert words in error["parameters"][parameter][0]


def test_an_empty_value_means_not_given_as_html_forms_send_it(api):
    everything = api.get("/api/v1/agreements/").json()
    blank = api.get("/api/v1/agreements/?country=&member_of=eu&status=&page=&format=&facets=")
    assert blank.status_code == 200
    assert blank.json()["count"] == api.get("/api/v1/agreements/?member_of=eu").json()["count"] < everything["count"]


def test_a_repeated_parameter_is_refused_not_half_used(api):
    error = error_of(api.get("/api/v1/instruments/?kind=law&kind=directive"), 400)
    assert "more than once" in error["parameters"]["kind"][0]


def test_a_nul_in_a_parameter_name_is_a_400(api):
    error = error_of(api.get("/api/v1/agreements/?coun%00try=LU"), 400)
    assert list(error["parameters"]) == ["coun\\0try"]


def test_an_address_without_its_trailing_slash_is_redirected(api):
    response = api.get("/api/v1/agreements?country=LU")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/agreements/?country=LU"
    assert api.get("/api/v1/instruments/eu-dir-2009-50").status_code == 301


def test_head_answers_like_get_without_a_body(api):
    got = api.get("/api/v1/agreements/?country=LU")
    head = api.head("/api/v1/agreements/?country=LU")
    assert head.status_code == 200 and head.content == b""
    for header in ("Content-Type", "Last-Modified", "Cache-Control", "Vary"):
        assert head[header] == got[header]
    # Django's ConditionalGetMiddleware computes the ETag from the body, for GET only.
    assert "ETag" not in head and got["ETag"]


def test_unknown_address_under_the_api_is_a_json_404(api):
    assert error_of(api.get("/api/v1/treaties/"), 404)["code"] == "not_found"
    assert error_of(api.get("/api/v2/instruments/"), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    "url",
    [f"/api/v1/{name}/no-such-record/" for name in LISTS if name != "countries"]
    + ["/api/v1/countries/XX/", "/api/v1/instruments/eu%00dir/"],
)
def test_unknown_record_is_a_json_404(api, url):
    assert error_of(api.get(url), 404)["code"] == "not_found"


def test_errors_are_json_even_when_csv_was_asked_for(api):
    error = error_of(api.get("/api/v1/agreements/", {"format": "csv", "country": "ZZ"}), 400)
    assert "ZZ" in error["parameters"]["country"][0]


def test_unacceptable_accept_header_is_a_json_406(api):
    error = error_of(api.get("/api/v1/countries/", HTTP_ACCEPT="application/xml"), 406)
    assert error["code"] == "not_acceptable"


# --------------------------------------------------------------------------- pagination


def test_pagination_walks_every_record_once_in_a_stable_order(api):
    everything = api.get("/api/v1/sources/?page_size=200").json()
    count = everything["count"]
    assert count > 14
    seen, sizes, url = [], [], "/api/v1/sources/?page_size=7"
    while url:
        body = api.get(url).json()
        assert body["count"] == count
        sizes.append(len(body["results"]))
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert sizes == [7] * (count // 7) + ([count % 7] if count % 7 else [])
    assert seen == [item["id"] for item in everything["results"]]
    assert len(seen) == everything["count"] == len(set(seen))


def test_pagination_links(api):
    body = api.get("/api/v1/instruments/?page_size=5&page=2").json()
    assert body["count"] == Instrument.objects.count()
    assert body["previous"] == "http://127.0.0.1/api/v1/instruments/?page_size=5"
    assert body["next"] == "http://127.0.0.1/api/v1/instruments/?page=3&page_size=5"
    assert len(body["results"]) == 5


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


# --------------------------------------------------------------------------- query budget


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("page_size", [1, 200])
def test_a_list_runs_a_fixed_number_of_queries(api, warm_caches, django_assert_max_num_queries, name, page_size):
    with django_assert_max_num_queries(6):
        response = api.get(f"/api/v1/{name}/", {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(page_size, response.json()["count"])


@pytest.mark.parametrize("url", [f"/api/v1/{name}/{pk}/" for name, pk in DETAILS.items()])
def test_a_detail_runs_a_fixed_number_of_queries(api, warm_caches, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(6):
        assert api.get(url).status_code == 200


def test_filters_and_jsonld_keep_the_budget(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # +1: checking that the related instrument exists
        assert api.get("/api/v1/instruments/?page_size=200&repealed_by=eu-dir-2021-1883").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/instruments/?page_size=200&format=jsonld").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/agreements/?page_size=200&country=LU,de&member_of=eu").status_code == 200


# --------------------------------------------------------------------------- items and docs


@pytest.mark.parametrize("name, pk", DETAILS.items())
def test_every_item_has_its_addresses_and_provenance(api, name, pk):
    item = api.get(f"/api/v1/{name}/{pk}/").json()
    assert item["url"] == f"http://127.0.0.1/api/v1/{name}/{pk}/"
    assert "html_url" in item
    assert isinstance(item["provenance"], dict)
    for field, entries in item["provenance"].items():
        for entry in entries:
            assert set(entry) == {"source", "source_url", "source_api_url", "confidence", "locator", "quote", "note"}
            assert entry["source_api_url"] == f"http://127.0.0.1/api/v1/sources/{entry['source']}/"


def test_html_urls_point_at_the_web_pages(api):
    assert (
        api.get("/api/v1/instruments/eu-dir-2009-50/").json()["html_url"]
        == "http://127.0.0.1/en/instruments/eu-dir-2009-50/"
    )
    assert (
        api.get("/api/v1/agreements/kz-benelux-readmission/").json()["html_url"]
        == "http://127.0.0.1/en/agreements/kz-benelux-readmission/"
    )
    assert api.get("/api/v1/sources/article/").json()["html_url"] == "http://127.0.0.1/en/sources/#article"
    erratum = api.get("/api/v1/discrepancies/2011-98-body/").json()["html_url"]
    assert erratum == "http://127.0.0.1/en/errata/#2011-98-body"
    assert 'id="2011-98-body"' in api.get(erratum.split("#")[0]).content.decode()
    assert api.get("/api/v1/organisations/eu/").json()["html_url"] is None  # no page for it (yet)
    country = api.get("/api/v1/countries/lu/").json()
    assert country["code"] == "LU" and country["url"] == "http://127.0.0.1/api/v1/countries/LU/"
    assert api.get(country["html_url"]).status_code == 200


def test_api_root_lists_every_resource(api):
    root = api.get("/api/v1/").json()
    assert root == {name: f"http://127.0.0.1/api/v1/{name}/" for name in LISTS}


def test_swagger_ui_is_served_from_local_files(api):
    page = api.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    script = api.get("/api/docs/?script=")
    assert script.status_code == 200
    assert b"/api/v1/schema/" in script.content


def test_schema_documents_the_conventions(api):
    import yaml

    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    operation = schema["paths"]["/api/v1/agreements/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {
        "country",
        "member_of",
        "on",
        "status",
        "in_force_on",
        "signed_from",
        "signed_to",
        "in_article_list",
        "q",
        "ordering",
        "page",
        "page_size",
        "format",
        "facets",
    } <= names
    assert {"200", "304", "400", "404", "405", "406", "429"} <= set(operation["responses"])
    assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "text/csv" in operation["responses"]["200"]["content"]
    instrument_names = {p["name"] for p in schema["paths"]["/api/v1/instruments/"]["get"]["parameters"]}
    assert {
        "repealed_by",
        "repeals",
        "amends",
        "amended_by",
        "recast_by",
        "codified_by",
        "subject",
        "kind",
        "level",
        "jurisdiction",
        "adopted_from",
        "adopted_to",
        "cited_in_article",
    } <= instrument_names


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
