"""Facet counts for several facets in one SQL query.

Each facet counts under its own filtered queryset (every filter except the facet's own),
so each is its own GROUP BY; UNION ALL puts them in one statement, one round trip:

    counts = facet_counts_in_one_query([
        ("kind", kind_queryset, F("kind")),
        ("status", status_queryset, status_case_expression),
        ("subject", subject_queryset, F("subjects")),
        ("cited_in_article", cited_queryset, F("cited_in_article")),
    ])
    counts["kind"] == {"directive": 120, "law": 14, …}

Values come back as strings ("true"/"false" for booleans, on SQLite and PostgreSQL alike);
empty values (NULL) are left out; rows are counted once per facet value (DISTINCT pk where
a join could repeat a row; see counts_each_row_once).
"""

from django.db import models
from django.db.models import Count, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Cast

BOOLEAN_TEXT = {"1": "true", "0": "false", "t": "true", "f": "false", "true": "true", "false": "false"}


def counts_each_row_once(grouped):
    """Whether COUNT(*) is exact for this grouping, so the costly COUNT(DISTINCT pk) is not needed.

    Without a join each row is one record; a join (a filter across a relation, a facet on a
    reverse foreign key) may repeat a record. DISTINCT sorts or hashes every row.
    """
    return not (tables_in_use(grouped.query) - {grouped.model._meta.db_table})


def through_table_rows(queryset, expression):
    """A many-to-many facet (F("subjects")) as rows of its through table: (rows, expression).

    Grouping the through table's pairs of the matching records (all of them when nothing
    is filtered) needs no join with the records' own table, which at 100,000 instruments
    cost more than all other facets together. Anything else comes back as it was given.
    """
    if not (isinstance(expression, models.F) and LOOKUP_SEP not in expression.name):
        return queryset, expression
    field = queryset.model._meta.get_field(expression.name)
    if not field.many_to_many or field.auto_created:
        return queryset, expression
    through = field.remote_field.through
    rows = through._default_manager.all()
    if queryset.query.where or queryset.query.is_empty():
        rows = rows.filter(**{f"{field.m2m_field_name()}__in": queryset.order_by().values("pk")})
    return rows, models.F(field.m2m_reverse_field_name())


def tables_in_use(query):
    """Tables a query really joins (Django keeps trimmed joins in alias_map with no references)."""
    return {query.alias_map[alias].table_name for alias, references in query.alias_refcount.items() if references}


def facet_counts_in_one_query(facets):
    """facets: [(name, queryset, expression)] → {name: {value: count}} from one query."""
    selects = []
    booleans = set()
    for name, queryset, expression in facets:
        queryset, expression = through_table_rows(queryset, expression)
        probe = queryset.order_by()  # a copy: resolving a reference may add joins to its query
        resolved = probe.query.resolve_ref(expression.name) if hasattr(expression, "name") else expression
        if isinstance(getattr(resolved, "output_field", None), models.BooleanField):
            booleans.add(name)
        grouped = queryset.order_by().annotate(facet_value=Cast(expression, models.CharField()))
        selects.append(
            grouped.values("facet_value")
            .annotate(
                facet_count=Count("pk", distinct=not counts_each_row_once(grouped)),
                facet_name=Value(name, output_field=models.CharField()),
            )
            .values_list("facet_name", "facet_value", "facet_count")
        )
    result = {name: {} for name, _queryset, _expression in facets}
    if not selects:
        return result
    combined = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    for name, value, count in combined:
        if value is None:
            continue
        if name in booleans:
            value = BOOLEAN_TEXT.get(str(value).lower(), value)
        result[name][value] = result[name].get(value, 0) + count
    return result
