"""Every table: CSV and JSON for every resource, and the tables behind them (subjects,
relationships, memberships, agreement and instrument parties, provenance) as read-only lists
with strict filters and ordering (issue 12). Assertions are on real rows of fixtures/."""

import csv
import datetime
import io

import pytest

from agreements.models import Party
from countries.models import Country, Membership, Organisation
from sources.models import Provenance, Source

from .common import error_of

pytestmark = pytest.mark.django_db

RESOURCES = ["instruments", "agreements", "countries", "organisations", "sources", "discrepancies", "subjects"]
TABLES = ["relationships", "memberships", "agreement-parties", "instrument-parties", "provenance", "subjects"]
EVERY_LIST = RESOURCES + TABLES[:-1]


def csv_rows(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def results(api, path, **params):
    response = api.get(f"/api/v1/{path}/", {"page_size": 200, **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


@pytest.mark.parametrize("name", EVERY_LIST)
def test_every_list_answers_csv_with_the_json_ids_in_the_same_order(api, name):
    rows = csv_rows(api.get(f"/api/v1/{name}/", {"format": "csv"}))
    json_rows = results(api, name)
    key = "code" if name in ("countries", "organisations", "subjects") else "id"
    assert [row[key] for row in rows][:200] == [item[key] for item in json_rows]
    assert "provenance" not in rows[0]  # provenance is a table of its own
    assert api.get(f"/api/v1/{name}/", HTTP_ACCEPT="text/csv")["Content-Type"] == "text/csv; charset=utf-8"


def test_the_api_root_lists_every_table(api):
    root = api.get("/api/v1/").json()
    for name in RESOURCES + TABLES:
        assert root[name] == f"http://127.0.0.1/api/v1/{name}/"


@pytest.mark.parametrize("name", TABLES)
def test_tables_refuse_unknown_parameters(api, name):
    error = error_of(api.get(f"/api/v1/{name}/", {"cuort": "x"}), 400)
    assert list(error["parameters"]) == ["cuort"]


# --------------------------------------------------------------------------- memberships


def test_memberships_row_for_czechia_in_the_eu_from_2004_05_01(api):
    """Czechia joined the EU on 2004-05-01 (day precision), as its verified source says."""
    [row] = results(api, "memberships", organisation="eu", country="cze", fields="*")
    assert row == {
        "id": "eu-cz-2004-05-01",
        "url": "http://127.0.0.1/api/v1/memberships/eu-cz-2004-05-01/",
        "organisation": "eu",
        "organisation_url": "http://127.0.0.1/api/v1/organisations/eu/",
        "country": "CZ",
        "country_url": "http://127.0.0.1/api/v1/countries/CZ/",
        "date_from": "2004-05-01",
        "date_from_precision": "day",
        "date_from_edtf": "2004-05-01",
        "date_until": None,
        "date_until_precision": "unknown",
        "date_until_edtf": None,
        "note": "",
        "provenance": row["provenance"],
    }
    assert [entry["source"] for entry in row["provenance"]["*"]] == [
        "stopvaw-org-e8ff9aa6-56b9-4385-b05d-1eb053961cee-a61d4a"
    ]
    assert api.get(row["url"]).json() == row
    [csv_row] = csv_rows(api.get("/api/v1/memberships/", {"organisation": "eu", "country": "CZ", "format": "csv"}))
    assert (csv_row["country"], csv_row["date_from"], csv_row["date_until"]) == ("CZ", "2004-05-01", "")


def test_memberships_member_on_a_date_and_ordering(api):
    eu_2004 = results(api, "memberships", organisation="eu", member_on="2004-05-01")
    eu_2003 = results(api, "memberships", organisation="eu", member_on="2004-04-30")
    expected = set(
        Membership.objects.on(datetime.date(2004, 5, 1)).filter(organisation="eu").values_list("country", flat=True)
    )
    assert {row["country"] for row in eu_2004} == expected
    assert {"CZ", "HU", "LT", "LV"} <= {row["country"] for row in eu_2004}
    assert not {"CZ", "HU", "LT", "LV"} & {row["country"] for row in eu_2003}
    # Benelux memberships have no start date: never counted on a date.
    assert results(api, "memberships", organisation="benelux", member_on="2020-01-01") == []
    newest_first = results(api, "memberships", organisation="eu", ordering="-date_from,country")
    assert [row["date_from"] for row in newest_first][:6] == ["2004-05-01"] * 6
    assert [row["country"] for row in newest_first][:6] == ["CZ", "EE", "HU", "LT", "LV", "PL"]


def test_memberships_filters_are_strict(api):
    error = error_of(
        api.get("/api/v1/memberships/", {"organisation": "nato", "country": "XX", "member_on": "2004-5-1"}), 400
    )
    assert set(error["parameters"]) == {"organisation", "country", "member_on"}
    assert error["parameters"]["organisation"] == ['No organisation has the id "nato".']
    error = error_of(api.get("/api/v1/memberships/", {"ordering": "note"}), 400)
    assert set(error["parameters"]) == {"ordering"}


# --------------------------------------------------------------------------- parties


def test_agreement_parties_of_the_benelux_agreement(api):
    rows = results(api, "agreement-parties", agreement="kz-benelux-readmission")
    assert [row["country"] for row in rows] == ["BE", "KZ", "LU", "NL"]
    assert rows[0]["id"] == "kz-benelux-readmission-be"
    assert rows[0]["agreement_url"] == "http://127.0.0.1/api/v1/agreements/kz-benelux-readmission/"
    assert len(results(api, "agreement-parties")) == min(200, Party.objects.count())
    assert {row["agreement"] for row in results(api, "agreement-parties", country="LUX")} == {"kz-benelux-readmission"}
    error = error_of(api.get("/api/v1/agreement-parties/", {"agreement": "kz-nowhere"}), 400)
    assert error["parameters"]["agreement"] == ['No agreement has the id "kz-nowhere".']


def test_instrument_parties_of_the_epca_name_the_eu_and_kazakhstan(api):
    rows = results(api, "instrument-parties", instrument="eu-kz-epca")
    assert [(row["organisation"], row["country"]) for row in rows] == [("eu", None), (None, "KZ")]
    assert rows[0]["organisation_url"] == "http://127.0.0.1/api/v1/organisations/eu/"
    assert rows[0]["country_url"] is None
    assert "eu-kz-epca" in {row["instrument"] for row in results(api, "instrument-parties", organisation="eu")}
    [csv_eu, csv_kz] = csv_rows(api.get("/api/v1/instrument-parties/", {"instrument": "eu-kz-epca", "format": "csv"}))
    assert (csv_eu["organisation"], csv_eu["country"], csv_kz["country"]) == ("eu", "", "KZ")
    error = error_of(api.get("/api/v1/instrument-parties/", {"instrument": "eu-dir-1999-1"}), 400)
    assert error["parameters"]["instrument"] == ['No instrument has the id "eu-dir-1999-1".']


# --------------------------------------------------------------------------- relationships


def test_relationships_row_of_the_blue_card_repeal(api):
    [row] = results(api, "relationships", subject="eu-dir-2021-1883", type="repeals")
    assert {k: v for k, v in row.items() if k != "provenance"} == {
        "id": "eu-dir-2021-1883-repeals-eu-dir-2009-50",
        "url": "http://127.0.0.1/api/v1/relationships/eu-dir-2021-1883-repeals-eu-dir-2009-50/",
        "subject": "eu-dir-2021-1883",
        "subject_url": "http://127.0.0.1/api/v1/instruments/eu-dir-2021-1883/",
        "type": "repeals",
        "label": "repeals",
        "inverse_label": "repealed by",
        "object": "eu-dir-2009-50",
        "object_url": "http://127.0.0.1/api/v1/instruments/eu-dir-2009-50/",
        "date_effective": "2023-11-19",
        "date_effective_precision": "day",
        "date_effective_edtf": "2023-11-19",
        "note": "",
    }
    both_ways = results(api, "relationships", instrument="eu-dir-2009-50")
    assert row["id"] in {r["id"] for r in both_ways}
    assert all("eu-dir-2009-50" in (r["subject"], r["object"]) for r in both_ways)
    in_2023 = results(api, "relationships", effective_from="2023-11-19", effective_to="2023-11-19")
    assert row["id"] in {r["id"] for r in in_2023}
    [csv_row] = csv_rows(
        api.get("/api/v1/relationships/", {"object": "eu-dir-2009-50", "type": "repeals", "format": "csv"})
    )
    assert (csv_row["subject"], csv_row["inverse_label"], csv_row["date_effective"]) == (
        "eu-dir-2021-1883",
        "repealed by",
        "2023-11-19",
    )


def test_relationships_ordering_and_strict_type(api):
    rows = results(api, "relationships", ordering="-date_effective")
    dated = [row["date_effective"] for row in rows if row["date_effective"]]
    assert dated == sorted(dated, reverse=True)
    assert rows[-1]["date_effective"] is None or all(row["date_effective"] for row in rows)  # empty dates last
    error = error_of(api.get("/api/v1/relationships/", {"type": "abolishes"}), 400)
    assert set(error["parameters"]) == {"type"}


# --------------------------------------------------------------------------- provenance and subjects


def test_provenance_of_the_kazakhstan_2050_adoption_date(api):
    rows = results(
        api,
        "provenance",
        record_type="instruments.instrument",
        record="kz-address-2012-kazakhstan-2050",
        field="date_adopted",
    )
    assert [row["source"] for row in rows] == [
        "en-tengrinews-kz-foreign-minister-comments-strategy-2050-15322-a31798",
        "internationallinkmagazine-com-hk-strategy-2050-iv-74f256",
        "talas-tynysy-kz-index-php-81-ma-alalar-267-ly-m-rat-zholy-rk-860efe",
    ]
    assert {row["confidence"] for row in rows} == {"verified"}
    assert rows[0]["record_url"] == "http://127.0.0.1/api/v1/instruments/kz-address-2012-kazakhstan-2050/"
    assert rows[2]["quote"].startswith("“Қазақстан-2050” Стратегиясы - 2012 жылы желтоқсанда")
    assert rows[0]["source_api_url"] == (
        "http://127.0.0.1/api/v1/sources/en-tengrinews-kz-foreign-minister-comments-strategy-2050-15322-a31798/"
    )
    assert api.get(rows[0]["url"]).json() == rows[0]


def test_provenance_filters_and_csv(api):
    believed = Provenance.objects.filter(confidence="believed", source="kb-research-notes").count()
    response = api.get("/api/v1/provenance/", {"confidence": "believed", "source": "kb-research-notes", "page_size": 1})
    assert response.json()["count"] == believed > 0
    rows = csv_rows(api.get("/api/v1/provenance/", {"record_type": "countries.membership", "format": "csv"}))
    assert len(rows) == Provenance.objects.about("countries.membership").count()
    assert {row["record_type"] for row in rows} == {"countries.membership"}
    assert all(row["record_url"].startswith("http://127.0.0.1/api/v1/memberships/") for row in rows)
    error = error_of(
        api.get("/api/v1/provenance/", {"record_type": "instruments", "source": "nowhere", "confidence": "sure"}), 400
    )
    assert set(error["parameters"]) == {"record_type", "source", "confidence"}


def test_subjects_list_item_and_filters(api):
    item = api.get("/api/v1/subjects/legal_entry_stay-family_reunification/").json()
    assert (item["scheme"], item["parent"], item["label_en"], item["label_ru"]) == (
        "policy_area",
        "legal_entry_stay",
        "Family reunification",
        "Воссоединение семьи",
    )
    assert item["parent_url"] == "http://127.0.0.1/api/v1/subjects/legal_entry_stay/"
    children = results(api, "subjects", parent="legal_entry_stay")
    assert "legal_entry_stay-family_reunification" in {row["code"] for row in children}
    assert {row["parent"] for row in children} == {"legal_entry_stay"}
    assert {row["scheme"] for row in results(api, "subjects", scheme="target_group")} == {"target_group"}
    error = error_of(api.get("/api/v1/subjects/", {"parent": "nothing", "scheme": "topic"}), 400)
    assert set(error["parameters"]) == {"parent", "scheme"}


# --------------------------------------------------------------------------- the resources' own CSV


def test_countries_csv_flattens_memberships_and_agreements(api):
    rows = {row["code"]: row for row in csv_rows(api.get("/api/v1/countries/", {"format": "csv"}))}
    assert len(rows) == Country.objects.count()
    lu = rows["LU"]
    assert (lu["alpha3"], lu["name_en"]) == ("LUX", "Luxembourg")
    assert "kz-benelux-readmission" in lu["agreements"].split("|")
    assert "eu 1958-01-01/.." in lu["memberships"].split("|")
    assert "benelux /.." in lu["memberships"].split("|")  # start unknown, no end recorded


def test_organisations_sources_and_discrepancies_csv(api):
    orgs = {row["code"]: row for row in csv_rows(api.get("/api/v1/organisations/", {"format": "csv"}))}
    assert set(orgs) == set(Organisation.objects.values_list("code", flat=True))
    assert "CZ 2004-05-01/.." in orgs["eu"]["memberships"].split("|")
    sources = {row["id"]: row for row in csv_rows(api.get("/api/v1/sources/", {"format": "csv"}))}
    assert len(sources) == Source.objects.count()
    assert sources["article"]["kind"] == "article"
    errata = {row["id"]: row for row in csv_rows(api.get("/api/v1/discrepancies/", {"format": "csv"}))}
    body = api.get("/api/v1/discrepancies/2011-98-body/").json()
    assert errata["2011-98-body"]["instruments"] == "|".join(body["instruments"])
    assert errata["2011-98-body"]["substantive"] == ("true" if body["substantive"] else "false")
