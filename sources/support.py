"""What each source supports: the records whose provenance cites it, counted and ranked in SQL,
so that a page shows the first few of a source's records without reading all of them (at
10,000 synthetic instruments the generator's source supports every one)."""

from django.db.models import Count, F, Window
from django.db.models.functions import DenseRank


def cited(records):
    """`records` (a queryset of a model with a `provenance` relation) joined once per provenance
    row citing them, a record without provenance left out."""
    return records.filter(provenance__isnull=False)


def supported_counts(records):
    """{source id: how many of `records` it supports}, in one grouped query. A record cited for
    several fields is one record: counted distinct."""
    rows = cited(records).order_by().values("provenance__source").annotate(supported=Count("pk", distinct=True))
    return {row["provenance__source"]: row["supported"] for row in rows}


def first_supported(records, order, per_source):
    """[(source id, record id)]: the first `per_source` of `records` each source supports, in
    `order` within each source, in one query whatever the number of records.

    A window ranks every (source, record) pair in the database and only the first leave it.
    DenseRank, not RowNumber: a record cited for several fields joins once per field, and those
    rows must share one place in the source's list. Only the pair and its place are sorted, not
    the records' wide rows (their titles made the sort spill to disk at 10,000 instruments)."""
    ranked = (
        cited(records)
        .annotate(place=Window(DenseRank(), partition_by=[F("provenance__source")], order_by=order))
        .filter(place__lte=per_source)
        .values_list("provenance__source", "pk", "place")
        .distinct()
        .order_by("provenance__source", "place")
    )
    return [(source_id, pk) for source_id, pk, _place in ranked]
