"""No edit lost: load_kb keeps what was changed in the database, dump_kb writes it to the files."""

import filecmp
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from countries.models import Country
from datafiles.registry import loaded_record_model
from errata.models import Discrepancy
from instruments.models import Instrument
from sources.models import Provenance
from tests.recorded import records

from .conftest import edit

pytestmark = pytest.mark.django_db

RESOLUTION = "instruments/kz-pp-2022-961.yaml"


def load(**options):
    out = io.StringIO()
    call_command("load_kb", stdout=out, **options)
    return out.getvalue()


def yaml_files(directory):
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*.yaml"))


def test_files_load_dump_is_byte_identical(tmp_path):
    call_command("dump_kb", data_dir=str(tmp_path), verbosity=0)
    real = settings.BASE_DIR / "fixtures"
    assert yaml_files(tmp_path) == yaml_files(real)
    # a file per instrument, agreement and discrepancy, and the five shared files (sources, countries, …)
    per_record = sum(
        len(records(label)) for label in ("instruments.Instrument", "agreements.Agreement", "errata.Discrepancy")
    )
    assert len(yaml_files(real)) == per_record + 5
    _match, mismatch, errors = filecmp.cmpfiles(real, tmp_path, yaml_files(real), shallow=False)
    assert (mismatch, errors) == ([], [])


def test_an_edit_in_the_database_survives_a_load_and_is_named():
    resolution = Instrument.objects.get(pk="kz-pp-2022-961")
    resolution.status_note = "edited in the admin"
    resolution.save()
    output = load()
    assert (
        f"kept the database's edit of {RESOLUTION}; run dump_kb to write it to the file, or load_kb "
        f"--overwrite to replace it"
    ) in output
    assert Instrument.objects.get(pk="kz-pp-2022-961").status_note == "edited in the admin"
    assert "Knowledge base loaded" in output


def test_overwrite_replaces_the_edit_with_the_file():
    resolution = Instrument.objects.get(pk="kz-pp-2022-961")
    original = resolution.status_note
    resolution.status_note = "edited in the admin"
    resolution.save()
    output = load(overwrite=True)
    assert "kept" not in output and "1 records loaded" in output
    assert Instrument.objects.get(pk="kz-pp-2022-961").status_note == original
    assert Instrument.history.filter(id="kz-pp-2022-961").latest("history_date").history_change_reason == (
        "Loaded from data files by load_kb"
    )
    assert "0 rows changed" in load()


def test_dump_writes_the_edit_and_a_following_load_changes_nothing(data_dir):
    provenance_row = Provenance.objects.get(pk="instrument-kz-pp-2022-961-all-adilet-zan-kz-compare-29bc92")
    provenance_row.note = "Checked again in the admin."
    provenance_row.save()
    call_command("dump_kb", data_dir=str(data_dir), verbosity=0)
    assert "note: Checked again in the admin." in (data_dir / RESOLUTION).read_text(encoding="utf-8")
    changed = [
        p
        for p in yaml_files(data_dir)
        if (data_dir / p).read_bytes() != (settings.BASE_DIR / "fixtures" / p).read_bytes()
    ]
    assert changed == [RESOLUTION]
    output = load(data_dir=str(data_dir))
    assert "kept" not in output and "0 records loaded, 0 deleted, 0 rows changed." in output


def test_an_edited_table_entry_is_kept_and_named_by_its_key():
    Country.objects.filter(pk="NO").update(name_en="Norway (edited)")
    assert "kept the database's edit of countries.yaml#NO" in load()
    assert Country.objects.get(pk="NO").name_en == "Norway (edited)"


def test_a_deleted_file_deletes_its_record(data_dir):
    (data_dir / "discrepancies" / "ref1-typo.yaml").unlink()
    output = load(data_dir=str(data_dir))
    assert "0 records loaded, 1 deleted" in output
    assert not Discrepancy.objects.filter(pk="ref1-typo").exists()
    assert not Provenance.objects.filter(object_id="ref1-typo").exists()
    assert not loaded_record_model().objects.filter(path="discrepancies/ref1-typo.yaml").exists()
    assert Discrepancy.history.filter(id="ref1-typo").latest("history_date").history_type == "-"


def test_a_deleted_file_of_a_record_edited_since_keeps_the_record(data_dir):
    Discrepancy.objects.filter(pk="ref1-typo").update(summary="edited in the admin")
    (data_dir / "discrepancies" / "ref1-typo.yaml").unlink()
    assert "kept discrepancies/ref1-typo.yaml: its file was deleted" in load(data_dir=str(data_dir))
    assert Discrepancy.objects.get(pk="ref1-typo").summary == "edited in the admin"


def test_a_record_created_in_the_database_is_kept_named_and_dumped(data_dir):
    Discrepancy.objects.create(
        id="made-in-admin",
        category="typo",
        summary="s",
        description="d",
        article_quotes=["A.J. Narimbaeva"],
        confidence="verified",
    )
    assert (
        "kept discrepancies/made-in-admin.yaml, which exists only in the database (created there, never "
        "dumped); run dump_kb to write it to a file"
    ) in load()
    assert Discrepancy.objects.filter(pk="made-in-admin").exists()
    call_command("dump_kb", data_dir=str(data_dir), verbosity=0)
    assert (data_dir / "discrepancies" / "made-in-admin.yaml").read_text(encoding="utf-8") == (
        "id: made-in-admin\ncategory: typo\nsummary: s\ndescription: d\narticle_quotes:\n  - A.J. Narimbaeva\n"
        "confidence: verified\n"
    )
    assert "kept" not in load(data_dir=str(data_dir))


def test_a_record_deleted_in_the_database_stays_deleted_until_overwrite():
    Discrepancy.objects.get(pk="ref1-typo").delete()
    assert "kept the database's deletion of discrepancies/ref1-typo.yaml" in load()
    assert not Discrepancy.objects.filter(pk="ref1-typo").exists()
    load(overwrite=True)
    assert Discrepancy.objects.filter(pk="ref1-typo").exists()


def test_admin_rows_get_ids_in_the_files_scheme():
    row = Provenance.objects.get(pk="instrument-kz-pp-2022-961-all-adilet-zan-kz-compare-29bc92")
    again = Provenance.objects.create(
        content_type=row.content_type, object_id=row.object_id, field="*", source=row.source, confidence="verified"
    )
    assert again.pk == f"{row.pk}-2"
    first = Provenance.objects.create(
        content_type=row.content_type, object_id=row.object_id, field="celex", source=row.source, confidence="verified"
    )
    assert first.pk == "instrument-kz-pp-2022-961-celex-adilet-zan-kz-compare-29bc92"


def test_a_change_of_subjects_alone_is_one_history_entry_of_the_instrument(data_dir):
    edit(data_dir, "instruments/eu-dir-2003-86.yaml", lambda data: data["subjects"]["value"].remove("entry_visa"))
    before = Instrument.history.filter(id="eu-dir-2003-86").count()
    assert "1 records loaded" in load(data_dir=str(data_dir))
    assert "entry_visa" not in Instrument.objects.get(pk="eu-dir-2003-86").subjects.values_list("code", flat=True)
    assert Instrument.history.filter(id="eu-dir-2003-86").count() == before + 1
