"""The citable data package export_kb writes (issue 12): `frictionless validate` passes on it,
its SQLite database opens with its keys intact, its checksums hold; CITATION.cff at the
repository root; the /data/ page lists the release and says how to cite it, in three languages."""

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command
from frictionless import validate

from datafiles import package


def descriptor(release):
    return json.loads((release / "datapackage.json").read_text(encoding="utf-8"))


def test_frictionless_validate_passes_on_the_package(release):
    report = validate(str(release / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    # The same with the command-line tool, as a researcher runs it.
    run = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "datapackage.json"],
        cwd=release,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-2000:]


def test_every_csv_has_a_table_schema_with_keys_and_descriptions(release):
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in descriptor(release)["resources"]}
    for table in manifest["tables"]:
        resource = resources[table["csv"]]
        schema = resource["schema"]
        assert schema["primaryKey"] == [schema["fields"][0]["name"]], table  # "id", or a country's "code"
        assert all(field["type"] for field in schema["fields"])
        assert all(field.get("description") for field in schema["fields"]), table
        assert resource["hash"] == f"sha256:{manifest['files'][table['csv']]}"
    party = resources["agreements.party.csv"]["schema"]
    assert {(k["fields"][0], k["reference"]["resource"]) for k in party["foreignKeys"]} == {
        ("agreement", "agreements.agreement"),
        ("country", "countries.country"),
    }
    fields = {f["name"]: f for f in resources["instruments.instrument.csv"]["schema"]["fields"]}
    assert fields["date_adopted"]["type"] == "date"
    assert fields["cited_in_article"]["type"] == "boolean"
    assert fields["kind"]["constraints"]["required"] is True and "directive" in fields["kind"]["constraints"]["enum"]
    assert descriptor(release)["licenses"][0]["name"] == "CC-BY-4.0"


def test_frictionless_finds_a_broken_foreign_key(release, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in release.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    party = broken / "agreements.party.csv"
    lines = party.read_text(encoding="utf-8").splitlines()
    row = lines[1].split(",")
    lines[1] = ",".join(row[:-1] + ["XX"])
    party.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = descriptor(broken)
    for resource in data["resources"]:
        resource.pop("hash", None)
    (broken / "datapackage.json").write_text(json.dumps(data), encoding="utf-8")
    report = validate(str(broken / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_the_sqlite_database_has_every_row_and_its_keys_hold(release):
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(f"file:{release / package.SQLITE}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        from django.apps import apps

        for table in manifest["tables"]:
            name = apps.get_model(table["table"])._meta.db_table
            assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == table["rows"], name
        year = db.execute(
            "SELECT date_adopted_precision, cited_in_article FROM instruments_instrument WHERE id = 'eu-dir-2009-50'"
        ).fetchone()
        assert year == ("day", 1)
    finally:
        db.close()


def test_checksums_licence_and_citation_are_in_the_package(release):
    sums = dict(reversed(line.split("  ", 1)) for line in (release / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == {p.name for p in release.iterdir()} - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name
    version = descriptor(release)["version"]
    assert version.startswith(package.project_version() + "+data.")
    assert "CC BY 4.0" in (release / "LICENSE-DATA.md").read_text(encoding="utf-8")
    cff = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == version
    readme = (release / "README.md").read_text(encoding="utf-8")
    assert "## How to cite" in readme and version in readme


def test_a_named_release(kb, tmp_path):
    call_command("export_kb", str(tmp_path), "--release", "1.0.0", verbosity=0)
    assert descriptor(tmp_path)["version"] == "1.0.0"
    assert json.loads((tmp_path / "manifest.json").read_text())["version"] == "1.0.0"


def test_citation_cff_at_the_root_has_the_cff_shape():
    cff = yaml.safe_load((settings.BASE_DIR / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["message"] and cff["title"] and cff["authors"]
    assert all("name" in author or "family-names" in author for author in cff["authors"])
    assert cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0"
    assert set(cff) <= {
        "cff-version", "message", "type", "title", "abstract", "authors", "version", "license", "keywords",
        "date-released", "doi", "identifiers", "repository-code", "url", "preferred-citation", "references",
    }  # fmt: skip
    try:
        from cffconvert.cli.create_citation import create_citation
    except ImportError:
        return
    create_citation(str(settings.BASE_DIR / "CITATION.cff"), None).validate()


def test_the_data_page_lists_the_release_and_says_how_to_cite(client, kb, release, settings):
    settings.KB_DATA_RELEASE_DIR = str(release)
    version = descriptor(release)["version"]
    for language in ("en", "ru", "kk"):
        response = client.get(f"/{language}/data/")
        assert response.status_code == 200
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        assert 'href="/data/datapackage.json"' in page and 'href="/data/kzmigration.sqlite3"' in page
        assert version in page and 'id="cite-heading"' in page
        assert 'rel="license"' in page
    download = client.get("/data/datapackage.json")
    assert download.status_code == 200 and download["Content-Type"] == "application/json"
    assert "attachment" in download["Content-Disposition"]
    assert json.loads(b"".join(download.streaming_content))["version"] == version
    assert client.get("/data/settings.py").status_code == 404
    assert client.get("/data/..%2Fmanage.py").status_code == 404
    home = client.get("/en/").content.decode()
    assert 'href="/en/data/"' in home


def test_the_data_page_without_a_release(client, kb, settings, tmp_path):
    settings.KB_DATA_RELEASE_DIR = str(tmp_path / "none")
    page = client.get("/en/data/").content.decode()
    assert "No release is published on this server yet." in page
    assert "How to cite" in page and package.project_version() in page
    assert client.get("/data/datapackage.json").status_code == 404
