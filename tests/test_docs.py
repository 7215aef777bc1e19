"""Docs stay true to the code."""

from django.core.management import call_command

from instruments.codebook import codebook


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
        "protocol",
        "directive",
        "regulation",
        "law",
        "government_resolution",
        "policy_address",
    ]
