"""Dates as known (issue 12): every date with a precision is also given as EDTF / ISO 8601
reduced precision (`2012`, `2012-12`, `2012-12-14`; null when unknown) in `<date>_edtf`, and the
CSV writes that form in the date's own column, so no tool reads a year as a day. Checked with
the standard library's csv module on real records."""

import csv
import datetime
import io

import pytest

from core.dates import edtf
from core.lifecycle import Precision

pytestmark = pytest.mark.django_db

ADDRESS = "kz-address-2012-kazakhstan-2050"  # adopted in December 2012, the day not confirmed
KG_2019 = "kz-kg-migration-cooperation-2019"  # ratification law of 2021, known to the year
AM_ACCESSION = "eaeu-treaty-2014-accession-am"  # Kazakhstan's ratification: 2014, known to the year


def csv_rows(response):
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_edtf_writes_only_what_is_known():
    day = datetime.date(2012, 12, 14)
    assert edtf(day, Precision.DAY) == "2012-12-14"
    assert edtf(datetime.date(2012, 12, 1), Precision.MONTH) == "2012-12"
    assert edtf(datetime.date(2012, 1, 1), Precision.YEAR) == "2012"
    assert edtf(datetime.date(987, 1, 1), Precision.YEAR) == "0987"
    assert edtf(None, Precision.UNKNOWN) is None
    assert edtf(day, Precision.UNKNOWN) is None


def test_the_kazakhstan_2050_address_is_dated_to_the_month(api):
    item = api.get(f"/api/v1/instruments/{ADDRESS}/").json()
    assert (item["date_adopted"], item["date_adopted_precision"], item["date_adopted_edtf"]) == (
        "2012-12-01",
        "month",
        "2012-12",
    )
    assert (item["entry_into_force"], item["entry_into_force_edtf"]) == (None, None)  # not_found: stays empty
    [row] = [row for row in csv_rows(api.get("/api/v1/instruments/", {"format": "csv"})) if row["id"] == ADDRESS]
    assert row["date_adopted"] == "2012-12"
    assert row["date_adopted_precision"] == "month"
    assert row["entry_into_force"] == ""
    assert "date_adopted_edtf" not in row  # the date's own column holds it


def test_a_year_precision_date_is_a_year_in_csv(api):
    item = api.get(f"/api/v1/agreements/{KG_2019}/").json()
    assert (item["ratification_law_date"], item["ratification_law_date_precision"]) == ("2021-01-01", "year")
    assert item["ratification_law_date_edtf"] == "2021"
    assert item["date_signed_edtf"] == "2019-11-27"
    [row] = [row for row in csv_rows(api.get("/api/v1/agreements/", {"format": "csv"})) if row["id"] == KG_2019]
    assert (row["ratification_law_date"], row["date_signed"]) == ("2021", "2019-11-27")

    item = api.get(f"/api/v1/instruments/{AM_ACCESSION}/").json()
    assert (item["kz_ratification_date_precision"], item["kz_ratification_date_edtf"]) == ("year", "2014")
    [row] = [row for row in csv_rows(api.get("/api/v1/instruments/", {"format": "csv"})) if row["id"] == AM_ACCESSION]
    assert row["kz_ratification_date"] == "2014"


@pytest.mark.parametrize("name", ["instruments", "agreements"])
def test_every_date_with_a_precision_has_its_edtf_companion_and_csv_column(api, name):
    items = api.get(f"/api/v1/{name}/", {"page_size": 200, "fields": "*"}).json()["results"]
    rows = {row["id"]: row for row in csv_rows(api.get(f"/api/v1/{name}/", {"format": "csv"}))}
    checked = set()
    for item in items:
        for key in item:
            if not key.endswith("_precision"):
                continue
            date = key.removesuffix("_precision")
            value = item[date] and datetime.date.fromisoformat(item[date])
            assert item[f"{date}_edtf"] == edtf(value or None, item[key]), (item["id"], date)
            assert rows[item["id"]][date] == (item[f"{date}_edtf"] or ""), (item["id"], date)
            checked.add(item[key])
        for edge in item.get("relationships", []):
            value = edge["date_effective"] and datetime.date.fromisoformat(edge["date_effective"])
            assert edge["date_effective_edtf"] == edtf(value or None, edge["date_effective_precision"])
    assert {"day", "unknown"} <= checked
    # No year- or month-precision date is written as a full day anywhere in the CSV.
    for item in items:
        for key in item:
            if key.endswith("_precision") and item[key] in ("year", "month"):
                date = key.removesuffix("_precision")
                assert len(rows[item["id"]][date]) == (4 if item[key] == "year" else 7)


def test_memberships_give_their_dates_as_known(api):
    country = api.get("/api/v1/countries/CZ/").json()
    [eu] = [m for m in country["memberships"] if m["organisation"] == "eu"]
    assert (eu["date_from_edtf"], eu["date_until_edtf"]) == ("2004-05-01", None)


def test_the_schema_documents_the_edtf_fields(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]
    field = schema["Instrument"]["properties"]["date_adopted_edtf"]
    assert field["type"] == "string" and field["nullable"] is True
    assert field["pattern"] == "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
    assert "ratification_law_date_edtf" in schema["Agreement"]["properties"]
    assert "date_from_edtf" in schema["MembershipRow"]["properties"]
