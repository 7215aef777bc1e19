"""The instruments API with the real data: every filter, facets, CSV and JSON-LD.

Expected sets are computed from the data files (the facts as recorded), not through
the code under test, and the examples from the issue are also asserted by id.
"""

import csv
import datetime
import io

import pytest

from api.renderers import csv_value
from instruments.vocabulary import RelationshipType
from tests.recorded import records

pytestmark = pytest.mark.django_db

TODAY = "2026-11-26"


INSTRUMENTS = records("instruments.Instrument")
RELATIONSHIPS = list(records("instruments.Relationship").values())
SUBJECT_PARENTS = {pk: fields["parent"] for pk, fields in records("subjects.Subject").items()}


@pytest.fixture
def api(client, settings):
    settings.KB_TODAY = TODAY
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    return client


def ids(api, **query):
    response = api.get("/api/v1/instruments/", {"page_size": 200, **query})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return {item["id"] for item in body["results"]}


def where(predicate):
    return {pk for pk, fields in INSTRUMENTS.items() if predicate(fields)}


def errors(api, **query):
    response = api.get("/api/v1/instruments/", query)
    assert response.status_code == 400, response.content
    return response.json()["error"]["parameters"]


# --------------------------------------------------------------------------- point in time


def test_in_force_on_2024_excludes_the_repealed_blue_card_directive_and_includes_its_successor(api):
    found = ids(api, in_force_on="2024-01-01", jurisdiction="eu")
    assert "eu-dir-2009-50" not in found
    assert "eu-dir-2021-1883" in found
    assert found == {
        "eu-dir-2003-86",
        "eu-dir-2003-109",
        "eu-dir-2011-51",
        "eu-dir-2011-98",
        "eu-reg-2018-1806",
        "eu-dir-2021-1883",
    }


@pytest.mark.parametrize("day", ["2000-01-01", "2009-06-19", "2016-06-01", "2023-11-18", "2023-11-19", TODAY])
def test_in_force_on_matches_the_recorded_periods(api, day):
    on = datetime.date.fromisoformat(day)
    repealed = {
        rel["object"]: datetime.date.fromisoformat(rel["date_effective"])
        for rel in RELATIONSHIPS
        if rel["type"] == "repeals"
    }

    def in_force(pk, fields):
        if fields["entry_into_force_precision"] != "day":
            return False  # unknown entry into force: never returned
        if datetime.date.fromisoformat(fields["entry_into_force"]) > on:
            return False
        if fields["end_of_validity"] and datetime.date.fromisoformat(fields["end_of_validity"]) < on:
            return False
        return not (pk in repealed and repealed[pk] <= on)

    expected = {pk for pk, fields in INSTRUMENTS.items() if in_force(pk, fields)}
    assert ids(api, in_force_on=day) == expected


def test_instruments_with_unknown_entry_into_force_are_never_in_force_on_a_date(api):
    unknown = where(lambda f: f["entry_into_force"] is None)
    assert unknown >= {"cis-agreement-1994-04-15", "kz-pp-2022-961"}
    for day in ("1995-01-01", "2010-01-01", "2023-01-01", TODAY):
        assert not ids(api, in_force_on=day) & unknown


def test_status_today_and_on_a_date(api):
    assert ids(api, status="no_longer_in_force") == {"eu-dir-2009-50", "eu-dir-2011-98", "eu-reg-2001-539"}
    assert ids(api, status="no_longer_in_force", on="2020-01-01") == {"eu-reg-2001-539"}
    assert ids(api, status="not_yet_in_force", on="2024-05-01") == {"eu-dir-2024-1233"}
    assert ids(api, status="unknown") == where(lambda f: f["entry_into_force"] is None)
    in_force = api.get("/api/v1/instruments/", {"status": "in_force", "on": "2024-05-01", "page_size": 200}).json()
    assert {item["status"] for item in in_force["results"]} == {"in_force"}
    assert {item["status_date"] for item in in_force["results"]} == {"2024-05-01"}
    assert "eu-dir-2024-1233" not in {item["id"] for item in in_force["results"]}


def test_status_in_items_is_computed_for_today(api):
    item = api.get("/api/v1/instruments/eu-dir-2011-98/").json()
    assert (item["status"], item["status_date"]) == ("no_longer_in_force", TODAY)
    assert api.get("/api/v1/instruments/eu-dir-2024-1233/").json()["status"] == "in_force"


# --------------------------------------------------------------------------- plain filters


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "directive"),
        ("kind", "regulation"),
        ("kind", "law"),
        ("kind", "treaty"),
        ("level", "regional"),
        ("level", "national"),
        ("jurisdiction", "eu"),
        ("jurisdiction", "kz"),
        ("jurisdiction", "cis"),
        ("jurisdiction", "int"),
    ],
)
def test_choice_filters(api, field, value):
    assert ids(api, **{field: value}) == where(lambda f: f[field] == value)


def test_adopted_range(api):
    assert ids(api, adopted_from="2011-01-01", adopted_to="2011-12-31") == {"eu-dir-2011-51", "eu-dir-2011-98"}
    assert ids(api, adopted_from="2021-10-20") == where(
        lambda f: f["date_adopted"] and f["date_adopted"] >= "2021-10-20"
    )


@pytest.mark.parametrize("value, expected", [("true", True), ("false", False), ("TRUE", True)])
def test_cited_in_article(api, value, expected):
    assert ids(api, cited_in_article=value) == where(lambda f: f["cited_in_article"] is expected)


def test_subject_family_reunification(api):
    assert ids(api, subject="legal_entry_stay-family_reunification") == {"eu-dir-2003-86"}


def test_a_parent_subject_includes_its_narrower_subjects(api):
    def under(code, root):
        while code is not None:
            if code == root:
                return True
            code = SUBJECT_PARENTS.get(code)
        return False

    expected = where(lambda f: any(under(code, "legal_entry_stay") for code in f["subjects"]))
    assert ids(api, subject="legal_entry_stay") == expected
    assert {"eu-dir-2003-86", "eu-dir-2009-50", "kz-zakon-2020-327-vi"} <= expected


@pytest.mark.parametrize("rel", RELATIONSHIPS, ids=lambda rel: f"{rel['subject']}-{rel['type']}-{rel['object']}")
def test_relationship_filters_in_both_directions(api, rel):
    forward = {r["subject"] for r in RELATIONSHIPS if r["type"] == rel["type"] and r["object"] == rel["object"]}
    assert ids(api, **{rel["type"]: rel["object"]}) == forward
    inverse = {r["object"] for r in RELATIONSHIPS if r["type"] == rel["type"] and r["subject"] == rel["subject"]}
    assert ids(api, **{RelationshipType(rel["type"]).inverse_parameter: rel["subject"]}) == inverse


def test_the_issue_examples_for_relationships(api):
    assert ids(api, repealed_by="eu-dir-2021-1883") == {"eu-dir-2009-50"}
    assert ids(api, repeals="eu-dir-2009-50") == {"eu-dir-2021-1883"}
    assert ids(api, amends="eu-dir-2003-109") == {"eu-dir-2011-51"}
    assert ids(api, codified_by="eu-reg-2018-1806") == {"eu-reg-2001-539"}
    assert ids(api, cites="eu-dir-2003-86") == set()


@pytest.mark.parametrize(
    "words, expected",
    [
        ("32003L0086", {"eu-dir-2003-86"}),
        ("P2200000961", {"kz-pp-2022-961"}),
        ("327-VI", {"kz-zakon-2020-327-vi"}),
        ("family reunification", {"eu-dir-2003-86"}),
        ("FAMILY REUNIFICATION", {"eu-dir-2003-86"}),
        ("Договор о Евразийском", {"eaeu-treaty-2014"}),
    ],
)
def test_q_searches_titles_identifiers_and_summaries(api, words, expected):
    assert ids(api, q=words) == expected


def test_q_finds_the_directive_and_the_one_that_repealed_it(api):
    assert ids(api, q="2009/50") == {"eu-dir-2009-50", "eu-dir-2021-1883"}


def test_ordering_is_explicit_and_stable(api):
    def order(**query):
        body = api.get("/api/v1/instruments/", {"page_size": 200, **query}).json()
        return [(item["date_adopted"], item["entry_into_force"], item["id"]) for item in body["results"]]

    default = order()
    assert default == sorted(default, key=lambda row: (row[0] is None, row[0] or "", row[2]))
    newest_first = order(ordering="-date_adopted")
    assert [row[0] for row in newest_first] == sorted((row[0] for row in default), reverse=True)
    by_entry = order(ordering="entry_into_force")
    known = [row[1] for row in by_entry if row[1]]
    assert known == sorted(known)
    assert len(by_entry) > len(known)  # some dates of entry into force are unknown…
    assert all(row[1] is None for row in by_entry[len(known) :])  # …and they come last, on every database
    assert [row[2] for row in order(ordering="-id")] == sorted(INSTRUMENTS, reverse=True)
    # Empty parts mean nothing, as an empty value does (schemathesis once found a 500 here).
    assert order(ordering=",") == default
    assert order(ordering="-id,,") == order(ordering="-id")


# --------------------------------------------------------------------------- strict values


@pytest.mark.parametrize(
    "query, parameter, words",
    [
        ({"kind": "statute"}, "kind", 'Unknown value "statute"; give one of: treaty, agreement'),
        ({"jurisdiction": "EU"}, "jurisdiction", 'Unknown value "EU"'),
        ({"level": "global"}, "level", "Unknown value"),
        ({"status": "repealed"}, "status", "in_force, not_yet_in_force, no_longer_in_force, unknown"),
        ({"in_force_on": "2024-02-30"}, "in_force_on", "YYYY-MM-DD"),
        ({"in_force_on": "01/01/2024"}, "in_force_on", "YYYY-MM-DD"),
        ({"in_force_on": "1700-01-01"}, "in_force_on", "between 1800-01-01 and 2999-12-31"),
        ({"on": "9999-12-31"}, "on", "between"),
        ({"adopted_from": "yesterday"}, "adopted_from", "YYYY-MM-DD"),
        ({"subject": "family"}, "subject", 'No subject has the code "family"'),
        ({"cited_in_article": "yes"}, "cited_in_article", 'Give true or false, not "yes"'),
        ({"repealed_by": "eu-dir-2021-1833"}, "repealed_by", 'No instrument has the id "eu-dir-2021-1833"'),
        ({"amends": "x" * 81}, "amends", "at most 80"),
        ({"ordering": "title"}, "ordering", 'Unknown ordering "title"'),
    ],
)
def test_malformed_values_are_400_with_a_message_per_parameter(api, query, parameter, words):
    problems = errors(api, **query)
    assert list(problems) == [parameter]
    assert words in problems[parameter][0]


def test_several_bad_values_are_reported_together(api):
    problems = errors(api, kind="statute", in_force_on="2024-13-01", subject="nope")
    assert set(problems) == {"kind", "in_force_on", "subject"}


# --------------------------------------------------------------------------- facets


def test_facets_count_under_every_filter_but_their_own(api):
    body = api.get(
        "/api/v1/instruments/",
        {"jurisdiction": "eu", "kind": "directive", "facets": "kind,status,jurisdiction,cited_in_article"},
    ).json()
    facets = {name: {row["value"]: row["count"] for row in rows} for name, rows in body["facets"].items()}
    eu = where(lambda f: f["jurisdiction"] == "eu")
    directives = where(lambda f: f["kind"] == "directive")
    # kind ignores kind=directive but keeps jurisdiction=eu
    assert facets["kind"]["directive"] == len(eu & directives) == 7
    assert facets["kind"]["regulation"] == len(eu & where(lambda f: f["kind"] == "regulation")) == 2
    assert facets["kind"]["law"] == 0
    # jurisdiction ignores jurisdiction=eu but keeps kind=directive
    assert facets["jurisdiction"] == {"eu": 7, "eaeu": 0, "cis": 0, "kz": 0, "int": 0}
    # status keeps both filters; each count equals the list filtered by that status
    for status, count in facets["status"].items():
        assert count == len(ids(api, jurisdiction="eu", kind="directive", status=status))
    assert sum(facets["status"].values()) == body["count"] == 7
    assert facets["cited_in_article"] == {
        "true": len(eu & directives & where(lambda f: f["cited_in_article"])),
        "false": len(eu & directives & where(lambda f: not f["cited_in_article"])),
    }


def test_subject_facet(api):
    body = api.get("/api/v1/instruments/", {"facets": "subject", "jurisdiction": "eu"}).json()
    counts = {row["value"]: row["count"] for row in body["facets"]["subject"]}
    eu = where(lambda f: f["jurisdiction"] == "eu")
    assert counts["work_permit"] == len({pk for pk in eu if "work_permit" in INSTRUMENTS[pk]["subjects"]}) == 4
    assert list(counts) == sorted(counts)


def test_no_facets_unless_asked(api):
    assert "facets" not in api.get("/api/v1/instruments/").json()


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
    json_rows = api.get("/api/v1/instruments/", {**query, "page_size": 200}).json()["results"]
    response = api.get("/api/v1/instruments/", {**query, "format": "csv", "page_size": 2})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert len(rows) == len(json_rows) == len(where(lambda f: f["jurisdiction"] == "eu"))  # not just a page
    for row, item in zip(rows, json_rows):
        for column, value in row.items():
            if column in ("subjects", "discrepancies", "relationships"):
                continue
            assert value == csv_value(item[column]), column
        assert row["subjects"] == "|".join(s["code"] for s in item["subjects"])
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
    assert len(by_id) == 9
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
    assert node["legislationDate"] == {"@value": "2012", "@type": "xsd:gYear"}
    assert "legislationLegalForce" not in node  # status unknown: no claim


def test_jsonld_list_is_paginated_with_link_headers(api):
    response = api.get("/api/v1/instruments/", {"format": "jsonld", "page_size": 5})
    assert len(response.json()["@graph"]) == 5
    assert response["X-Total-Count"] == str(len(INSTRUMENTS))
    assert 'rel="next"' in response["Link"]
