"""Page-number pagination with a documented maximum page size, validated strictly, and a
list's count kept per data version."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

from core.counts import counted

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


# Parameters that change how a list shows its rows, not which: a list's pages, orderings and
# field selections share one count.
NOT_COUNTED = {"page", "page_size", "fields", "omit", "ordering", "format", "facets"}


class CountPerDataVersion(Paginator):
    """Django's Paginator, with the count kept per data version, day and the list's filters
    (core/counts.py): the COUNT of a broad filter is most of a page's cost."""

    def __init__(self, object_list, per_page, filters=""):
        super().__init__(object_list, per_page)
        self.filters = filters

    @cached_property
    def count(self):
        return counted(self.filters, self.object_list.count)


def counted_filters(request):
    """The list and the filters that decide its rows, as one string."""
    params = sorted(
        (name, value) for name, values in request.GET.lists() if name not in NOT_COUNTED for value in values
    )
    return "\n".join([request.path, *(f"{name}={value}" for name, value in params)])


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
        self.keyset = None
        if request.query_params.get("cursor"):
            return self.paginate_by_cursor(queryset, request, view)
        page_number = parse_positive_int("page", request.query_params.get("page"), MAX_PAGE) or 1
        size = parse_positive_int("page_size", request.query_params.get("page_size"), MAX_PAGE_SIZE)
        size = size or self.page_size
        paginator = CountPerDataVersion(queryset, size, counted_filters(request))
        offset = (page_number - 1) * size
        rows = page_rows(queryset, offset, size)
        if 0 < len(rows) < size or (not rows and page_number == 1):
            paginator.count = offset + len(rows)
        elif not rows:
            raise InvalidParameters({"page": [f"There are {paginator.num_pages} page(s) of results."]})
        self.page = Page(rows, page_number, paginator)
        self.request = request
        return rows

    def paginate_by_cursor(self, queryset, request, view):
        """`?cursor=start`, then `next`: keyset pages in id order, so a page deep in the list costs
        what the first does; `next` carries on. Page numbers stay for people."""
        clashing = {name: [f"Give cursor= or {name}=, not both."] for name in ("page", "ordering")}
        clashing = {name: message for name, message in clashing.items() if name in request.query_params}
        if clashing:
            raise InvalidParameters(clashing)
        self.keyset = ListCursor()
        rows = self.keyset.paginate_queryset(queryset, request, view)
        self.count = CountPerDataVersion(queryset, 1, counted_filters(request)).count
        return rows

    def get_paginated_response(self, data, facets=None):
        if self.keyset is not None:
            links = {"next": self.keyset.get_next_link(), "previous": self.keyset.get_previous_link()}
            body = {"count": self.count, **links, "results": data}
        else:
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
        ] + ([CURSOR_PARAMETER] if "cursor" in view.accepted_parameters() else [])


CURSOR_PARAMETER = {
    "name": "cursor",
    "required": False,
    "in": "query",
    "description": "Keyset pages instead of page numbers: `start` to begin, then take it from `next` "
    "(id order; not with page= or ordering=). A page deep in the list costs what the first does.",
    "schema": {"type": "string"},
}
# The value that begins a keyset walk (an empty value means "not given", as everywhere).
CURSOR_START = "start"


class ListCursor(CursorPagination):
    """DRF's cursor pagination in primary-key order (an id, a country's code): unique, so the
    cursor is the last key and needs no offset."""

    ordering = ("pk",)
    page_size = DEFAULT_PAGE_SIZE

    def get_page_size(self, request):
        return parse_positive_int("page_size", request.query_params.get("page_size"), MAX_PAGE_SIZE) or self.page_size

    def decode_cursor(self, request):
        if request.query_params.get(self.cursor_query_param) == CURSOR_START:
            return None  # DRF's first page
        try:
            return super().decode_cursor(request)
        except Exception:  # DRF's NotFound("Invalid cursor")
            raise InvalidParameters({"cursor": ["Not a cursor this list gave; follow `next` as it is."]}) from None
