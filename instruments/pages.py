"""Queries shared by the web pages: computed status and "last updated" as SQL annotations,
so a page needs one query for its records, whatever their number."""

from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from .lifecycle import Status, today

def with_computed_status(queryset, on=None):
    """Annotate `computed_status` (the same rules as `status_on`, evaluated in SQL)."""
    return queryset.annotate(computed_status=queryset.status_case(on or today()))


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


FACETS = ("kind", "level", "jurisdiction", "status", "subject")


def filtered_without(filterset, facet):
    """The filterset's records under every filter except `facet` (values already validated)."""
    queryset = filterset.queryset.all()
    for name, value in filterset.form.cleaned_data.items():
        if name not in (facet, "ordering"):
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset


def instrument_facets(filterset, on=None):
    """Counts per kind, level, jurisdiction, status, subject and year for a valid InstrumentFilter.

    Each facet counts under every filter except its own (as the API's facets do), so a
    reader who picked "directive" still sees how many regulations there are. All facets and
    the list's total come from one UNION ALL query (instruments.facets), plus one query for
    the subjects' labels; the total doubles as the paginator's count.
    """
    from django.db.models import F
    from django.db.models.functions import ExtractYear

    from .facets import facet_counts_in_one_query
    from .models import Jurisdiction, Kind, Level, Subject

    on = on or today()
    status = filterset.queryset.status_case(on)
    everything = filtered_without(filterset, None)
    counts = facet_counts_in_one_query([
        ("total", everything, Value("all", output_field=models.CharField())),
        ("year", everything, ExtractYear("date_adopted")),
        ("kind", filtered_without(filterset, "kind"), F("kind")),
        ("level", filtered_without(filterset, "level"), F("level")),
        ("jurisdiction", filtered_without(filterset, "jurisdiction"), F("jurisdiction")),
        ("status", filtered_without(filterset, "status"), status),
        ("subject", filtered_without(filterset, "subject"), F("subjects")),
    ])
    selected = {name: filterset.form.cleaned_data.get(name) for name in FACETS}
    subjects = Subject.objects.filter(pk__in=list(counts["subject"])) if counts["subject"] else Subject.objects.none()

    def choices(facet, enum):
        return [{"value": value, "label": label, "count": counts[facet].get(value, 0)}
                for value, label in enum.choices if counts[facet].get(value) or selected.get(facet) == value]

    return {
        "total": counts["total"].get("all", 0),
        "kind": choices("kind", Kind),
        "level": choices("level", Level),
        "jurisdiction": choices("jurisdiction", Jurisdiction),
        "status": choices("status", Status),
        "subject": sorted(({"value": s.code, "label": str(s), "count": counts["subject"][s.code], "scheme": s.scheme}
                           for s in subjects), key=lambda item: (item["scheme"], str(item["label"]))),
        "year": [{"value": int(year), "label": year, "count": count}
                 for year, count in sorted(counts["year"].items(), key=lambda item: -int(item[0]))],
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
