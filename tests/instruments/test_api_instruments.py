"""The instruments API with the real data: every filter and facet (detail, CSV and JSON-LD:
test_api_instrument_formats.py).

Expected sets are computed from the data files (the facts as recorded), not through
the code under test, and the examples from the issue are also asserted by id.
"""

import datetime

import pytest
from django.db import connection

from core.lifecycle import Status
from instruments.vocabulary import RelationshipType
from tests.recorded import TODAY, records

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


INSTRUMENTS = records("instruments.Instrument")
RELATIONSHIPS = list(records("instruments.Relationship").values())
SUBJECT_PARENTS = {pk: fields["parent"] for pk, fields in records("subjects.Subject").items()}


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
        "eu-agreement-am-readmission",
        "eu-agreement-az-readmission",
        "eu-agreement-by-readmission",
        "eu-agreement-ge-readmission",
        "eu-agreement-md-readmission",
        "eu-agreement-ru-readmission",
        "eu-agreement-ua-readmission",
        "eu-dec-2022-382",
        "eu-dir-2001-40",
        "eu-dir-2001-51",
        "eu-dir-2001-55",
        "eu-dir-2002-90",
        "eu-dir-2003-109",
        "eu-dir-2003-86",
        "eu-dir-2008-115",
        "eu-dir-2009-52",
        "eu-dir-2011-36",
        "eu-dir-2011-51",
        "eu-dir-2011-95",
        "eu-dir-2011-98",
        "eu-dir-2013-32",
        "eu-dir-2013-33",
        "eu-dir-2014-36",
        "eu-dir-2014-66",
        "eu-dir-2016-801",
        "eu-dir-2021-1883",
        "eu-fd-2002-946",
        "eu-kz-epca",
        "eu-reg-2008-767",
        "eu-reg-2009-810",
        "eu-reg-2013-603",
        "eu-reg-2013-604",
        "eu-reg-2016-399",
        "eu-reg-2017-2226",
        "eu-reg-2018-1240",
        "eu-reg-2018-1806",
        "eu-reg-2018-1860",
        "eu-reg-2019-1155",
        "eu-reg-2019-1896",
    }


@pytest.mark.parametrize("day", ["2000-01-01", "2009-06-19", "2016-06-01", "2023-11-18", "2023-11-19", TODAY])
def test_in_force_on_matches_the_recorded_periods(api, day):
    on = datetime.date.fromisoformat(day)
    repeals = [rel for rel in RELATIONSHIPS if rel["type"] == "repeals"]
    repealed = {
        rel["object"]: datetime.date.fromisoformat(rel["date_effective"]) for rel in repeals if rel["date_effective"]
    }
    repeal_date_unknown = {rel["object"] for rel in repeals if not rel["date_effective"]}

    def in_force(pk, fields):
        if fields["procedure_stage"]:
            return False  # a proposal or a draft is never law
        if fields["entry_into_force_precision"] == "unknown":
            return False  # unknown entry into force: never returned
        if last_day(fields["entry_into_force"], fields["entry_into_force_precision"]) > on:
            return False  # known to the month or year: in force once the whole period has begun
        if fields["end_of_validity"] and datetime.date.fromisoformat(fields["end_of_validity"]) < on:
            return False
        if pk in repeal_date_unknown:
            return False  # repealed, on a day not known: not certainly in force
        return not (pk in repealed and repealed[pk] <= on)

    expected = {pk for pk, fields in INSTRUMENTS.items() if in_force(pk, fields)}
    assert ids(api, in_force_on=day) == expected


def last_day(value, precision):
    day = datetime.date.fromisoformat(value)
    if precision == "year":
        return day.replace(month=12, day=31)
    if precision == "month":
        following = day.replace(day=28) + datetime.timedelta(days=4)
        return following - datetime.timedelta(days=following.day)
    return day


def test_instruments_with_unknown_entry_into_force_are_never_in_force_on_a_date(api):
    unknown = where(lambda f: f["entry_into_force"] is None)
    assert unknown >= {"cis-agreement-1994-04-15", "kz-pp-2022-961"}
    for day in ("1995-01-01", "2010-01-01", "2023-01-01", TODAY):
        assert not ids(api, in_force_on=day) & unknown


def test_status_today_and_on_a_date(api):
    no_longer_in_force_2020 = {
        "eaeu-agreement-2010-migrant-workers",
        "eu-dir-2004-114",
        "eu-dir-2005-71",
        "eu-reg-2001-539",
        "eu-reg-2006-562",
        "kz-zakon-1997-204-i",
    }
    assert ids(api, status="no_longer_in_force", on="2020-01-01") == no_longer_in_force_2020
    assert ids(api, status="no_longer_in_force") == no_longer_in_force_2020 | {
        "eu-dir-2009-50",
        "eu-dir-2011-95",
        "eu-dir-2011-98",
        "eu-dir-2013-32",
        "eu-dir-2013-33",
        "eu-reg-2013-603",
        "eu-reg-2013-604",
        "kz-pp-2017-602",
        "kz-zakon-2016-482-v",
    }
    assert ids(api, status="not_yet_in_force", on="2024-05-01") == {
        "eaeu-agreement-2023-academic-degrees",
        "eu-dir-2024-1233",
        "eu-dir-2024-1346",
        "eu-dir-2024-1712",
        "eu-reg-2024-1347",
        "eu-reg-2024-1348",
        "eu-reg-2024-1349",
        "eu-reg-2024-1350",
        "eu-reg-2024-1351",
        "eu-reg-2024-1356",
        "eu-reg-2024-1358",
        "eu-reg-2024-1359",
        "eu-reg-2024-1717",
        "kz-prikaz-2025-kandas-quota-2026",
    }
    # Unknown: adopted law (a proposal's status is its procedure stage) whose entry into force is not
    # known, and that has no known end (kz-zakon-1997-204-i, kz-zakon-2016-482-v: no longer in force).
    assert ids(api, status="unknown") == where(
        lambda f: (
            not f["procedure_stage"]
            and f["entry_into_force"] is None
            and f["end_of_validity"] is None
            and f["date_provisional_application"] is None
        )
    )
    assert ids(api, status="under_negotiation") == {"eu-kz-vfa-readmission-draft", "eu-prop-2022-650"}
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
    assert ids(api, adopted_from="2011-01-01", adopted_to="2011-12-31") == {
        "eu-dir-2011-36",
        "eu-dir-2011-51",
        "eu-dir-2011-95",
        "eu-dir-2011-98",
        "kz-pp-2011-1427",
        "kz-zakon-2011-477-iv",
        "kz-zakon-2011-478-iv",
    }
    assert ids(api, adopted_from="2021-10-20") == where(
        lambda f: f["date_adopted"] and f["date_adopted"] >= "2021-10-20"
    )


@pytest.mark.parametrize("value, expected", [("true", True), ("false", False), ("TRUE", True)])
def test_cited_in_article(api, value, expected):
    assert ids(api, cited_in_article=value) == where(lambda f: f["cited_in_article"] is expected)


def test_subject_family_reunification(api):
    assert ids(api, subject="legal_entry_stay-family_reunification") == {
        "eu-dir-2003-86",
        "cis-convention-2008-11-14",
        "un-icrmw-1990",
        "kz-zakon-2011-477-iv",
        "kz-zakon-2014-240-v",
    }


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
    assert ids(api, amends="eu-dir-2003-109") == {"eu-dir-2011-51", "eu-reg-2024-1347"}
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
        # the Treaty, its accession treaties, its Annex 30 protocol and Kazakhstan's ratification law
        (
            "Договор о Евразийском",
            {
                "eaeu-treaty-2014",
                "eaeu-treaty-2014-accession-am",
                "eaeu-treaty-2014-accession-kg",
                "eaeu-protocol-2014-annex30",
                "kz-zakon-2014-240-v",
            },
        ),
    ],
)
def test_q_searches_titles_identifiers_and_summaries(api, words, expected):
    assert ids(api, q=words) == expected


# PostgreSQL's parser splits "2009/50" into "2009" and "50", so its full-text search also finds the
# acts of 2009 that mention a 50 (Directive 2009/52/EC, the Visa Code and its 2019 amendment).
POSTGRESQL_ALSO_FINDS_2009_50 = {"eu-dir-2009-52", "eu-reg-2009-810", "eu-reg-2019-1155"}


def test_q_finds_the_directive_and_the_one_that_repealed_it(api):
    expected = {"eu-dir-2009-50", "eu-dir-2021-1883"}
    if connection.vendor == "postgresql":
        expected |= POSTGRESQL_ALSO_FINDS_2009_50
    assert ids(api, q="2009/50") == expected


def test_ordering_is_explicit_and_stable(api):
    def order(**query):
        body = api.get("/api/v1/instruments/", {"page_size": 200, **query}).json()
        return [(item["date_adopted"], item["entry_into_force"], item["id"]) for item in body["results"]]

    default = order()
    assert default == sorted(default, key=lambda row: (row[0] is None, row[0] or "", row[2]))
    newest_first = order(ordering="-date_adopted")
    adopted = sorted((row[0] for row in default if row[0]), reverse=True)
    assert [row[0] for row in newest_first] == adopted + [None] * (len(default) - len(adopted))  # unknown last
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
        ({"status": "repealed"}, "status", ", ".join(Status.values)),
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
    assert facets["kind"]["directive"] == len(eu & directives) == 24
    assert facets["kind"]["regulation"] == len(eu & where(lambda f: f["kind"] == "regulation")) == 22
    assert facets["kind"]["law"] == 0
    # jurisdiction ignores jurisdiction=eu but keeps kind=directive
    assert facets["jurisdiction"] == {"eu": 24, "eaeu": 0, "cis": 0, "kz": 0, "un": 0, "int": 0}
    # status keeps both filters; each count equals the list filtered by that status
    for status, count in facets["status"].items():
        assert count == len(ids(api, jurisdiction="eu", kind="directive", status=status))
    assert sum(facets["status"].values()) == body["count"] == 24
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
