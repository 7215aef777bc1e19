"""Which instrument pages a write changes (core.versioning): the pages of an instrument show
its own rows and the labels of the instruments it is related to, nothing of other records."""

from django.db.models import Q

from core.versioning import register_record_pages

from .models import Instrument, InstrumentParty, OfficialText, Provision, Relationship


def neighbours(pk):
    """The instrument and those whose pages name it through a relationship."""
    pairs = Relationship.objects.filter(Q(subject_id=pk) | Q(object_id=pk)).values_list("subject_id", "object_id")
    return {("instrument", pk)} | {("instrument", other) for pair in pairs for other in pair}


def own_instrument(row):
    return {("instrument", row.instrument_id)}


def register():
    register_record_pages(Instrument, lambda instrument: neighbours(instrument.pk))
    register_record_pages(Relationship, lambda rel: {("instrument", rel.subject_id), ("instrument", rel.object_id)})
    for model in (Provision, OfficialText, InstrumentParty, Instrument.subjects.through):
        register_record_pages(model, own_instrument)
