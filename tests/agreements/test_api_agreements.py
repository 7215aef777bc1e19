"""The agreements API with the real data: country codes, membership on a date, status,
dates, the article's list, search, ordering, facets and CSV.

Expected sets are computed from the data files (agreements, parties, memberships)
and the issue's examples are asserted by id as well.
"""

import csv
import datetime
import io

import pytest

from api.renderers import csv_value
from core.lifecycle import Status
from tests.recorded import TODAY, records

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


AGREEMENTS = records("agreements.Agreement")
PARTNERS = {}
for _party in records("agreements.Party").values():
    if _party["country"] != "KZ":
        PARTNERS.setdefault(_party["agreement"], set()).add(_party["country"])
MEMBERSHIPS = list(records("countries.Membership").values())


def ids(api, **query):
    response = api.get("/api/v1/agreements/", {"page_size": 200, **query})
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def date(value):
    return datetime.date.fromisoformat(value) if value else None


def members_on(organisation, on):
    """States certainly members on that day (a membership with an unknown start does not count)."""
    return {
        m["country"]
        for m in MEMBERSHIPS
        if m["organisation"] == organisation
        and m["date_from"]
        and m["date_from_precision"] == "day"
        and date(m["date_from"]) <= on
        and (m["date_until"] is None or date(m["date_until"]) >= on)
    }


def in_force_on(fields, on):
    return (
        fields["entry_into_force_precision"] == "day"
        and date(fields["entry_into_force"]) <= on
        and (fields["end_of_validity"] is None or date(fields["end_of_validity"]) >= on)
    )


# --------------------------------------------------------------------------- country


@pytest.mark.parametrize("code", ["LU", "lu", "Lu", "LUX", "lux", "BE", "bel", "NL", "nld"])
def test_the_benelux_agreement_matches_each_of_its_three_states(api, code):
    assert ids(api, country=code) == {"kz-benelux-readmission"}


def test_several_countries(api):
    assert ids(api, country="DE,cze, no") == {"kz-de-readmission", "kz-cz-readmission", "kz-no-readmission"}


def test_a_real_country_without_an_agreement_gives_an_empty_list(api):
    # Afghanistan: among the article's thirteen other states, with no agreement in the data
    body = api.get("/api/v1/agreements/", {"country": "AF"}).json()
    assert body["count"] == 0 and body["results"] == []


def test_kazakhstan_is_a_party_to_every_agreement(api):
    assert ids(api, country="KZ") == set(AGREEMENTS)


@pytest.mark.parametrize("code", ["XX", "ZZZ", "L", "LUXE", "12", "Luxembourg", "LU,QQ"])
def test_unknown_country_code_is_a_400(api, code):
    response = api.get("/api/v1/agreements/", {"country": code})
    assert response.status_code == 400
    assert "ISO 3166-1" in response.json()["error"]["parameters"]["country"][0]


def test_partners_and_parties_carry_both_iso_codes_and_names(api):
    item = api.get("/api/v1/agreements/kz-benelux-readmission/").json()
    assert [(p["code"], p["alpha3"], p["name_en"]) for p in item["partners"]] == [
        ("BE", "BEL", "Belgium"),
        ("LU", "LUX", "Luxembourg"),
        ("NL", "NLD", "Netherlands"),
    ]
    assert [p["code"] for p in item["parties"]] == ["BE", "KZ", "LU", "NL"]
    assert item["partners"][1]["url"] == "http://127.0.0.1/api/v1/countries/LU/"
    assert item["entry_into_force"] == "2017-06-01"
    assert item["ratification_law_number"] == AGREEMENTS["kz-benelux-readmission"]["ratification_law_number"]


# --------------------------------------------------------------------------- membership on a date


def test_in_force_with_eu_member_states_on_2017_01_01(api):
    on = datetime.date(2017, 1, 1)
    eu = members_on("eu", on)
    expected = {pk for pk, fields in AGREEMENTS.items() if in_force_on(fields, on) and PARTNERS[pk] & eu}
    found = ids(api, member_of="eu", in_force_on="2017-01-01")
    assert found == expected
    assert {"kz-cz-readmission", "kz-de-readmission", "kz-lt-readmission", "kz-lv-readmission"} <= found
    assert "kz-benelux-readmission" not in found  # in force only from 2017-06-01
    assert "kz-no-readmission" not in found and "kz-ch-readmission" not in found  # not EU members
    assert "kz-hu-readmission" not in found  # EU member, but its entry into force is unknown


def test_benelux_counts_once_it_is_in_force(api):
    assert "kz-benelux-readmission" in ids(api, member_of="eu", in_force_on="2017-06-01")


@pytest.mark.parametrize(
    "organisation, on",
    [
        ("eu", "2026-11-26"),
        ("eu", "2000-01-01"),
        ("eaeu", "2015-05-01"),
        ("eaeu", "2015-08-12"),
        ("eaeu", "2026-11-26"),
        ("cis", "2026-11-26"),
        ("cis", "1990-01-01"),
    ],
)
def test_member_of_on_a_date(api, organisation, on):
    members = members_on(organisation, datetime.date.fromisoformat(on))
    expected = {pk for pk, partners in PARTNERS.items() if partners & members}
    assert ids(api, member_of=organisation, on=on) == expected


EAEU_2015_05_01 = {  # Belarus and Russia (members from 2015-01-01)
    "kz-by-readmission",
    "kz-by-migration-cooperation",
    "kz-by-stay-of-citizens-2013",
    "kz-ru-readmission",
    "kz-ru-stay-of-citizens-2012",
}
EAEU_KYRGYZSTAN = {  # a member from 2015-08-12
    "kz-kg-readmission",
    "kz-kg-labour-migration-2006",
    "kz-kg-migration-cooperation-2019",
    "kz-kg-stay-of-citizens-2012",
    "kz-kg-stay-of-citizens-2016",
    "kz-kg-uz-migration-cooperation-1997",
}


def test_member_of_defaults_to_today(api):
    assert ids(api, member_of="eaeu") == EAEU_2015_05_01 | EAEU_KYRGYZSTAN
    assert ids(api, member_of="eaeu", on="2015-05-01") == EAEU_2015_05_01


def test_on_overrides_the_in_force_date_for_membership(api):
    # Kyrgyzstan joined the EAEU on 2015-08-12; its agreement entered into force on 2017-08-10.
    assert "kz-kg-readmission" in ids(api, member_of="eaeu", in_force_on="2018-01-01")
    assert "kz-kg-readmission" not in ids(api, member_of="eaeu", in_force_on="2018-01-01", on="2015-01-01")


# --------------------------------------------------------------------------- status, dates, list, search


def test_status_today(api):
    on = datetime.date.fromisoformat(TODAY)
    assert ids(api, status="in_force") == {pk for pk, f in AGREEMENTS.items() if in_force_on(f, on)}
    assert ids(api, status="unknown") == {pk for pk, f in AGREEMENTS.items() if f["entry_into_force"] is None}
    assert ids(api, status="not_yet_in_force", on="2017-01-01") == {"kz-benelux-readmission", "kz-kg-readmission"} | {
        pk for pk, f in AGREEMENTS.items() if f["entry_into_force"] and f["entry_into_force"] > "2017-01-01"
    }


def test_in_force_on_never_returns_an_unknown_entry_into_force(api):
    unknown = {pk for pk, f in AGREEMENTS.items() if f["entry_into_force"] is None}
    assert {"kz-hu-readmission", "kz-by-readmission", "kz-at-readmission"} <= unknown
    assert not ids(api, in_force_on=TODAY) & unknown


def test_signed_range(api):
    assert ids(api, signed_from="2011-01-01", signed_to="2011-12-31") == {
        pk for pk, f in AGREEMENTS.items() if f["date_signed"] and "2011-01-01" <= f["date_signed"] <= "2011-12-31"
    }
    assert ids(api, signed_from="2011-01-01", signed_to="2011-12-31") == {
        "kz-cz-readmission",
        "kz-lv-readmission",
        "kz-lt-readmission",
    }


def test_in_article_list(api):
    listed = {pk for pk, f in AGREEMENTS.items() if f["article_listing"] == "ratified_12"}
    assert len(listed) == 12
    assert ids(api, in_article_list="true") == listed
    assert ids(api, in_article_list="false") == set(AGREEMENTS) - listed
    assert ids(api, in_article_list="false") >= {"kz-kg-readmission", "kz-tj-readmission"}


def test_missing_from_article_list(api):
    body = api.get("/api/v1/agreements/", {"page_size": 200}).json()
    missing = {item["id"] for item in body["results"] if item["missing_from_article_list"]}
    # The article lists readmission agreements: Poland's (in force 2017-08-04) is not among its twelve.
    # Agreements of other types (stay of citizens, migration cooperation) are not expected in that list.
    assert missing == {"kz-kg-readmission", "kz-tj-readmission", "kz-pl-readmission"}


@pytest.mark.parametrize(
    "words, expected",
    [
        ("Benelux", {"kz-benelux-readmission"}),
        ("Norway", {"kz-no-readmission"}),
        ("kz-lv", {"kz-lv-readmission"}),
    ],
)
def test_q(api, words, expected):
    assert ids(api, q=words) == expected


def test_ordering(api):
    body = api.get("/api/v1/agreements/", {"ordering": "-entry_into_force", "page_size": 200}).json()
    dates = [item["entry_into_force"] for item in body["results"]]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)
    assert dates[len(known) :] == [None] * (len(dates) - len(known))  # unknown last
    default = [item["date_signed"] for item in api.get("/api/v1/agreements/?page_size=200").json()["results"]]
    signed = [d for d in default if d]
    assert signed == sorted(signed)
    assert default[len(signed) :] == [None] * (len(default) - len(signed))  # unknown signature date last
    assert default[len(signed) :] == [None]  # kz-by-migration-cooperation


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"member_of": "nato"}, "member_of"),
        ({"member_of": "EU"}, "member_of"),
        ({"status": "ratified"}, "status"),
        ({"signed_from": "2011-1-1"}, "signed_from"),
        ({"in_article_list": "1"}, "in_article_list"),
        ({"ordering": "partner"}, "ordering"),
        ({"on": "2017-02-29"}, "on"),
    ],
)
def test_malformed_values(api, query, parameter):
    response = api.get("/api/v1/agreements/", query)
    assert response.status_code == 400
    assert list(response.json()["error"]["parameters"]) == [parameter]


# --------------------------------------------------------------------------- facets, CSV


def test_facets(api):
    body = api.get(
        "/api/v1/agreements/", {"member_of": "eu", "country": "DE", "facets": "country,status,in_article_list"}
    ).json()
    assert body["count"] == 1
    eu_today = members_on("eu", datetime.date.fromisoformat(TODAY))
    # country ignores country=DE, keeps member_of=eu: one agreement per EU partner state
    assert body["facets"]["country"] == [
        {"value": code, "count": 1} for code in sorted(eu_today & set().union(*PARTNERS.values()))
    ]
    statuses = {row["value"]: row["count"] for row in body["facets"]["status"]}
    assert statuses == {status: 0 for status in Status.values} | {"in_force": 1}
    assert body["facets"]["in_article_list"] == [{"value": "true", "count": 1}, {"value": "false", "count": 0}]


def test_csv_rows_equal_json_rows(api):
    json_rows = api.get("/api/v1/agreements/", {"page_size": 200, "member_of": "eu", "fields": "*"}).json()["results"]
    response = api.get("/api/v1/agreements/", {"format": "csv", "member_of": "eu"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert [row["id"] for row in rows] == [item["id"] for item in json_rows]
    for row, item in zip(rows, json_rows):
        for column, value in row.items():
            if column in ("partners", "partners_alpha3", "partner_names", "subjects", "discrepancies"):
                continue
            assert value == csv_value(item.get(f"{column}_edtf", item[column])), column
        assert row["subjects"] == "|".join(item["subjects"])
    benelux = next(row for row in rows if row["id"] == "kz-benelux-readmission")
    assert (benelux["partners"], benelux["partners_alpha3"]) == ("BE|LU|NL", "BEL|LUX|NLD")
    assert benelux["partner_names"] == "Belgium|Luxembourg|Netherlands"
