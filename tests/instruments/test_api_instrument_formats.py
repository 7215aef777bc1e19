"""The instruments API with the real data: an instrument's detail, lists as CSV, JSON-LD.

Expected values are computed from the data files (the facts as recorded), not through
the code under test.
"""

import csv
import io

import pytest

from api.renderers import csv_value
from tests.recorded import records

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


INSTRUMENTS = records("instruments.Instrument")


def where(predicate):
    return {pk for pk, fields in INSTRUMENTS.items() if predicate(fields)}


# --------------------------------------------------------------------------- detail


def test_detail_has_relationships_both_ways_with_labels(api):
    old = api.get("/api/v1/instruments/eu-reg-2001-539/").json()
    assert [(r["direction"], r["label"], r["instrument"]) for r in old["relationships"]] == [
        ("incoming", "codified by", "eu-reg-2018-1806"),
        ("incoming", "repealed by", "eu-reg-2018-1806"),
    ]
    assert old["relationships"][1]["instrument_url"] == "http://127.0.0.1/api/v1/instruments/eu-reg-2018-1806/"
    new = api.get("/api/v1/instruments/eu-reg-2018-1806/").json()
    assert [(r["direction"], r["label"], r["instrument"], r["date_effective"]) for r in new["relationships"]] == [
        ("outgoing", "codifies", "eu-reg-2001-539", "2018-12-18"),
        ("outgoing", "repeals", "eu-reg-2001-539", "2018-12-18"),
    ]


def test_detail_of_family_reunification_directive(api):
    item = api.get("/api/v1/instruments/eu-dir-2003-86/").json()
    assert item["celex"] == "32003L0086"
    assert item["entry_into_force"] == "2003-10-03" and item["entry_into_force_precision"] == "day"
    assert [s["code"] for s in item["subjects"]] == sorted(INSTRUMENTS["eu-dir-2003-86"]["subjects"])
    assert item["provenance"]["celex"][0]["confidence"] in {"verified", "article"}
    assert item["provisions"] == []


def test_provisions_come_in_order(api):
    texts = list(records("instruments.Provision").values())
    owner = texts[0]["instrument"]
    item = api.get(f"/api/v1/instruments/{owner}/").json()
    expected = sorted((r for r in texts if r["instrument"] == owner), key=lambda r: (r["position"], r["label"]))
    assert [p["label"] for p in item["provisions"]] == [r["label"] for r in expected]


# --------------------------------------------------------------------------- CSV


def test_csv_has_every_matching_row_and_the_same_values_as_json(api):
    query = {"jurisdiction": "eu"}
    json_rows = api.get("/api/v1/instruments/", {**query, "page_size": 200, "fields": "*"}).json()["results"]
    response = api.get("/api/v1/instruments/", {**query, "format": "csv", "page_size": 2})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert len(rows) == len(json_rows) == len(where(lambda f: f["jurisdiction"] == "eu"))  # not just a page
    for row, item in zip(rows, json_rows):
        for column, value in row.items():
            if column in ("parties", "subjects", "discrepancies", "relationships"):
                continue
            assert value == csv_value(item.get(f"{column}_edtf", item[column])), column
        assert row["subjects"] == "|".join(s["code"] for s in item["subjects"])
        assert row["parties"] == "|".join(p["country"] or p["organisation"] for p in item["parties"])
    blue_card = next(row for row in rows if row["id"] == "eu-dir-2009-50")
    assert blue_card["relationships"] == "repealed by eu-dir-2021-1883"
    assert blue_card["status"] == "no_longer_in_force"


def test_csv_by_accept_header_and_unicode(api):
    response = api.get("/api/v1/instruments/", {"q": "Договор"}, HTTP_ACCEPT="text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert "Договор о Евразийском экономическом союзе" in text


def test_csv_is_not_offered_on_a_detail(api):
    response = api.get("/api/v1/instruments/eu-dir-2009-50/", {"format": "csv"})
    assert response.status_code == 400
    assert "json, jsonld" in response.json()["error"]["parameters"]["format"][0]


# --------------------------------------------------------------------------- JSON-LD


def test_jsonld_detail_is_schema_org_legislation_with_eli_terms(api):
    response = api.get("/api/v1/instruments/eu-dir-2009-50/", {"format": "jsonld"})
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@context"]["@vocab"] == "https://schema.org/"
    node = document["@graph"][0]
    assert node["@type"] == ["Legislation", "eli:LegalResource"]
    assert node["legislationIdentifier"] == ["32009L0050", "2009/50/EC"]
    assert node["legislationLegalForce"] == {"@id": "schema:NotInForce"}
    assert node["eli:first_date_entry_in_force"] == {"@value": "2009-06-19", "@type": "xsd:date"}
    assert node["@reverse"] == {
        "legislationRepeals": [{"@id": "http://127.0.0.1/api/v1/instruments/eu-dir-2021-1883/"}]
    }


def test_jsonld_expands_with_its_inline_context(api):
    from pyld import jsonld

    def no_network(url, options=None):
        raise AssertionError(f"JSON-LD processing tried to fetch {url}")

    document = api.get(
        "/api/v1/instruments/", {"jurisdiction": "eu", "page_size": 200}, HTTP_ACCEPT="application/ld+json"
    ).json()
    expanded = jsonld.expand(document, {"documentLoader": no_network})
    by_id = {node["@id"]: node for node in expanded}
    assert len(by_id) == len([pk for pk, f in INSTRUMENTS.items() if f["jurisdiction"] == "eu"])  # one node each
    successor = by_id["http://127.0.0.1/api/v1/instruments/eu-dir-2021-1883/"]
    assert "https://schema.org/Legislation" in successor["@type"]
    assert successor["https://schema.org/legislationRepeals"] == [
        {"@id": "http://127.0.0.1/api/v1/instruments/eu-dir-2009-50/"}
    ]
    assert successor["http://data.europa.eu/eli/ontology#first_date_entry_in_force"] == [
        {"@value": "2021-11-17", "@type": "http://www.w3.org/2001/XMLSchema#date"}
    ]
    repealed = by_id["http://127.0.0.1/api/v1/instruments/eu-dir-2009-50/"]
    assert repealed["@reverse"]["https://schema.org/legislationRepeals"][0]["@id"].endswith("/eu-dir-2021-1883/")
    assert repealed["https://schema.org/legislationLegalForce"] == [{"@id": "https://schema.org/NotInForce"}]


def test_jsonld_dates_keep_their_precision(api):
    node = api.get("/api/v1/instruments/kz-address-2012-kazakhstan-2050/?format=jsonld").json()["@graph"][0]
    # Known to the month (December 2012, talas-tynysy.kz; the day is believed only).
    assert node["legislationDate"] == {"@value": "2012-12", "@type": "xsd:gYearMonth"}
    assert "legislationLegalForce" not in node  # status unknown: no claim


def test_jsonld_list_is_paginated_with_link_headers(api):
    response = api.get("/api/v1/instruments/", {"format": "jsonld", "page_size": 5})
    assert len(response.json()["@graph"]) == 5
    assert response["X-Total-Count"] == str(len(INSTRUMENTS))
    assert 'rel="next"' in response["Link"]
