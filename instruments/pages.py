"""Queries shared by the web pages: computed status and "last updated" as SQL annotations,
so a page needs one query for its records, whatever their number."""

from django.db import models
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat

from .lifecycle import Status, today

STATUS_ORDER = [Status.IN_FORCE, Status.NOT_YET_IN_FORCE, Status.NO_LONGER_IN_FORCE]


def with_computed_status(queryset, on=None):
    """Annotate `computed_status` (the same rules as `status_on`, evaluated in SQL)."""
    on = on or today()
    whens = [When(queryset.status_q(status, on), then=Value(status.value)) for status in STATUS_ORDER]
    return queryset.annotate(
        computed_status=Case(*whens, default=Value(Status.UNKNOWN.value), output_field=models.CharField()))


def with_last_updated(queryset):
    """Annotate `last_updated`: the latest change in the record's history (django-simple-history),
    else the record's own `updated_at` (rows bulk-loaded without signals have no history)."""
    history = queryset.model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return queryset.annotate(last_updated=Coalesce(Subquery(history.values("history_date")[:1]), "updated_at"))


# Separators that never occur in text: ASCII unit and record separators.
UNIT, RECORD = "\x1f", "\x1e"


class JoinedText(models.Aggregate):
    """GROUP_CONCAT (SQLite) / STRING_AGG (PostgreSQL) of one text expression, with a separator."""

    function = "GROUP_CONCAT"
    output_field = models.TextField()

    def __init__(self, expression, separator, **extra):
        super().__init__(expression, Value(separator), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def joined_rows(queryset, link_field, fields):
    """Subquery: the rows of `queryset` linked to the outer record, as one text value.

    Used to bring a small list (an instrument's subjects) into the record's own query;
    `split_rows` turns it back into dicts. Plain text rather than JSON, because SQLite
    checks its JSON support with extra queries the first time JSON functions are used.
    """
    parts = []
    for field in fields:
        parts += [field, Value(UNIT)]
    return Subquery(
        queryset.filter(**{link_field: OuterRef("pk")}).order_by().values(link_field)
        .annotate(rows=JoinedText(Concat(*parts[:-1], output_field=models.TextField()), RECORD))
        .values("rows")[:1],
        output_field=models.TextField(),
    )


def split_rows(value, fields):
    if not value:
        return []
    return [dict(zip(fields, row.split(UNIT))) for row in value.split(RECORD)]


FACETS = ("kind", "level", "jurisdiction", "status", "year")


def instrument_facets(filterset, on=None):
    """Counts per kind, level, jurisdiction, status, year and subject for an InstrumentFilter, in two queries.

    Each facet's counts apply every filter except its own (as the API's facets do), so
    a reader who picked "directive" still sees how many regulations there are. Rather
    than one query per facet, the records matching the non-facet filters are grouped
    once by every facet column, and each facet is summed in Python from those groups;
    a second grouping by subject gives the subject facet. The total is the count of the
    filtered list, so the paginator needs no COUNT query of its own.
    """
    from collections import Counter

    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from .models import Jurisdiction, Kind, Level, Subject

    cleaned = filterset.form.cleaned_data
    base = filterset.queryset.all()
    for name, value in cleaned.items():
        if name not in FACETS and name not in ("subject", "ordering"):
            base = filterset.filters[name].filter(base, value)
    base = with_computed_status(base.order_by(), on).annotate(year=ExtractYear("date_adopted"))
    with_subject = filterset.filters["subject"].filter(base, cleaned.get("subject"))
    selected = {"kind": cleaned.get("kind"), "level": cleaned.get("level"),
                "jurisdiction": cleaned.get("jurisdiction"), "status": cleaned.get("status")}
    columns = ("kind", "level", "jurisdiction", "computed_status", "year")
    groups = list(with_subject.values(*columns).annotate(n=Count("pk")))
    subject_groups = list(base.filter(subjects__isnull=False)
                          .values(*columns, "subjects").annotate(n=Count("pk")))

    def matches(row, except_facet=None):
        return all(not value or facet == except_facet
                   or str(row["computed_status" if facet == "status" else facet]) == value
                   for facet, value in selected.items())

    counters = {facet: Counter() for facet in FACETS}
    total = 0
    for row in groups:
        if matches(row):
            total += row["n"]
            counters["year"][row["year"]] += row["n"]
        for facet in ("kind", "level", "jurisdiction", "status"):
            if matches(row, except_facet=facet):
                counters[facet][row["computed_status" if facet == "status" else facet]] += row["n"]
    subject_counts = Counter()
    for row in subject_groups:
        if matches(row):
            subject_counts[row["subjects"]] += row["n"]
    subjects = Subject.objects.filter(pk__in=list(subject_counts)) if subject_counts else Subject.objects.none()

    def choices(facet, enum):
        return [{"value": value, "label": label, "count": counters[facet][value]}
                for value, label in enum.choices if counters[facet][value] or selected.get(facet) == value]

    return {
        "total": total,
        "kind": choices("kind", Kind),
        "level": choices("level", Level),
        "jurisdiction": choices("jurisdiction", Jurisdiction),
        "status": choices("status", Status),
        "subject": sorted(({"value": s.code, "label": str(s), "count": subject_counts[s.code], "scheme": s.scheme}
                           for s in subjects), key=lambda item: (item["scheme"], str(item["label"]))),
        "year": [{"value": year, "label": str(year), "count": counters["year"][year]}
                 for year in sorted((y for y in counters["year"] if y is not None), reverse=True)],
    }


def instrument_jsonld(instrument, facts, request):
    """schema.org Legislation JSON-LD for the page head, built by the API's own builder
    (instruments.api_jsonld) from the rows this page has already fetched — no extra query."""
    from django.urls import NoReverseMatch, reverse

    from .api_jsonld import document
    from .api_support import absolute

    def api_or_page(pk):
        try:
            return absolute(request, reverse("api:instrument-detail", args=[pk]))
        except NoReverseMatch:
            return absolute(request, reverse("web:instrument-detail", args=[pk]))

    def iso(value):
        return value.isoformat() if value else None

    item = {field: getattr(instrument, field) for field in (
        "id", "kind", "jurisdiction", "eli", "celex", "number", "adilet_code", "issuing_body",
        "publication_reference", "date_adopted_precision", "date_published_precision",
        "entry_into_force_precision", "end_of_validity_precision",
        *(f"{name}_{code}" for name in ("title", "short_title", "summary") for code in ("en", "ru", "kk")))}
    item.update({
        "url": api_or_page(instrument.pk),
        "html_url": absolute(request, instrument.get_absolute_url()),
        "date_adopted": iso(instrument.date_adopted), "date_published": iso(instrument.date_published),
        "entry_into_force": iso(instrument.entry_into_force), "end_of_validity": iso(instrument.end_of_validity),
        "status": instrument.computed_status,
        "subjects": facts["subjects"],
        "official_texts": [{"url": t.url, "language": t.language, "publisher": t.publisher, "kind": t.kind}
                           for t in facts["texts"]],
        "relationships": [
            {"type": entry["rel"].type, "instrument_url": api_or_page(entry["other"].pk),
             "direction": "outgoing" if entry["rel"].subject_id == instrument.pk else "incoming"}
            for entry in facts["related"]],
    })
    return document([item])
