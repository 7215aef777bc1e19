"""A CSV export is one request: past KB_CSV_MAX_ROWS rows it is a 400 before any row is written,
never a file cut off by the server's request timeout (bench/worst.py measured a full export of
20,000 instruments at about 30 s, the gunicorn timeout)."""

import csv
import io

import pytest

from instruments.models import Instrument

from .common import error_of

pytestmark = pytest.mark.django_db


def csv_lines(response):
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_an_export_past_the_cap_is_refused_and_says_why(client, settings):
    settings.KB_CSV_MAX_ROWS = 10
    total = Instrument.objects.count()
    error = error_of(client.get("/api/v1/instruments/?format=csv"), 400)
    message = error["parameters"]["format"][0]
    assert f"at most 10 rows and this list has {total:,}" in message
    assert "/en/data/" in message


def test_an_export_within_the_cap_has_every_row(client, settings):
    eu = Instrument.objects.filter(jurisdiction="eu").count()
    settings.KB_CSV_MAX_ROWS = eu
    assert len(csv_lines(client.get("/api/v1/instruments/?format=csv&jurisdiction=eu"))) == eu + 1
    settings.KB_CSV_MAX_ROWS = eu - 1
    error_of(client.get("/api/v1/instruments/?format=csv&jurisdiction=eu"), 400)


def test_the_cap_holds_for_the_tables_and_the_events_and_0_turns_it_off(client, settings):
    settings.KB_CSV_MAX_ROWS = 5
    for url in ("/api/v1/provenance/?format=csv", "/api/v1/events/?format=csv&from=1950-01-01&to=1999-12-31"):
        assert "at most 5 rows" in error_of(client.get(url), 400)["parameters"]["format"][0], url
    settings.KB_CSV_MAX_ROWS = 0
    events = csv_lines(client.get("/api/v1/events/?format=csv&from=1950-01-01&to=1999-12-31"))
    assert len(events) > 6
    assert client.get("/api/v1/events/?from=1950-01-01&to=1999-12-31").json()["count"] == len(events) - 1


def test_the_default_cap_keeps_every_real_table_whole(client):
    from django.conf import settings

    assert settings.KB_CSV_MAX_ROWS == 5000
    rows = len(csv_lines(client.get("/api/v1/provenance/?format=csv"))) - 1
    assert rows == client.get("/api/v1/provenance/?page_size=1").json()["count"] <= 5000
