"""The 400s the schema documents are the 400s the API gives, and an empty value means "not given".

Every operation of /api/v1/schema/ lists a 400 with the error body's schema and examples; each
example carries its query (`x-query`), which is sent here: the answer is a 400 in the API's
shape with the example's parameter and message (a list the example shortens with "…" must begin
as the real one; N stands for the list's number of pages).
"""

import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache

from .common import DETAILS, TABLES, error_of

pytestmark = pytest.mark.django_db

IDS = {**DETAILS, **TABLES}
# The 400s the issue names (issue 14), each asked of the instruments list.
KINDS = {
    "page_past_the_end": "page",
    "unknown_reference": "amends",  # a relationship's target
    "unknown_facet": "facets",
    "unknown_field_fields": "fields",
    "unknown_field_omit": "omit",
    "impossible_date": "on",
    "unknown_ordering": "ordering",
    "unknown_parameter": "colour",
    "too_many_words": "q",
}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    # The suffixed CSV and JSON-LD addresses (`/api/v1/instruments.csv`) are the same views in one
    # format each (tests/api/test_schema_for_clients.py checks them): their 400s are these.
    return [
        (path, ops["get"])
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/") and not re.search(r"\.(csv|jsonld)$", path)
    ]


def concrete(path):
    if "{" not in path:
        return path
    name = path.split("/")[3]
    return re.sub(r"\{[^}]+\}", IDS[name], path)


def as_documented(real, documented):
    """The real message reads as the documented one: "…" ends a shortened list, N is a count."""
    pattern = re.escape(documented).replace(
        re.escape("There are N "), re.escape("There are ") + r"\d+" + re.escape(" ")
    )
    if documented.endswith("…"):
        pattern = pattern[: -len(re.escape("…"))] + ".*"
    return re.fullmatch(pattern, real) is not None


def test_every_operation_documents_its_400_with_the_error_schema_and_examples(schema):
    assert len(operations(schema)) >= 25
    for path, operation in operations(schema):
        error = operation["responses"]["400"]
        content = error["content"]["application/json"]
        assert content["schema"] == {"$ref": "#/components/schemas/Error"}, path
        assert "unknown_parameter" in content["examples"], path
        assert "past the last one" in error["description"] and "empty value" in error["description"]
        for example in content["examples"].values():
            assert set(example["value"]) == {"error"} and example["value"]["error"]["status"] == 400
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]


def test_the_named_400s_are_documented_on_the_instruments_list(schema):
    examples = schema["paths"]["/api/v1/instruments/"]["get"]["responses"]["400"]["content"]["application/json"]
    for kind, parameter in KINDS.items():
        assert list(examples["examples"][kind]["value"]["error"]["parameters"]) == [parameter], kind


def test_the_new_endpoints_document_their_own_400s(schema):
    def kinds(path):
        return set(schema["paths"][path]["get"]["responses"]["400"]["content"]["application/json"]["examples"])

    assert {"unknown_cursor", "impossible_date"} <= kinds("/api/v1/changes/")
    assert {"unknown_orders", "impossible_date", "unknown_reference"} <= kinds("/api/v1/compare/")
    assert {"unknown_event", "page_past_the_end", "unknown_field_fields"} <= kinds("/api/v1/events/")
    for table in ("relationships", "memberships", "agreement-parties", "instrument-parties", "provenance"):
        assert {"page_past_the_end", "unknown_reference", "unknown_ordering"} <= kinds(f"/api/v1/{table}/"), table


def test_each_documented_400_is_what_the_api_answers(client, schema):
    checked = 0
    for path, operation in operations(schema):
        for key, example in operation["responses"]["400"]["content"]["application/json"]["examples"].items():
            cache.clear()  # no throttle window in the way
            name, _, value = example["x-query"].partition("=")
            response = client.get(f"{concrete(path)}?{urlencode({name: value})}", HTTP_ACCEPT="application/json")
            error = error_of(response, 400)
            documented = example["value"]["error"]
            assert error["code"] == documented["code"] == "invalid_parameters", (path, key)
            assert error["message"] == documented["message"], (path, key)
            assert list(error["parameters"]) == list(documented["parameters"]), (path, key, error)
            real, shown = error["parameters"][name][0], documented["parameters"][name][0]
            assert as_documented(real, shown), (path, key, real, shown)
            checked += 1
    assert checked >= 120


def test_the_unknown_parameter_example_lists_exactly_the_documented_parameters(client, schema):
    """The message names every parameter the view accepts: equal to the schema's, so the schema
    documents no parameter the view refuses (events once documented fields=, omit= and
    updated_since=, and refused them) and none the view takes in silence."""
    for path, operation in operations(schema):
        documented = sorted(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
        error = error_of(client.get(f"{concrete(path)}?colour=1"), 400)
        accepted = error["parameters"]["colour"][0].split("Accepted parameters: ", 1)[1].rstrip(".").split(", ")
        assert accepted == documented, path


@pytest.mark.slow  # a sweep of every record (or parameter): make check leaves it to make test
def test_an_empty_value_means_not_given_on_every_parameter_of_every_operation(client, schema):
    """The documented convention (allowEmptyValue on every query parameter), tried on each one."""
    tried = 0
    for path, operation in operations(schema):
        url = concrete(path)
        cache.clear()
        plain = client.get(url)
        assert plain.status_code == 200, url
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            assert parameter["allowEmptyValue"] is True, (path, parameter["name"])
            cache.clear()
            blank = client.get(f"{url}?{parameter['name']}=")
            assert blank.status_code == 200, (path, parameter["name"], blank.content[:300])
            assert without_links(blank.json()) == without_links(plain.json()), (path, parameter["name"])
            tried += 1
    assert tried >= 150


def without_links(body):
    """The answer less the links, which repeat the query string (an empty parameter included)."""
    if isinstance(body, dict):
        return {k: without_links(v) for k, v in body.items() if k not in ("next", "previous")}
    return body


def test_page_and_reference_parameters_say_when_they_are_a_400(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/instruments/"]["get"]["parameters"]}
    assert "past the last one is a 400" in parameters["page"]["description"]
    for name in ("amends", "repealed_by", "cites", "subject"):
        assert "an unknown one is a 400" in parameters[name]["description"], name
    facets = parameters["facets"]
    assert facets["schema"]["items"]["enum"] == [
        "kind",
        "level",
        "jurisdiction",
        "status",
        "subject",
        "cited_in_article",
    ]
    assert facets["style"] == "form" and facets["explode"] is False


def test_events_take_fields_and_omit_in_json_and_csv(client):
    items = client.get("/api/v1/events/?fields=date,event,record").json()["results"]
    assert items and all(set(item) == {"date", "event", "record"} for item in items)
    items = client.get("/api/v1/events/?omit=html_url,record_url").json()["results"]
    assert items and all("html_url" not in item and "date" in item for item in items)
    csv = client.get("/api/v1/events/?fields=date,event&format=csv")
    assert b"".join(csv.streaming_content).decode().splitlines()[0] == "date,event"


def test_a_csv_of_chosen_fields_writes_each_date_as_known(client):
    """A CSV column writes a date with its precision (`2009`, `2009-05`, `2009-05-25`): asking
    for the date alone brings what it is written from (it was a KeyError in mid-stream)."""
    from core.dates import edtf
    from instruments.models import Instrument

    csv = client.get("/api/v1/instruments/?fields=id,date_adopted,entry_into_force&format=csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0] == "id,date_adopted,entry_into_force"
    rows = {line.split(",")[0]: line.split(",")[1:] for line in lines[1:]}
    for instrument in Instrument.objects.all():
        assert rows[instrument.pk] == [
            edtf(instrument.date_adopted, instrument.date_adopted_precision) or "",
            edtf(instrument.entry_into_force, instrument.entry_into_force_precision) or "",
        ]
    assert len(rows) == Instrument.objects.count() > 100
