"""Removing every synthetic row (gen_synthetic --clear), and nothing else."""

from django.db import connection

from agreements.models import Agreement, Party
from errata.models import Discrepancy
from instruments.models import Instrument, OfficialText, Provision, Relationship
from sources.models import Provenance, Source
from subjects.models import Subject
from synthetic.distributions import PREFIX, SOURCE_ID


def clear():
    """Delete every synthetic row with plain SQL deletes, in dependency order.

    The ORM's cascading delete would load each record and write a change-history row
    for it; these rows have no history, and their ids say what they are.
    """
    synthetic_instruments = Instrument.objects.filter(is_synthetic=True).values("pk")
    synthetic_agreements = Agreement.objects.filter(is_synthetic=True).values("pk")
    steps = [
        Provenance.objects.filter(id__startswith=PREFIX),
        Provenance.objects.filter(object_id__startswith=PREFIX),
        Relationship.objects.filter(subject__in=synthetic_instruments),
        Relationship.objects.filter(object__in=synthetic_instruments),
        Instrument.subjects.through.objects.filter(instrument__in=synthetic_instruments),
        Discrepancy.instruments.through.objects.filter(instrument__in=synthetic_instruments),
        Discrepancy.agreements.through.objects.filter(agreement__in=synthetic_agreements),
        OfficialText.objects.filter(instrument__in=synthetic_instruments),
        Provision.objects.filter(instrument__in=synthetic_instruments),
        Party.objects.filter(agreement__in=synthetic_agreements),
        Instrument.objects.filter(is_synthetic=True),
        Agreement.objects.filter(is_synthetic=True),
        Subject.objects.filter(code__startswith=PREFIX),
        Source.objects.filter(id=SOURCE_ID),
    ]
    removed = 0
    for queryset in steps:
        removed += queryset._raw_delete(connection.alias)
    return removed
