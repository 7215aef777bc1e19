"""Hostile input: arbitrary query strings, Unicode, very long values, NUL bytes, SQL and script
payloads thrown at every HTML list/search page and every API endpoint.

Never a 500; HTML always escaped; API errors always in the API's error shape. The families of
payloads tried are listed in docs/reliability.md.
"""

import json
from urllib.parse import quote, urlencode

import pytest
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .support import api_detail_routes, api_list_paths, html_detail_routes, html_list_paths

SCRIPT = "<script>alert(1)</script>"
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR '1'='1",
    "1; DROP TABLE instruments_instrument; --",
    "%' UNION SELECT NULL, version() --",
    "\x00",
    "a\x00b",
    "../../../../etc/passwd",
    "%00",
    "%",
    "_",
    "\\",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "${7*7}",
    "\u202e\u0644\u0627",  # right-to-left override, Arabic
    "Қазақстан Республикасы",
    "🇰🇿" * 40,
    "\ud7ff\ue000\uffff",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "true",
    "null",
    "[]",
    "{}",
    " ",
    "x" * 5000,
]
# Parameters the pages and API understand, plus some they do not.
PARAMETERS = [
    "q",
    "kind",
    "level",
    "jurisdiction",
    "status",
    "on",
    "country",
    "partner",
    "organisation",
    "subject",
    "listing",
    "article_listing",
    "date",
    "year",
    "from",
    "to",
    "page",
    "page_size",
    "ordering",
    "sort",
    "format",
    "lang",
    "language",
    "cursor",
    "limit",
    "offset",
    "fields",
    "confidence",
    "category",
    "substantive",
    "synthetic",
    "id",
    "zzz",
    # The parameters of this round's endpoints (changes, compare, events, the tables, fields/omit);
    # a guard below checks that every parameter the schema documents is here.
    "since",
    "orders",
    "scheme",
    "event",
    "omit",
    "updated_since",
    "facets",
    "record",
    "record_type",
    "source",
    "field",
    "agreement",
    "instrument",
    "object",
    "type",
    "effective_from",
    "effective_to",
    "member_on",
    "parent",
    "party",
    "member_of",
    "in_article_list",
    "signed_from",
    "signed_to",
    "in_force_on",
    "applicable_on",
    "in_force_for_kazakhstan_on",
    "adopted_from",
    "adopted_to",
    "cited_in_article",
    "repeals",
    "repealed_by",
    "amends",
    "cites",
    "cited_by",
    "implements",
    "based_on",
    "replaced_by",
    "amended_by",
    "basis_for",
    "codified_by",
    "codifies",
    "implemented_by",
    "ratified_by",
    "ratifies",
    "recast_by",
    "recasts",
    "replaced_in_substance_by",
    "replaces",
    "replaces_in_substance",
    "supplemented_by",
    "supplements",
]

values = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
    st.lists(st.sampled_from(PAYLOADS), min_size=1, max_size=3).map(",".join),
)
queries = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=20)), values), min_size=1, max_size=5
)
# A WSGI server hands the query string over as bytes decoded as latin-1; so do these.
raw_query_strings = st.one_of(
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass").decode("latin-1")),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.sampled_from(
        [
            "%",
            "%%",
            "%zz",
            "q=%",
            "q=%00",
            "&&&",
            "=",
            "q",
            "q=a&q=b&q=c",
            "page=1&page=2",
            "q=" + "%ff" * 200,
            "a" * 8000,
        ]
    ),
)
weird_ids = st.one_of(
    st.sampled_from(PAYLOADS + ["..", ".", "%2e%2e", "kz", "KZ", "ZZ", "0", "-", "a/b", "eu-0000-00"]),
    st.text(min_size=1, max_size=300),
)

HYPOTHESIS = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def keep_test_transaction():
    """Requests through the WSGI stack must not close the connection holding the test transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def check_html(response, path):
    assert response.status_code < 500, (path, response.status_code)
    body = response.content.decode("utf-8", "replace")
    assert SCRIPT not in body, f"{path}: unescaped script payload"
    assert "<img src=x onerror" not in body, f"{path}: unescaped attribute payload"
    assert "Traceback" not in body


def check_api(response, path):
    """Asked for JSON, the API answers JSON, errors included: a payload it echoes is data, never markup."""
    assert response.status_code < 500, (path, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), (path, response["Content-Type"])
    if response.status_code >= 400:
        error = json.loads(response.content)["error"]
        assert error["status"] == response.status_code
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
    else:
        json.loads(response.content)  # a 2xx is valid JSON


def fill(route, value):
    """A concrete path for a route like '/en/instruments/<slug:pk>/', with `value` URL-encoded."""
    start, end = route.index("<"), route.index(">")
    return route[:start] + quote(value, safe="") + route[end + 1 :]


def test_the_pages_and_endpoints_under_test_are_the_real_ones():
    """Guard: the property tests below cover the site's actual routes, not an empty list."""
    assert {"/en/", "/en/instruments/", "/en/agreements/"} <= set(html_list_paths())
    assert {"/api/v1/instruments/", "/api/v1/agreements/"} <= set(api_list_paths())
    assert "/en/instruments/<slug:pk>/" in html_detail_routes()
    assert any(route.startswith("/api/v1/agreements/<") for route in api_detail_routes())
    new = {"changes", "compare", "events", "relationships", "memberships", "agreement-parties"}
    new |= {"instrument-parties", "provenance", "subjects"}
    assert {f"/api/v1/{name}/" for name in new} <= set(api_list_paths())


@pytest.mark.django_db
def test_every_documented_parameter_is_among_those_thrown(client):
    """The generated queries pick names from PARAMETERS: each documented parameter gets hostile values."""
    schema = client.get("/api/v1/schema/?format=json").json()
    documented = {
        p["name"] for ops in schema["paths"].values() for p in ops["get"].get("parameters", []) if p["in"] == "query"
    }
    missing = documented - set(PARAMETERS)
    assert not missing, sorted(missing)


# Each example picks one page or endpoint, so every one of them gets a share of the examples
# while the suite stays fast.


@pytest.mark.slow
@HYPOTHESIS
@given(data=st.data(), query=queries)
def test_html_list_pages_survive_hostile_parameters(kb, client, data, query):
    path = data.draw(st.sampled_from(html_list_paths()), label="page")
    check_html(client.get(f"{path}?{urlencode(query)}"), path)


@pytest.mark.slow
@HYPOTHESIS
@given(data=st.data(), raw=raw_query_strings)
def test_html_list_pages_survive_malformed_query_strings(kb, client, data, raw):
    path = data.draw(st.sampled_from(html_list_paths()), label="page")
    check_html(client.get(path, QUERY_STRING=raw), path)


@pytest.mark.slow
@HYPOTHESIS
@given(data=st.data(), query=queries)
def test_api_lists_survive_hostile_parameters(kb, client, data, query):
    path = data.draw(st.sampled_from(api_list_paths()), label="endpoint")
    check_api(client.get(f"{path}?{urlencode(query)}", HTTP_ACCEPT="application/json"), path)


@pytest.mark.slow
@HYPOTHESIS
@given(data=st.data(), raw=raw_query_strings)
def test_api_lists_survive_malformed_query_strings(kb, client, data, raw):
    path = data.draw(st.sampled_from(api_list_paths()), label="endpoint")
    check_api(client.get(path, QUERY_STRING=raw, HTTP_ACCEPT="application/json"), path)


@pytest.mark.slow
@HYPOTHESIS
@given(data=st.data(), identifier=weird_ids)
def test_detail_pages_and_endpoints_survive_weird_ids(kb, client, data, identifier):
    route = data.draw(st.sampled_from(html_detail_routes() + api_detail_routes()), label="route")
    response = client.get(fill(route, identifier), HTTP_ACCEPT="application/json")
    if route.startswith("/api/"):
        check_api(response, route)
    else:
        check_html(response, route)


@pytest.mark.parametrize("path", ["/en/instruments/", "/en/agreements/", "/ru/instruments/"])
def test_search_echoes_every_payload_escaped(kb, client, path):
    for payload in PAYLOADS:
        check_html(client.get(path, {"q": payload}), path)
    response = client.get(path, {"q": SCRIPT})
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


def test_unknown_html_path_is_a_404_in_the_sites_style(kb, client):
    response = client.get("/en/no-such-page/<script>alert(1)</script>")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert SCRIPT not in body
    assert '<html lang="en"' in body
    assert 'href="/en/"' in body  # the site's own layout, with its navigation


def test_unknown_api_path_is_a_404_in_the_api_error_shape(kb, client):
    response = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["status"] == 404
    response = client.get("/api/v1/agreements/no-such-agreement/")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_very_long_url_is_refused_cleanly(kb, client):
    response = client.get("/en/instruments/" + "a" * 10000 + "/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "route", ["/en/countries/<pk>/", "/en/instruments/<pk>/", "/api/v1/agreements/<pk>/", "/api/v1/countries/<pk>/"]
)
def test_nul_byte_in_a_path_is_a_404_not_a_database_error(kb, client, route):
    """PostgreSQL refuses NUL in text; such a path must never reach a query (it gave a 500)."""
    response = client.get(fill(route, "K\x00Z"))
    assert response.status_code == 404
    if route.startswith("/api/"):
        assert response.json()["error"] == {
            "status": 404,
            "code": "not_found",
            "message": "No API resource at this address; see /api/v1/.",
        }
    else:
        assert response["Content-Type"].startswith("text/html")
