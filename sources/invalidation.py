"""Which record pages a provenance row changes (core.versioning): those of the record it
supports, as that record's own model registered them. A source shows on every page that
cites it: it is left unregistered, so a change to a source makes every page stale."""

from django.contrib.contenttypes.models import ContentType

from core.versioning import records_touched, register_record_pages

from .models import Provenance


def supported_record(row):
    model = ContentType.objects.get_for_id(row.content_type_id).model_class()
    record = model._base_manager.filter(pk=row.object_id).first() if model else None
    return None if record is None else records_touched(record)


def register():
    register_record_pages(Provenance, supported_record)
