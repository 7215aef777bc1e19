"""Docs stay true to the code."""

from django.core.management import call_command

from datafiles.codebook import codebook


def test_codebook_is_current():
    call_command("codebook", "--check")


def test_codebook_documents_every_instrument_field_and_vocabulary():
    tables = {table["table"]: table for table in codebook()["tables"]}
    instrument_fields = {field["name"] for field in tables["instruments.Instrument"]["fields"]}
    assert {"eli_path", "celex", "adilet_code", "entry_into_force_precision", "title_kk_kind"} <= instrument_fields
    kinds = next(f for f in tables["instruments.Instrument"]["fields"] if f["name"] == "kind")["values"]
    assert kinds == [
        "treaty",
        "agreement",
        "convention",
        "protocol",
        "directive",
        "regulation",
        "decision",
        "framework_decision",
        "law",
        "code",
        "presidential_decree",
        "government_resolution",
        "ministerial_order",
        "policy_concept",
        "policy_address",
        "legislative_proposal",
        "draft",
    ]
    for name in ("date_application", "date_provisional_application", "procedure_stage", "entry_into_force_kz"):
        assert name in instrument_fields, name


def test_the_data_entry_example_is_a_real_data_file():
    from django.conf import settings

    doc = (settings.BASE_DIR / "docs" / "data-entry.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example == (settings.BASE_DIR / "fixtures" / "agreements" / "kz-at-readmission.yaml").read_text(
        encoding="utf-8"
    )
