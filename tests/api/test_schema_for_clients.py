"""What generated clients need of the schema (issue 12; tests/web/test_generated_client.py runs one):
every reference resolves, CSV and JSON-LD are operations of their own at the suffixed addresses,
which answer so, no operation asks for credentials, records that fields/omit can thin have no
required property, and an empty choice is allowed where the data has one."""

import csv
import io
import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_every_reference_resolves(schema):
    components = schema["components"]["schemas"]
    names = {ref.removeprefix("#/components/schemas/") for ref in refs(schema)}
    assert "ProvenanceEntry" in names  # the one that once pointed nowhere
    assert names - set(components) == set()


def test_csv_and_jsonld_have_operations_of_their_own(schema):
    paths = schema["paths"]
    csv_list = paths["/api/v1/instruments.csv"]["get"]
    assert csv_list["operationId"] == "instruments_list_csv"
    assert list(csv_list["responses"]["200"]["content"]) == ["text/csv"]
    names = {p["name"] for p in csv_list["parameters"]}
    assert {"ordering", "fields", "kind", "updated_since"} <= names
    assert not names & {"format", "page", "page_size", "facets"}
    item = paths["/api/v1/instruments/{id}.jsonld"]["get"]
    assert list(item["responses"]["200"]["content"]) == ["application/ld+json"]
    assert "/api/v1/agreements.jsonld" in paths and "/api/v1/memberships.csv" in paths
    assert "/api/v1/changes.csv" not in paths  # the changes feed is JSON only
    # The JSON operations are as they were, with format and their three media types.
    listing = paths["/api/v1/instruments/"]["get"]
    assert list(listing["responses"]["200"]["content"]) == ["application/json", "text/csv", "application/ld+json"]
    assert all(op.get("security") == [] for path in paths.values() for op in path.values())


def test_the_suffixed_addresses_answer_their_format(client, kb):
    response = client.get("/api/v1/instruments.csv?ordering=kind&ordering=-date_adopted&fields=id,kind")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    same = client.get("/api/v1/instruments/?ordering=kind,-date_adopted&fields=id,kind&format=csv")
    assert rows == list(csv.DictReader(io.StringIO(b"".join(same.streaming_content).decode("utf-8"))))
    assert len(rows) > 100 and list(rows[0]) == ["id", "kind"]
    node = client.get("/api/v1/instruments/eu-dir-2009-50.jsonld")
    assert node["Content-Type"].startswith("application/ld+json")
    assert "2009/50/EC" in json.loads(node.content)["@graph"][0]["legislationIdentifier"]
    assert json.loads(client.get("/api/v1/instruments/eu-dir-2009-50.json?fields=id").content) == {
        "id": "eu-dir-2009-50"
    }
    wrong = client.get("/api/v1/instruments.xml")
    assert wrong.status_code == 400
    assert list(json.loads(wrong.content)["error"]["parameters"]) == ["format"]
    assert client.get("/api/v1/compare.csv").status_code == 200


def test_thinned_records_have_no_required_property_and_blank_choices_are_allowed(schema):
    components = schema["components"]["schemas"]
    for name in ("Instrument", "InstrumentDetail", "Agreement", "Country", "Source", "MembershipRow"):
        assert "required" not in components[name], name
    assert components["PaginatedInstrumentList"]["required"] == ["count", "results"]
    assert components["ProvenanceEntry"]["required"]  # nested entries are whole
    stage = components["Instrument"]["properties"]["procedure_stage"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in stage
    heading = components["Provision"]["properties"]["heading_en_kind"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in heading
