"""No data lost: export → empty database → import → export gives identical files, and an
import that finds anything wrong changes nothing and names the record and the field."""

import hashlib
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from agreements.models import Agreement
from countries.models import Country
from datafiles.management.commands.export_kb import FORMAT_VERSION, TABLES, unlisted_models
from instruments.models import Instrument
from sources.models import Provenance


def export(directory, verbosity=0):
    call_command("export_kb", str(directory), verbosity=verbosity)
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in TABLES}


def rewrite(directory, name, change):
    """Change one file with `change(data)` and update its checksum, as a careless editor might."""
    path = directory / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"][name] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """export_kb of the session's knowledge base, once for the module (each test starts from
    that same committed data, so a per-test export wrote the same files)."""
    directory = tmp_path_factory.mktemp("roundtrip") / "dump"
    with django_db_blocker.unblock():
        export(directory)
    return directory


@pytest.fixture
def dump(exported, kb, tmp_path):
    """A copy of the module's export, for a test to read or break."""
    directory = tmp_path / "dump"
    shutil.copytree(exported, directory)
    return directory


def test_every_knowledge_base_table_is_in_the_dump():
    assert unlisted_models() == []


@pytest.mark.slow  # a sweep of every record (or parameter): make check leaves it to make test
def test_export_empty_import_export_gives_identical_files(kb, tmp_path):
    before_counts = counts()
    first = export(tmp_path / "first")

    call_command("flush", "--noinput", verbosity=0)
    assert sum(counts().values()) == 0

    call_command("import_kb", str(tmp_path / "first"), verbosity=0)
    assert counts() == before_counts
    second = export(tmp_path / "second")
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], f"{name} differs after the round trip"
    # And the data means the same: the Benelux agreement still has its three partners.
    benelux = Agreement.objects.with_partner("LU").get()
    assert sorted(country.code for country in benelux.partners) == ["BE", "LU", "NL"]


def test_the_dump_is_versioned_and_checksummed(dump):
    manifest = json.loads((dump / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "kzmigration-kb-dump"
    assert manifest["format_version"] == FORMAT_VERSION
    assert set(manifest["schema"]) == {"countries", "sources", "subjects", "instruments", "agreements", "errata"}
    tables = {table["table"]: table for table in manifest["tables"]}
    assert tables["agreements.agreement"]["rows"] == Agreement.objects.count()
    assert tables["countries.country"]["rows"] == Country.objects.count()
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((dump / name).read_bytes()).hexdigest() == digest
    assert {"codebook.md", "codebook.json"} <= set(manifest["files"])
    codebook = json.loads((dump / "codebook.json").read_text(encoding="utf-8"))
    assert "agreements.Agreement" in {table["table"] for table in codebook["tables"]}


def test_csv_has_the_same_rows_as_json(dump):
    import csv

    rows = list(csv.DictReader((dump / "agreements.party.csv").open(encoding="utf-8")))
    records = json.loads((dump / "agreements.party.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in rows] == [record["pk"] for record in records]
    assert [row["country"] for row in rows] == [record["fields"]["country"] for record in records]
    provenance = list(csv.DictReader((dump / "sources.provenance.csv").open(encoding="utf-8")))
    apps = {"countries", "sources", "subjects", "instruments", "agreements", "errata"}
    assert {row["content_type"].split(".")[0] for row in provenance} == apps


def test_export_shows_progress_per_table(kb, tmp_path, capsys):
    call_command("export_kb", str(tmp_path / "d"), verbosity=1)
    out = capsys.readouterr().out
    assert f"[1/{len(TABLES)}] countries.country: {Country.objects.count()} rows" in out
    assert f"agreements.agreement: {Agreement.objects.count()} rows" in out


def test_import_into_a_full_database_needs_replace(dump):
    with pytest.raises(CommandError, match="already holds records.*--replace"):
        call_command("import_kb", str(dump), verbosity=0)


def test_replace_import_restores_the_dump(dump, capsys):
    Agreement.objects.filter(pk=Agreement.objects.order_by("pk").first().pk).update(note="changed after export")
    call_command("import_kb", str(dump), "--replace", verbosity=1)
    out = capsys.readouterr().out
    assert "Checked" in out and "rows written" in out and "Validated" in out
    assert not Agreement.objects.filter(note="changed after export").exists()


def test_a_damaged_file_is_refused_before_anything_changes(dump):
    path = dump / "instruments.instrument.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"eu"', '"xx"', 1), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=r"instruments\.instrument\.json: checksum mismatch"):
        call_command("import_kb", str(dump), "--replace", verbosity=0)
    assert counts() == before


def test_an_invalid_record_is_named_with_its_field_and_nothing_changes(dump):
    victim = Agreement.objects.order_by("pk").first()
    before_counts, before_listing = counts(), victim.article_listing

    def corrupt(records):
        for record in records:
            if record["pk"] == victim.pk:
                record["fields"]["article_listing"] = "bogus"

    rewrite(dump, "agreements.agreement.json", corrupt)
    with pytest.raises(CommandError) as failure:
        call_command("import_kb", str(dump), "--replace", verbosity=0)
    message = str(failure.value)
    assert "nothing was changed" in message
    assert f"agreements.agreement '{victim.pk}' field 'article_listing'" in message
    assert "bogus" in message
    assert counts() == before_counts
    victim.refresh_from_db()
    assert victim.article_listing == before_listing


def test_a_dangling_reference_is_refused(dump):
    def orphan(records):
        records[0]["fields"]["country"] = "ZZ"  # no such country in the dump

    rewrite(dump, "agreements.party.json", orphan)
    before = counts()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_kb", str(dump), "--replace", verbosity=0)
    assert counts() == before


def test_a_record_of_the_wrong_table_is_refused(dump):
    def smuggle(records):
        records.append({"model": "countries.country", "pk": "QQ", "fields": {}})

    rewrite(dump, "agreements.party.json", smuggle)
    with pytest.raises(CommandError, match=r"agreements\.party\.json: holds a countries\.country record"):
        call_command("import_kb", str(dump), "--replace", verbosity=0)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("format_version", 99, "format_version 99 is not supported"),
        ("format", "something-else", "expected 'kzmigration-kb-dump'"),
        ("schema", {"instruments": "0000_bogus", "agreements": "0000_bogus"}, "differs from this database"),
    ],
)
def test_an_incompatible_manifest_is_refused(dump, field, value, message):
    path = dump / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest[field] = value
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_kb", str(dump), "--replace", verbosity=0)
    assert Instrument.objects.exists() and Provenance.objects.exists()


def test_a_directory_without_a_manifest_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no manifest"):
        call_command("import_kb", str(tmp_path), verbosity=0)
