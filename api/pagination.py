"""Page-number pagination with a documented maximum page size, validated strictly."""

from django.core.paginator import Page
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .errors import InvalidParameters
from .parameters import parse_positive_int

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000

FACETS_SCHEMA = {
    "type": "object",
    "description": "Present when ?facets= is given: for each facet, counts per value under every filter "
    "except the facet's own.",
    "additionalProperties": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
            "required": ["value", "count"],
        },
    },
}


def page_rows(queryset, offset, size):
    """The rows of one page. Past the first page, the page's ids are chosen first (ORDER BY …
    OFFSET over the bare table) and the rows with their per-row sub-queries computed for those
    ids only: PostgreSQL otherwise computed every row's sub-queries before skipping the offset
    (the last page of 200 at 20,000 instruments: 1.8 s of 2.3 s in that one query). Still one query."""
    if offset and isinstance(queryset, QuerySet) and not queryset.query.combinator and queryset.ordered:
        ids = queryset.values("pk")[offset : offset + size]
        return list(queryset.filter(pk__in=ids))
    return list(queryset[offset : offset + size])


class Pagination(PageNumberPagination):
    """DRF's page numbers, except that a page past the end is a 400 naming the number of pages,
    and the last page is counted from its rows (a broad filter's COUNT is most of its cost)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        page_number = parse_positive_int("page", request.query_params.get("page"), MAX_PAGE) or 1
        size = parse_positive_int("page_size", request.query_params.get("page_size"), MAX_PAGE_SIZE)
        size = size or self.page_size
        paginator = self.django_paginator_class(queryset, size)
        offset = (page_number - 1) * size
        rows = page_rows(queryset, offset, size)
        if 0 < len(rows) < size or (not rows and page_number == 1):
            paginator.count = offset + len(rows)
        elif not rows:
            raise InvalidParameters({"page": [f"There are {paginator.num_pages} page(s) of results."]})
        self.page = Page(rows, page_number, paginator)
        self.request = request
        return rows

    def get_paginated_response(self, data, facets=None):
        body = {
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        }
        if facets is not None:
            body["facets"] = facets
        return Response(body)

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["facets"] = FACETS_SCHEMA
        return result

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Results per page: default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
