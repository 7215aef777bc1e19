"""The coverage data (reference/coverage/{eu,kz,intl}.json, compiled 2026-12-01; issue 11) as
the REST API serves it.

tests/data/coverage.json holds, per file, each coverage id's knowledge-base id and the file's
`status_2026_12_01` (value and confidence), built once from the files and the fixtures: a
record that only adds facts to an existing one (kz.json's Law 327-VI and Resolution 961,
intl.json's readmission_updates and existing_record_updates) maps to that record.

Statuses "today" are computed for 2026-12-01, the day the files describe.
"""

import json
from pathlib import Path

import pytest
from django.utils.html import escape

from core.lifecycle import ProcedureStage, Status
from sources.models import Confidence

pytestmark = pytest.mark.django_db

COVERAGE_DAY = "2026-12-01"
COVERAGE = json.loads((Path(__file__).parent / "data" / "coverage.json").read_text())
RECORDS = {cid: record for file in COVERAGE.values() for cid, record in file.items()}
KB_IDS = {record["kb_id"] for record in RECORDS.values()}

# Held before the coverage data; the three files neither add nor update them.
NOT_IN_THE_FILES = {
    "eaeu-treaty-2014",
    "eu-dir-2003-86",
    "eu-dir-2003-109",
    "eu-dir-2009-50",
    "eu-dir-2011-51",
    "eu-dir-2011-98",
    "eu-dir-2021-1883",
    "eu-dir-2024-1233",
    "eu-reg-2001-539",
    "eu-reg-2018-1806",
    "kz-address-2012-kazakhstan-2050",
    "kz-ch-readmission",
    "kz-cz-readmission",
    "kz-de-readmission",
    "kz-lt-readmission",
    "kz-lv-readmission",
    "kz-no-readmission",
}

ASYLUM_PROCEDURES_DIRECTIVE = "eu-dir-2013-32"
ASYLUM_PROCEDURES_REGULATION = "eu-reg-2024-1348"
DUBLIN_III_REGULATION = "eu-reg-2013-604"
ASYLUM_AND_MIGRATION_MANAGEMENT_REGULATION = "eu-reg-2024-1351"
RETURN_DIRECTIVE = "eu-dir-2008-115"
RETURN_REGULATION_PROPOSAL = "eu-prop-2025-101"
LAW_ON_POPULATION_MIGRATION_2011 = "kz-zakon-2011-477-iv"
LAW_ON_POPULATION_MIGRATION_1997 = "kz-zakon-1997-204-i"
REFUGEE_CONVENTION = "un-convention-1951-refugees"
EU_KAZAKHSTAN_EPCA = "eu-kz-epca"

# The file's words on status (the longer ones start with these) → the statuses they may mean.
STATUS_WORDS = {
    "in force": {Status.IN_FORCE},
    "repealed": {Status.NO_LONGER_IN_FORCE},
    "expired": {Status.NO_LONGER_IN_FORCE},
    "not yet in force": {Status.NOT_YET_IN_FORCE, Status.IN_FORCE_NOT_YET_APPLICABLE},
    "never adopted": {Status.NEVER_ADOPTED},
    "unknown": {Status.UNKNOWN},
}

NOT_FOUND = "entry into force not found, so the status computed is unknown"
RULE_ONLY = "entry into force only as a rule (ten calendar days after first publication), its date not found"
AMENDING_ACT = "amending act: the file dates its amendments to Law 477-IV, not the act's own entry into force"
PROPOSAL = "a proposal or draft: its status is its procedure stage, never law"

# Every record whose status computed for 2026-12-01 differs from its file's status_2026_12_01
# (believed or verified), with the reason; a new difference, or one fixed, fails the test.
DIFFERENCES = {
    "eu-prop-2022-650": PROPOSAL + " (under negotiation; the file: not yet in force)",
    "eu-prop-2025-101": PROPOSAL + " (provisional agreement; the file: not yet in force)",
    "eu-kz-vfa-readmission-draft": PROPOSAL + " (under negotiation; the file: not yet in force)",
    "eu-agreement-by-readmission": "believed unknown (Belarus suspended its participation in 2021); "
    "in force from its entry into force on 2020-07-01, no end recorded",
    "eaeu-agreement-2010-illegal-labour-migration": "believed unknown (whether it survived the EAEU Treaty); "
    "in force from 2012-01-01, no end recorded",
    "kz-zakon-1995-2337": NOT_FOUND + "; the file's verified 'in force' is, by its own note, an inference",
    "kz-zakon-2023-15-viii": AMENDING_ACT,
    "kz-zakon-2024-82-viii": AMENDING_ACT,
    "kz-zakon-2024-86-viii": AMENDING_ACT,
    "kz-zakon-2024-110-viii": "entry into force staggered (art. 25, not reached): unknown",
    "kz-pp-2012-148": RULE_ONLY,
    "kz-pp-2016-82": RULE_ONLY + "; its expiry (the 2016 quota) believed",
    "kz-prikaz-2023-280": RULE_ONLY,
    "kz-zakon-2001-164-ii": NOT_FOUND,
    "kz-zakon-2002-296-ii": NOT_FOUND,
    "kz-zakon-2011-478-iv": NOT_FOUND,
    "kz-zakon-2013-70-v": NOT_FOUND,
    "kz-zakon-2014-240-v": NOT_FOUND + " (the ratification law's own; the Treaty's is 2015-01-01)",
    "kz-prikaz-2016-11-1-2-555-1100": NOT_FOUND,
    "kz-zakon-1992-immigration": NOT_FOUND + "; believed repealed by the 1997 law, no repeal recorded",
    "kz-ukaz-2003-1216": NOT_FOUND + "; believed expired (the 2004 quota), no end recorded",
    "cis-agreement-1998-03-06": NOT_FOUND + " (the general one)",
    "eaeu-agreement-2000-visa-free-travel": NOT_FOUND + " (the general one; for Kazakhstan 2002-06-07)",
    "kz-uz-labour-migration-2019": NOT_FOUND,
    "kz-kg-migration-cooperation-2019": NOT_FOUND,
    "kz-ru-stay-of-citizens-2012": NOT_FOUND,
    "kz-kg-stay-of-citizens-2016": NOT_FOUND,
    "kz-tj-stay-of-citizens-2018": NOT_FOUND,
    "kz-uz-mutual-travel-2000": NOT_FOUND,
    "kz-uz-mutual-travel-2022": NOT_FOUND,
}

# Of those, the ones whose file status is `verified`.
VERIFIED_DIFFERENCES = {"kz-zakon-1995-2337"}

# Coverage instruments with believed facts whose page shows none of them as believed: their
# believed facts are all among those the page shows without their sources (or not at all).
LEVEL = "level and jurisdiction"
KZ_EDITORIAL = "level, subjects and the summaries"
PAGES_WITHOUT_BELIEVED = {
    "eu-dir-2001-51": LEVEL,
    "eu-dir-2005-71": LEVEL,
    "eu-prop-2023-755": LEVEL,
    "eu-reg-2024-1348": LEVEL,
    "eu-reg-2024-1350": LEVEL,
    "eu-reg-2024-1356": LEVEL,
    "eu-reg-2024-1359": LEVEL,
    "kz-pp-2011-1427": KZ_EDITORIAL + ", Russian title",
    "kz-pp-2016-802": KZ_EDITORIAL,
    "kz-prikaz-2015-992": KZ_EDITORIAL + ", Russian title",
}


@pytest.fixture(autouse=True)
def coverage_day(settings):
    settings.KB_TODAY = COVERAGE_DAY


def listing(api, kind, **query):
    response = api.get(f"/api/v1/{kind}/", {"page_size": 200, **query})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return {item["id"]: item for item in body["results"]}


def instruments(api, **query):
    return listing(api, "instruments", **query)


def agreements(api, **query):
    return listing(api, "agreements", **query)


def detail(api, kind, pk):
    response = api.get(f"/api/v1/{kind}/{pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def relationships(api, pk):
    return {
        (r["direction"], r["type"], r["instrument"], r["date_effective"])
        for r in detail(api, "instruments", pk)["relationships"]
    }


def statuses_on(api, day):
    return {
        pk: item["status"] for kind in ("instruments", "agreements") for pk, item in listing(api, kind, on=day).items()
    }


def meant(words):
    matches = [statuses for start, statuses in STATUS_WORDS.items() if words.startswith(start)]
    assert len(matches) == 1, f"no single reading of {words!r}"
    return matches[0]


# --------------------------------------------------------------------------- every record


def test_every_record_of_the_three_files_is_loaded(api):
    assert {name: len(records) for name, records in COVERAGE.items()} == {"eu": 51, "kz": 35, "intl": 36 + 9 + 2}
    assert len(KB_IDS) == len(RECORDS), "two coverage records map to one record"
    assert not KB_IDS & NOT_IN_THE_FILES
    assert set(instruments(api)) | set(agreements(api)) == KB_IDS | NOT_IN_THE_FILES


# --------------------------------------------------------------------------- the 2024 Pact


def test_the_asylum_procedures_directive_is_in_force_until_11_june_2026(api):
    assert ASYLUM_PROCEDURES_DIRECTIVE in instruments(api, in_force_on="2026-06-11")
    assert ASYLUM_PROCEDURES_DIRECTIVE not in instruments(api, in_force_on="2026-06-12")


def test_the_asylum_procedures_directive_is_repealed_by_the_asylum_procedures_regulation(api):
    assert set(instruments(api, repealed_by=ASYLUM_PROCEDURES_REGULATION)) == {ASYLUM_PROCEDURES_DIRECTIVE}
    repeal = ("incoming", "repeals", ASYLUM_PROCEDURES_REGULATION, "2026-06-12")
    assert repeal in relationships(api, ASYLUM_PROCEDURES_DIRECTIVE)


def test_the_dublin_iii_regulation_is_repealed_by_regulation_2024_1351(api):
    assert set(instruments(api, repealed_by=ASYLUM_AND_MIGRATION_MANAGEMENT_REGULATION)) == {DUBLIN_III_REGULATION}
    repeal = ("incoming", "repeals", ASYLUM_AND_MIGRATION_MANAGEMENT_REGULATION, "2026-07-01")
    assert repeal in relationships(api, DUBLIN_III_REGULATION)


def test_the_asylum_procedures_regulation_is_in_force_before_it_applies_from_12_june_2026(api):
    before, on_the_day = "2026-06-11", "2026-06-12"
    assert instruments(api, on=before)[ASYLUM_PROCEDURES_REGULATION]["status"] == Status.IN_FORCE_NOT_YET_APPLICABLE
    assert instruments(api, on=on_the_day)[ASYLUM_PROCEDURES_REGULATION]["status"] == Status.IN_FORCE
    assert ASYLUM_PROCEDURES_REGULATION in instruments(api, in_force_on=before)
    assert ASYLUM_PROCEDURES_REGULATION not in instruments(api, applicable_on=before)
    assert ASYLUM_PROCEDURES_REGULATION in instruments(api, in_force_on=on_the_day, applicable_on=on_the_day)


# --------------------------------------------------------------------------- return


def test_the_return_directive_is_in_force_today(api):
    item = detail(api, "instruments", RETURN_DIRECTIVE)
    assert (item["status"], item["status_date"]) == (Status.IN_FORCE, COVERAGE_DAY)
    assert RETURN_DIRECTIVE in instruments(api, in_force_on=COVERAGE_DAY)


def test_the_return_regulation_proposal_is_a_proposal_at_a_procedure_stage(api):
    item = detail(api, "instruments", RETURN_REGULATION_PROPOSAL)
    assert item["kind"] == "legislative_proposal"
    assert item["status"] == item["procedure_stage"] == ProcedureStage.PROVISIONAL_AGREEMENT
    assert item["entry_into_force"] is None


@pytest.mark.parametrize("day", ["2025-03-11", "2026-06-01", "2026-06-12", COVERAGE_DAY, "2027-06-12", "2030-01-01"])
def test_the_return_regulation_proposal_is_never_in_force(api, day):
    assert RETURN_REGULATION_PROPOSAL not in instruments(api, in_force_on=day)
    assert instruments(api, on=day)[RETURN_REGULATION_PROPOSAL]["status"] in ProcedureStage.values


# --------------------------------------------------------------------------- Kazakhstan


def test_the_2011_law_on_population_migration_replaced_the_1997_law(api):
    replaced = ("outgoing", "replaces", LAW_ON_POPULATION_MIGRATION_1997, None)
    assert replaced in relationships(api, LAW_ON_POPULATION_MIGRATION_2011)
    assert set(instruments(api, replaces=LAW_ON_POPULATION_MIGRATION_1997)) == {LAW_ON_POPULATION_MIGRATION_2011}
    assert set(instruments(api, replaced_by=LAW_ON_POPULATION_MIGRATION_2011)) == {LAW_ON_POPULATION_MIGRATION_1997}


def test_the_poland_readmission_agreement_is_in_force_on_1_january_2018(api):
    found = agreements(api, country="PL")
    assert {pk: item["type"] for pk, item in found.items()} == {"kz-pl-readmission": "readmission"}
    assert set(agreements(api, country="PL", in_force_on="2018-01-01")) == {"kz-pl-readmission"}
    assert agreements(api, country="PL", on="2018-01-01")["kz-pl-readmission"]["status"] == Status.IN_FORCE


def test_the_agreements_with_uzbekistan_each_with_its_type(api):
    assert {pk: item["type"] for pk, item in agreements(api, country="UZ").items()} == {
        "kz-uz-readmission": "readmission",
        "kz-uz-labour-migration-2019": "labour_migration",
        "kz-uz-migration-cooperation-2019": "migration_cooperation",  # on illegal migration
        "kz-uz-mutual-travel-2000": "mutual_travel",
        "kz-uz-mutual-travel-2022": "mutual_travel",
        "kz-kg-uz-migration-cooperation-1997": "migration_cooperation",
    }
    assert set(agreements(api, country="UZ", type="readmission")) == {"kz-uz-readmission"}


def test_the_refugee_convention_is_in_force_for_kazakhstan_from_1999(api):
    assert REFUGEE_CONVENTION in instruments(api, in_force_for_kazakhstan_on="2000-01-01")
    assert REFUGEE_CONVENTION not in instruments(api, in_force_for_kazakhstan_on="1998-01-01")
    assert instruments(api, on="2000-01-01")[REFUGEE_CONVENTION]["in_force_for_kazakhstan"] is True
    assert instruments(api, on="1998-01-01")[REFUGEE_CONVENTION]["in_force_for_kazakhstan"] is False
    assert detail(api, "instruments", REFUGEE_CONVENTION)["entry_into_force_kz"] == "1999-04-15"


def test_the_eu_kazakhstan_epca_is_provisionally_applied_then_in_force(api):
    assert instruments(api, on="2017-01-01")[EU_KAZAKHSTAN_EPCA]["status"] == Status.PROVISIONALLY_APPLIED
    assert EU_KAZAKHSTAN_EPCA not in instruments(api, in_force_on="2017-01-01")
    assert instruments(api, on="2021-01-01")[EU_KAZAKHSTAN_EPCA]["status"] == Status.IN_FORCE
    assert EU_KAZAKHSTAN_EPCA in instruments(api, in_force_on="2021-01-01")


# --------------------------------------------------------------------------- statuses


def differing_statuses(api):
    """{kb id: (file's words, confidence, status computed)} where they disagree on 2026-12-01."""
    computed = statuses_on(api, COVERAGE_DAY)
    return {
        record["kb_id"]: (record["status_2026_12_01"], record["confidence"], computed[record["kb_id"]])
        for record in RECORDS.values()
        if record["confidence"] in ("verified", "believed")
        and computed[record["kb_id"]] not in meant(record["status_2026_12_01"])
    }


def test_the_status_on_2026_12_01_agrees_with_the_files_but_for_the_differences_listed(api):
    differing = differing_statuses(api)
    new = {pk: found for pk, found in differing.items() if pk not in DIFFERENCES}
    fixed = set(DIFFERENCES) - set(differing)
    assert set(differing) == set(DIFFERENCES), f"new (add with a reason): {new}; fixed (remove): {fixed}"


def test_the_verified_statuses_differ_only_where_the_entry_into_force_is_unknown(api):
    differing = differing_statuses(api)
    verified = {pk for pk, (_words, confidence, _status) in differing.items() if confidence == "verified"}
    assert verified == VERIFIED_DIFFERENCES
    assert {differing[pk][2] for pk in verified} == {Status.UNKNOWN}


def test_every_status_in_the_files_has_one_reading():
    for record in RECORDS.values():
        if record["confidence"] in ("verified", "believed"):
            assert meant(record["status_2026_12_01"])


# --------------------------------------------------------------------------- provenance


def test_every_provenance_row_has_a_source_and_a_confidence(api):
    for kind in ("instruments", "agreements"):
        for pk, item in listing(api, kind, fields="*").items():
            for field, rows in item["provenance"].items():
                for row in rows:
                    assert row["source"], (kind, pk, field)
                    assert row["confidence"] in Confidence.values, (kind, pk, field, row["confidence"])


def believed_rows(item):
    return [
        (field, row) for field, rows in item["provenance"].items() for row in rows if row["confidence"] == "believed"
    ]


def page(api, pk):
    response = api.get(f"/en/instruments/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


BELIEVED_MARK = '<span class="confidence confidence-believed">'


def test_a_believed_fact_says_believed_on_its_page(api):
    eli = detail(api, "instruments", ASYLUM_PROCEDURES_DIRECTIVE)["provenance"]["eli"]
    assert [row["confidence"] for row in eli] == ["believed"]
    html = page(api, ASYLUM_PROCEDURES_DIRECTIVE)
    assert f"{BELIEVED_MARK}{Confidence.BELIEVED.label}</span>" in html
    assert escape(eli[0]["note"]) in html.split(BELIEVED_MARK, 1)[1]


@pytest.mark.slow  # a sweep of every record: make check leaves it to make test
def test_every_coverage_instrument_with_a_believed_fact_says_believed_on_its_page(api):
    with_believed = {pk for pk, item in instruments(api, fields="*").items() if pk in KB_IDS and believed_rows(item)}
    assert len(with_believed) > 90
    silent = {pk for pk in sorted(with_believed) if BELIEVED_MARK not in page(api, pk)}
    assert silent == set(PAGES_WITHOUT_BELIEVED)
