"""Which record pages a write to a discrepancy changes (core.versioning): those of the
instruments and agreements it concerns. Deleting one deletes its links first, and each
deleted link names its record."""

from core.versioning import register_record_pages

from .models import Discrepancy


def concerned(discrepancy):
    if discrepancy.pk is None:
        return None
    return {("instrument", pk) for pk in discrepancy.instruments.values_list("pk", flat=True)} | {
        ("agreement", pk) for pk in discrepancy.agreements.values_list("pk", flat=True)
    }


def register():
    register_record_pages(Discrepancy, concerned)
    register_record_pages(Discrepancy.instruments.through, lambda row: {("instrument", row.instrument_id)})
    register_record_pages(Discrepancy.agreements.through, lambda row: {("agreement", row.agreement_id)})
