"""Conventions every API endpoint keeps: read-only, one error shape, strict parameters."""

import pytest

from instruments.models import Instrument

from .common import ENDPOINTS, LISTS, WRITE_METHODS, error_of

pytestmark = pytest.mark.django_db


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
