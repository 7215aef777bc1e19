"""A small list of related rows brought into a record's own query, on SQLite and PostgreSQL alike.

`joined_rows` aggregates the rows linked to the outer record into one text value (one
correlated subquery, no query of its own); `split_rows` turns it back into dicts. Plain text
rather than JSON, because SQLite checks its JSON support with extra queries the first time
JSON functions are used. Django 5.2's StringAgg is PostgreSQL-only.
"""

from functools import lru_cache

from django.db import models
from django.db.models import F, Func, IntegerField, OuterRef, Subquery, Value

# Separators that never occur in text: ASCII unit and record separators.
UNIT, RECORD = "\x1f", "\x1e"


class JoinedText(models.Func):
    """GROUP_CONCAT (SQLite) / STRING_AGG (PostgreSQL) of one text expression, with a separator.

    An aggregate that Django does not see as one (no `contains_aggregate`): in a correlated
    subquery it aggregates every row the WHERE clause keeps, so no GROUP BY and LIMIT are
    written, and PostgreSQL plans a plain Aggregate (planning the grouped form cost more than
    running it)."""

    function = "GROUP_CONCAT"
    output_field = models.TextField()

    def __init__(self, expression, separator, **extra):
        super().__init__(expression, Value(separator), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra_context)


class RowText(models.Func):
    """The fields of one row as one text value, separated by UNIT; a NULL field is empty.

    Written out by hand: Django's Concat nests a pair of COALESCEs per field, and resolving
    and compiling those cost more than running the query."""

    output_field = models.TextField()

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, field_params = compiler.compile(expression)
            if connection.vendor == "postgresql":
                sql = f"({sql})::text"
            if parts:
                params.append(UNIT)
            parts.append(f"COALESCE({sql}, '')")
            params += field_params
        return "(" + " || %s || ".join(parts) + ")", params


@lru_cache(maxsize=64)
def joined_rows(model, link_field, fields, **filters):
    """Subquery: the rows of `model` (under `filters`) whose `link_field` is the outer record, as
    one text value.

    Built once per process: Django copies an expression before resolving it into a query, so
    one serves every query and thread, and building it anew cost more than compiling it (about
    a millisecond per list per request)."""
    row = RowText(*fields)
    return Subquery(
        model._default_manager.filter(**filters, **{link_field: OuterRef("pk")})
        .order_by()
        .annotate(rows=JoinedText(row, RECORD))
        .values("rows"),
        output_field=models.TextField(),
    )


def split_rows(value, fields):
    if not value:
        return []
    return [dict(zip(fields, row.split(UNIT), strict=True)) for row in value.split(RECORD)]


def count_of(queryset, expression="pk", distinct=False):
    """Subquery: the number of rows of `queryset` (distinct values of `expression`), as one scalar."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(n=Func(F(expression), function="COUNT", template=template))
    return Subquery(counted.values("n")[:1], output_field=IntegerField())
