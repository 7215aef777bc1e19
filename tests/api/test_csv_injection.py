"""CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR)
are neutralised with a leading single quote, OWASP's rule, in every CSV of the API; JSON keeps
the value as entered."""

import csv
import io
import json

import pytest

from api.renderers import csv_value
from countries.models import Membership
from sources.models import Source

pytestmark = pytest.mark.django_db


def csv_rows(response):
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


@pytest.mark.parametrize(
    "value, cell",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("plain = text", "plain = text"),
        ("", ""),
    ],
)
def test_csv_value_neutralises_formulas(value, cell):
    assert csv_value(value) == cell


def test_numbers_and_booleans_are_written_as_they_are():
    assert (csv_value(-5), csv_value(True), csv_value(None)) == ("-5", "true", "")


def test_a_staff_entered_source_is_neutralised_in_csv_and_kept_in_json(api):
    Source.objects.create(
        id="staff-entered",
        kind="secondary",
        citation='=HYPERLINK("http://evil.example","click")',
        publisher="@SUM(1+1)",
        note="-1+1 entered in the admin",
    )
    rows = {row["id"]: row for row in csv_rows(api.get("/api/v1/sources/", {"format": "csv"}))}
    row = rows["staff-entered"]
    assert row["citation"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["publisher"] == "'@SUM(1+1)"
    assert row["note"] == "'-1+1 entered in the admin"
    item = api.get("/api/v1/sources/staff-entered/").json()
    assert item["citation"] == '=HYPERLINK("http://evil.example","click")'


def test_a_staff_entered_membership_note_is_neutralised_in_the_table_csv(api):
    Membership.objects.create(organisation_id="eu", country_id="IT", note="+cmd|' /C calc'!A0")
    [row] = csv_rows(api.get("/api/v1/memberships/", {"country": "IT", "format": "csv"}))
    assert row["note"] == "'+cmd|' /C calc'!A0"


def test_the_data_package_csv_neutralises_formulas_and_its_json_keeps_the_value(tmp_path):
    from django.core.management import call_command

    Source.objects.create(id="staff-entered-export", kind="secondary", citation="=1+2", publisher="@evil")
    call_command("export_kb", str(tmp_path / "release"), verbosity=0)
    [row] = [
        r
        for r in csv.DictReader((tmp_path / "release" / "sources.source.csv").open())
        if r["id"] == "staff-entered-export"
    ]
    assert (row["citation"], row["publisher"]) == ("'=1+2", "'@evil")
    records = json.loads((tmp_path / "release" / "sources.source.json").read_text())
    [record] = [r for r in records if r["pk"] == "staff-entered-export"]
    assert record["fields"]["citation"] == "=1+2"
