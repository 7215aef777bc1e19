"""Prefetches that bring a page's provenance along in one query, whatever its length."""

from django.db.models import F, Prefetch

from .models import Provenance


def provenance_prefetch(to_attr="provenance_rows"):
    """The records' own provenance (their `provenance` GenericRelation), in API order, with the
    source's address: one query for a page, the source read as one column."""
    rows = (
        Provenance.objects.annotate(source_url=F("source__url"))
        .only("object_id", "content_type_id", "field", "source_id", "confidence", "locator", "quote", "note")
        .order_by("field", "source_id", "id")
    )
    return Prefetch("provenance", queryset=rows, to_attr=to_attr)


def provenance_prefetches(view):
    """[the provenance prefetch] when the view's answer has provenance (`fields=` / `omit=`), else []."""
    return [provenance_prefetch()] if view.wants_field("provenance") else []
