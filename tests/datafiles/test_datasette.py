"""The data package's SQLite database opens in Datasette as it is (issue 12): Datasette 0.65.5,
in this process (its ASGI app through `Datasette.client`), lists every table with the rows of its
CSV, serves a known record by its primary key and follows its foreign keys."""

import asyncio
import concurrent.futures
import csv
import io
import json

import pytest
from datasette.app import Datasette

from datafiles import package

# The release fixture exports the test database; pytest-django sets one up only for marked tests.
pytestmark = pytest.mark.django_db

DATABASE = package.SQLITE.removesuffix(".sqlite3")  # Datasette names a database after its file


def ask(release, *paths):
    """Datasette's JSON answers to some GETs, with the database opened read-only (immutable)."""

    async def run():
        datasette = Datasette(immutables=[str(release / package.SQLITE)])
        answers = []
        for path in paths:
            response = await datasette.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            answers.append(response.json())
        return answers

    # In a thread of its own: Playwright's sync API (the browser tests, on the same worker)
    # leaves an event loop running in this one, where asyncio.run() refuses to start.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def csv_rows(release, name):
    return list(csv.DictReader(io.StringIO((release / name).read_text(encoding="utf-8"))))


def test_datasette_lists_every_table_with_the_rows_of_its_csv(release):
    from django.apps import apps

    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    [database] = ask(release, f"/{DATABASE}.json")
    counts = {table["name"]: table["count"] for table in database["tables"]}
    expected = {}
    for table in manifest["tables"]:
        rows = len(csv_rows(release, table["csv"]))
        assert rows == table["rows"], table["csv"]
        expected[apps.get_model(table["table"])._meta.db_table] = rows
    assert counts == expected
    assert counts["instruments_instrument"] > 100 and counts["agreements_agreement"] > 30


def test_datasette_serves_an_instrument_by_its_key_as_the_csv_has_it(release):
    [row], [answer] = (
        ask(release, f"/{DATABASE}/instruments_instrument/eu-dir-2013-32.json?_shape=objects")[0]["rows"],
        [r for r in csv_rows(release, "instruments.instrument.csv") if r["id"] == "eu-dir-2013-32"],
    )
    assert row["id"] == "eu-dir-2013-32"
    assert row["number"] == "2013/32/EU"
    assert row["title_en"].startswith(
        "Directive 2013/32/EU of the European Parliament and of the Council of 26 June 2013 on common procedures"
    )
    assert row["title_en"] == answer["title_en"]
    assert row["date_adopted"] == "2013-06-26" and row["kind"] == "directive"


def test_datasette_filters_selects_columns_and_follows_foreign_keys(release):
    filtered, labelled = ask(
        release,
        f"/{DATABASE}/instruments_instrument.json?_shape=array&_col=number&number=2013/32/EU",
        f"/{DATABASE}/agreements_party.json?_shape=objects&_labels=on&agreement=kz-benelux-readmission&_sort=country",
    )
    assert filtered == [{"id": "eu-dir-2013-32", "number": "2013/32/EU"}]
    parties = {row["country"]["value"]: row["agreement"]["value"] for row in labelled["rows"]}
    assert parties == dict.fromkeys(["BE", "KZ", "LU", "NL"], "kz-benelux-readmission")
