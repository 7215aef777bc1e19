"""Queries shared by the web pages: computed status and "last updated" as SQL annotations,
so a page needs one query for its records, whatever their number."""

from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When

from .lifecycle import Status, today

STATUS_ORDER = [Status.IN_FORCE, Status.NOT_YET_IN_FORCE, Status.NO_LONGER_IN_FORCE]


def with_computed_status(queryset, on=None):
    """Annotate `computed_status` (the same rules as `status_on`, evaluated in SQL)."""
    on = on or today()
    whens = [When(queryset.status_q(status, on), then=Value(status.value)) for status in STATUS_ORDER]
    return queryset.annotate(
        computed_status=Case(*whens, default=Value(Status.UNKNOWN.value), output_field=models.CharField()))


def with_last_updated(queryset):
    """Annotate `last_updated`: the latest change in the record's history (django-simple-history)."""
    history = queryset.model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return queryset.annotate(last_updated=Subquery(history.values("history_date")[:1]))


class JSONGroupArray(models.Aggregate):
    """Rows of a subquery as one JSON array, on SQLite and PostgreSQL (one query instead of two)."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_rows(queryset, link_field, **fields):
    """Subquery: the rows of `queryset` linked to the outer record, as a list of dicts."""
    from django.db.models.functions import JSONObject

    return Subquery(
        queryset.filter(**{link_field: OuterRef("pk")}).order_by().values(link_field)
        .annotate(rows=JSONGroupArray(JSONObject(**fields))).values("rows")[:1],
        output_field=models.JSONField(),
    )


def instrument_facets(queryset, on=None):
    """Counts per kind, level, jurisdiction, year, status and subject over `queryset`, in three queries.

    Returns {facet: [{"value", "label", "count"}]} in display order; values with no record are left out.
    """
    from collections import Counter

    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from .models import Instrument, Jurisdiction, Kind, Level, Subject

    queryset = queryset.order_by()
    counters = {"kind": Counter(), "level": Counter(), "jurisdiction": Counter(), "year": Counter()}
    rows = (queryset.annotate(year=ExtractYear("date_adopted"))
            .values("kind", "level", "jurisdiction", "year").annotate(n=Count("pk")))
    total = 0
    for row in rows:
        total += row["n"]
        for name in counters:
            if row[name] is not None:
                counters[name][row[name]] += row["n"]
    on = on or today()
    statuses = queryset.aggregate(**{
        status.value: Count("pk", filter=Instrument.objects.status_q(status, on)) for status in Status})
    through = Instrument.subjects.through
    subjects = (Subject.objects.filter(pk__in=through.objects.filter(instrument__in=queryset.values("pk"))
                                       .values("subject"))
                .annotate(n=Count("instruments", filter=Q(instruments__in=queryset.values("pk"))))
                .order_by("scheme", "code"))

    def choices(name, enum):
        return [{"value": value, "label": label, "count": counters[name][value]}
                for value, label in enum.choices if counters[name][value]]

    return {
        "total": total,
        "kind": choices("kind", Kind),
        "level": choices("level", Level),
        "jurisdiction": choices("jurisdiction", Jurisdiction),
        "status": [{"value": s.value, "label": s.label, "count": statuses[s.value]} for s in Status
                   if statuses[s.value]],
        "subject": [{"value": s.code, "label": str(s), "count": s.n} for s in subjects],
        "year": [{"value": year, "label": str(year), "count": counters["year"][year]}
                 for year in sorted(counters["year"], reverse=True)],
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
