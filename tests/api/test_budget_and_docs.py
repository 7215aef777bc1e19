"""Conventions every API endpoint keeps: a fixed query budget, addresses and provenance in every item, and
the documentation of it all."""

import pytest

from .common import DETAILS, LISTS, TABLES

pytestmark = pytest.mark.django_db


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
    # The comparison matrix (compare/) is a resource of its own, not a list of records.
    assert root == {
        name: f"http://127.0.0.1/api/v1/{name}/" for name in [*LISTS, *TABLES, "changes", "compare", "events"]
    }


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
    assert {"200", "304", "400", "404", "405", "406", "429", "503"} <= set(operation["responses"])
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


def test_the_schema_is_made_once_per_data_version_and_language(api, monkeypatch):
    """Making it takes about a second of CPU: a process makes it once, and again after a write."""
    from drf_spectacular.generators import SchemaGenerator

    from api.schema import SchemaOncePerVersion
    from core.versioning import bump_data_version

    made = []
    original = SchemaGenerator.get_schema
    monkeypatch.setattr(SchemaOncePerVersion, "made", {})
    monkeypatch.setattr(SchemaGenerator, "get_schema", lambda self, **kw: made.append(1) or original(self, **kw))
    first = api.get("/api/v1/schema/?format=json").json()
    assert api.get("/api/v1/schema/?format=json").json() == first
    assert api.get("/api/v1/schema/").status_code == 200  # YAML: the same schema, rendered otherwise
    assert len(made) == 1
    bump_data_version()
    assert api.get("/api/v1/schema/?format=json").json() == first
    assert len(made) == 2
