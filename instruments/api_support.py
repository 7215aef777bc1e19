"""Shared machinery of the read-only REST API (v1).

- one JSON error shape for every error: {"error": {"status", "code", "message", "parameters"?}}
- strict query parameters: unknown, repeated, overlong or NUL-bearing ones are a 400
- pagination with a documented maximum page size, validated strictly
- CSV (all matching rows, streamed) and JSON-LD renderers
- facets: counts per value under every filter except the facet's own, all in one UNION ALL query
- conditional GET: ETag and Last-Modified from one cheap query on the data's last change
- anonymous throttling with a fixed-window counter (O(1) per request, rate from settings)
- an AutoSchema that documents all of the above in the OpenAPI schema
"""

import csv
import datetime
import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, renderers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from . import cache as kb_cache
from .facets import facet_counts_in_one_query
from .lifecycle import today
from .models import Source
from .renderers import OrjsonRenderer

logger = logging.getLogger(__name__)

# For the schema's enum names (drf-spectacular cannot import a nested class by path).
SOURCE_KIND_CHOICES = Source.Kind.choices

MAX_PARAMETER_LENGTH = 200
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000


# --------------------------------------------------------------------------- errors


def error_body(status, code, message, parameters=None):
    body = {"status": status, "code": code, "message": message}
    if parameters:
        body["parameters"] = parameters
    return {"error": body}


class InvalidParameters(exceptions.APIException):
    """400 with one list of messages per offending query parameter."""

    status_code = 400
    default_code = "invalid_parameters"

    def __init__(self, parameters, message="Some query parameters are not valid; see 'parameters'."):
        self.parameters = {name: [str(m) for m in messages] for name, messages in parameters.items()}
        super().__init__(message)


ERROR_CODES = {
    400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 415: "unsupported_media_type", 429: "throttled", 500: "server_error",
}


def api_exception_handler(exc, context):
    """REST framework's exception handler, in the API's one error shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such resource.")
    if not isinstance(exc, exceptions.APIException):
        logger.exception("Unhandled error in the API", exc_info=exc)
        return Response(error_body(500, "server_error", "Internal error; it has been logged."), status=500)
    status = exc.status_code
    if isinstance(exc, InvalidParameters):
        body = error_body(status, "invalid_parameters", str(exc.detail), exc.parameters)
    elif isinstance(exc.detail, dict):
        parameters = {key: [str(m) for m in (value if isinstance(value, list) else [value])]
                      for key, value in exc.detail.items()}
        body = error_body(status, "invalid_parameters", "Some query parameters are not valid.", parameters)
    else:
        detail = exc.detail[0] if isinstance(exc.detail, list) and exc.detail else exc.detail
        body = error_body(status, ERROR_CODES.get(status, "error"), str(detail))
    headers = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    if isinstance(exc, exceptions.MethodNotAllowed):
        view = context.get("view")
        if view is not None:
            headers["Allow"] = ", ".join(view.allowed_methods)
    response = Response(body, status=status, headers=headers)
    response.exception = True
    return response


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any path under /api/ that names no resource: a 404 in the API's error shape.

    A resource address without its trailing slash is redirected, as APPEND_SLASH would
    (this catch-all would otherwise keep CommonMiddleware from doing it).
    """
    if not request.path.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    response = JsonResponse(error_body(404, "not_found", "No API resource at this address; see /api/v1/."),
                            status=404)
    patch_cache_control(response, no_store=True)
    return response


# --------------------------------------------------------------------------- strict parameters


def check_query_parameters(request, accepted):
    """Refuse unknown, repeated, overlong or NUL-bearing query parameters (400).

    An empty value (`kind=`) means "not given", as an HTML form sends an untouched field.
    """
    problems = {}
    accepted_list = ", ".join(sorted(accepted)) or "none"
    for name in request.query_params:
        values = request.query_params.getlist(name)
        shown = name.replace("\x00", "\\0")[:60]
        if name not in accepted:
            problems[shown] = [f'Unknown parameter "{shown}". Accepted parameters: {accepted_list}.']
        elif len(values) > 1:
            problems[name] = ["Given more than once; give it once (several values: separate with commas "
                              "where the parameter allows it)."]
        elif len(values[0]) > MAX_PARAMETER_LENGTH:
            problems[name] = [f"Too long: at most {MAX_PARAMETER_LENGTH} characters."]
        elif "\x00" in values[0]:
            problems[name] = ["Null characters are not allowed."]
    if problems:
        raise InvalidParameters(problems)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, but an invalid value is a 400 in the API's error shape, never ignored."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise InvalidParameters(filterset.errors)
        view.filterset = filterset
        return filterset.qs


# --------------------------------------------------------------------------- pagination


def parse_positive_int(name, value, maximum):
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,7}", value) or not 1 <= int(value) <= maximum:
        raise InvalidParameters({name: [f"Give a whole number from 1 to {maximum}."]})
    return int(value)


class Pagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        page_number = parse_positive_int("page", request.query_params.get("page"), MAX_PAGE) or 1
        size = parse_positive_int("page_size", request.query_params.get("page_size"), MAX_PAGE_SIZE)
        size = size or self.page_size
        paginator = self.django_paginator_class(queryset, size)
        offset = (page_number - 1) * size
        rows = list(queryset[offset:offset + size])
        if 0 < len(rows) < size or (not rows and page_number == 1):
            # The last page: how many rows match is known without counting them (one query
            # fewer, and counting is most of the cost of a broad filter on a large table).
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
            {"name": "page", "required": False, "in": "query",
             "description": "Page number, from 1.",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
            {"name": "page_size", "required": False, "in": "query",
             "description": f"Results per page: default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}.",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
        ]


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


class Facet:
    """One facet of a list: what to group by, on which rows, and the values to list.

    expression: an expression, or function(queryset, filterset) → expression (e.g. status on
    the filter's date); rows: optional function(queryset) → the queryset to group (e.g. the
    parties of the matching agreements); choices: values listed even with a zero count.
    """

    def __init__(self, expression, choices=None, rows=None):
        self.expression, self.choices, self.rows = expression, choices, rows

    def spec(self, name, queryset, filterset):
        rows = self.rows(queryset) if self.rows else queryset
        expression = self.expression(queryset, filterset) if callable(self.expression) else self.expression
        return name, rows, expression

    def listing(self, counts):
        values = list(self.choices) if self.choices is not None else sorted(counts)
        return [{"value": value, "count": counts.get(value, 0)} for value in values]


# --------------------------------------------------------------------------- renderers


class CSVRenderer(renderers.BaseRenderer):
    """text/csv; list views stream all matching rows themselves, so this only renders errors' fallbacks."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"" if data is None else str(data).encode("utf-8")


class JSONLDRenderer(OrjsonRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class Echo:
    def write(self, value):
        return value


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def stream_csv(columns, rows, filename):
    """A streamed CSV: a header, then one line per row (rows: an iterator of dicts)."""
    writer = csv.writer(Echo())

    def lines():
        yield writer.writerow([name for name, _getter in columns])
        for row in rows:
            yield writer.writerow([csv_value(getter(row)) for _name, getter in columns])

    response = StreamingHttpResponse((line.encode("utf-8") for line in lines()),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def batched(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --------------------------------------------------------------------------- conditional GET


def data_version():
    """(digest, last_modified) of the whole knowledge base, without a database query.

    The response cache's data version (instruments.cache) changes on every save, delete or
    many-to-many change, at once and again on commit, so an edit always gives a new ETag.
    Today's date is part of it because computed status changes at midnight without any edit.
    """
    day = today()
    midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.timezone.utc)
    last_modified = max(kb_cache.data_last_modified(), midnight)
    digest = hashlib.sha256(f"{kb_cache.data_version()}|{day.isoformat()}".encode()).hexdigest()[:32]
    return digest, last_modified


# --------------------------------------------------------------------------- throttling


class AnonymousRateThrottle(BaseThrottle):
    """Fixed-window counter per client address; rate from settings.API_THROTTLE_ANON ("120/minute", "off")."""

    PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
               "d": 86400, "day": 86400}

    def parse_rate(self):
        rate = str(getattr(settings, "API_THROTTLE_ANON", "") or "off").strip().lower()
        if rate in {"off", "none", "0"}:
            return None
        count, _, period = rate.partition("/")
        return int(count), self.PERIODS[period]

    def allow_request(self, request, view):
        rate = self.parse_rate()
        if rate is None:
            return True
        limit, period = rate
        now = time.time()
        window = int(now // period)
        key = f"api-throttle:{self.get_ident(request)}:{period}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            hits = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            hits = 1
        self.wait_seconds = (window + 1) * period - now
        return hits <= limit

    def wait(self):
        return getattr(self, "wait_seconds", None)


# --------------------------------------------------------------------------- links


SAFE_ID = re.compile(r"[A-Za-z0-9_-]+")
NO_PAGE = object()


def absolute(request, path):
    """scheme://host + path; the base is worked out once per request."""
    if request is None:
        return path
    base = request.__dict__.get("_kb_base_url")
    if base is None:
        base = request.__dict__["_kb_base_url"] = request.build_absolute_uri("/")[:-1]
    return base + path


def _path(request, name, arg=None):
    """reverse(name, [arg]), remembered per request as a prefix: a page of 200 records needs
    a thousand links, and reverse() is the costliest part of building one."""
    prefixes = request.__dict__.setdefault("_kb_url_prefixes", {}) if request is not None else {}
    key = (name, arg is None)
    prefix = prefixes.get(key)
    if prefix is NO_PAGE:
        raise NoReverseMatch(name)
    if prefix is not None and (arg is None or SAFE_ID.fullmatch(arg)):
        return prefix if arg is None else f"{prefix}{arg}/"
    try:
        path = reverse(name, args=[] if arg is None else [arg])
    except NoReverseMatch:
        prefixes[key] = NO_PAGE
        raise
    if arg is None:
        prefixes[key] = path
    elif SAFE_ID.fullmatch(arg) and path.endswith(f"/{arg}/"):
        prefixes[key] = path[: -len(arg) - 1]
    return path


def web_url(request, name, arg=None, fragment=None):
    """Absolute address of a web page by its "web:" URL name, or None where no page exists yet.

    Built in the site's default language so the API's output does not vary with Accept-Language.
    `fragment` points at a record's place on a page that lists several (sources, errata).
    """
    with translation.override(settings.LANGUAGE_CODE):
        try:
            path = _path(request, name, arg)
        except NoReverseMatch:
            return None
    return absolute(request, f"{path}#{fragment}" if fragment else path)


def api_url(request, name, arg):
    return absolute(request, _path(request, f"api:{name}", str(arg)))


# --------------------------------------------------------------------------- views


class JsonErrorsMixin:
    """Errors are JSON in the API's shape whatever format the view otherwise renders."""

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer = OrjsonRenderer()
            request.accepted_media_type = "application/json"
            patch_cache_control(response, no_store=True)
        return super().finalize_response(request, response, *args, **kwargs)


class ReadOnlyViewSet(JsonErrorsMixin, viewsets.ReadOnlyModelViewSet):
    """A public, read-only resource with the API's conventions (see the module docstring).

    Subclasses set: queryset, serializer_class, filterset_class (optional), `facets`
    (name → Facet), `csv_columns`
    ([(column, function(item) → value)]), `extra_formats` (renderers beyond JSON/CSV),
    and `attach(objects)` to fetch related data for a page of objects in few queries.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    pagination_class = Pagination
    filter_backends = [StrictFilterBackend]
    filterset_class = None
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    facets = {}
    csv_columns = []
    extra_formats = []
    filterset = None

    # ------------------------------------------------------------- formats

    def get_renderers(self):
        classes = [OrjsonRenderer]
        if self.action == "list" and self.csv_columns:
            classes.append(CSVRenderer)
        classes.extend(self.extra_formats)
        return [cls() for cls in classes]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:  # DRF's answer to an unknown ?format=
            formats = ", ".join(r.format for r in self.get_renderers())
            raise InvalidParameters({"format": [f"Unknown format here; give one of: {formats}."]})

    def wants(self, renderer_class):
        return isinstance(getattr(self.request, "accepted_renderer", None), renderer_class)

    # ------------------------------------------------------------- parameters

    def accepted_parameters(self):
        accepted = {"format"}
        if self.action == "list":
            accepted |= {"page", "page_size"}
            if self.filterset_class is not None:
                accepted |= set(self.filterset_class.base_filters)
            if self.facets:
                accepted.add("facets")
        return accepted

    def requested_facets(self):
        raw = self.request.query_params.get("facets")
        if not raw:
            return []
        names = [name.strip() for name in raw.split(",") if name.strip()]
        unknown = [name for name in names if name not in self.facets]
        if unknown or not names:
            raise InvalidParameters({"facets": [
                f"Unknown facet(s): {', '.join(unknown) or raw!r}; give any of: {', '.join(self.facets)}."]})
        if not self.wants(renderers.JSONRenderer) or self.wants(JSONLDRenderer):
            raise InvalidParameters({"facets": ["Facets come with JSON lists only (not CSV or JSON-LD)."]})
        return list(dict.fromkeys(names))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            check_query_parameters(request, self.accepted_parameters())
        except InvalidParameters as exc:
            # Report the filters' own complaints in the same answer, so one round trip shows all.
            if self.action == "list" and self.filterset_class is not None:
                data = {name: value for name, value in request.query_params.items()
                        if name in self.filterset_class.base_filters and name not in exc.parameters}
                filterset = self.filterset_class(data, queryset=self.get_queryset(), request=request)
                if not filterset.is_valid():
                    exc.parameters.update({name: [str(m) for m in messages]
                                           for name, messages in filterset.errors.items()})
            raise

    def dispatch(self, request, *args, **kwargs):
        # The API speaks the site's default language: messages and html_url do not vary per client.
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    # ------------------------------------------------------------- conditional GET

    def not_modified(self):
        """304 when the client's copy is current; else None (and headers are remembered)."""
        digest, last_modified = data_version()
        media = getattr(self.request, "accepted_media_type", "")
        key = f"{digest}|{self.request.get_full_path()}|{media}"
        # Weak: the same data, however the bytes are compressed or spaced.
        self.etag = "W/" + quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
        self.last_modified = last_modified
        if_none_match = self.request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = parse_etags(if_none_match)
            plain = self.etag.removeprefix("W/")
            if "*" in tags or any(tag.removeprefix("W/") == plain for tag in tags):
                return Response(status=304)
            return None
        since = parse_http_date_safe(self.request.headers.get("If-Modified-Since", ""))
        if since is not None and int(last_modified.timestamp()) <= since:
            return Response(status=304)
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304) and hasattr(self, "etag"):
            response["ETag"] = self.etag
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
        patch_vary_headers(response, ["Accept"])
        return response

    # ------------------------------------------------------------- actions

    def attach(self, objects):
        """Fetch related data for these objects in a fixed number of queries (override)."""

    def get_object(self):
        obj = super().get_object()
        self.attach([obj])
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.attach(page)
        return page

    def compute_facets(self, names):
        """Every requested facet under every filter but its own, all in one UNION ALL query."""
        specs = []
        base = self.get_queryset()
        for name in names:
            data = self.request.query_params.copy()
            data.pop(name, None)
            filterset = self.filterset_class(data, queryset=base, request=self.request)
            filterset.is_valid()
            specs.append(self.facets[name].spec(name, filterset.qs, filterset))
        counts = facet_counts_in_one_query(specs)
        return {name: self.facets[name].listing(counts[name]) for name in names}

    def list(self, request, *args, **kwargs):
        facet_names = self.requested_facets()
        queryset = self.filter_queryset(self.get_queryset())
        not_modified = self.not_modified()
        if not_modified is not None:
            return not_modified
        if self.wants(CSVRenderer):
            return self.csv_response(queryset)
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        if self.wants(JSONLDRenderer):
            return self.jsonld_list_response(data)
        facets = self.compute_facets(facet_names) if facet_names else None
        return self.paginator.get_paginated_response(data, facets)

    def retrieve(self, request, *args, **kwargs):
        not_modified = self.not_modified()
        if not_modified is not None:
            return not_modified
        data = self.get_serializer(self.get_object()).data
        if self.wants(JSONLDRenderer):
            return Response(self.jsonld_document([data]))
        return Response(data)

    def csv_rows(self, queryset):
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        for chunk in batched(queryset.iterator(chunk_size=500), 500):
            self.attach(chunk)
            yield from serializer_class(chunk, many=True, context=context).data

    def csv_response(self, queryset):
        response = stream_csv(self.csv_columns, self.csv_rows(queryset), f"{self.basename}s.csv")
        return response

    def jsonld_document(self, items):
        raise NotImplementedError

    def jsonld_list_response(self, items):
        response = Response(self.jsonld_document(items))
        links = []
        if self.paginator.get_next_link():
            links.append(f'<{self.paginator.get_next_link()}>; rel="next"')
        if self.paginator.get_previous_link():
            links.append(f'<{self.paginator.get_previous_link()}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(self.paginator.page.paginator.count)
        return response


# --------------------------------------------------------------------------- OpenAPI


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status code."},
                "code": {"type": "string", "description": "Machine-readable: invalid_parameters, not_found, "
                                                          "method_not_allowed, not_acceptable, throttled, …"},
                "message": {"type": "string"},
                "parameters": {
                    "type": "object",
                    "description": "For invalid_parameters: messages per query parameter.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

ERROR_RESPONSES = {
    "400": "Invalid query parameters: unknown, repeated or malformed (see error.parameters).",
    "404": "No such resource.",
    "405": "Write methods are not allowed: the API is read-only.",
    "406": "The Accept header asks for a format this resource does not offer.",
    "429": "Too many requests from this client; retry after the number of seconds in Retry-After.",
}


class AutoSchema(SpectacularAutoSchema):
    """Documents the API's conventions on every operation: errors, formats, facets, caching headers."""

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        view = self.view
        if not isinstance(view, ReadOnlyViewSet):
            return params
        formats = [r.format for r in view.get_renderers()]
        params.append(OpenApiParameter(
            "format", str, OpenApiParameter.QUERY, enum=formats,
            description="Response format (or use the Accept header). csv: every matching row, streamed, "
                        "not paginated. jsonld: schema.org Legislation with ELI terms."))
        if view.action == "list" and view.facets:
            params.append(OpenApiParameter(
                "facets", str, OpenApiParameter.QUERY,
                description=f"Comma-separated facets to count (JSON only): {', '.join(view.facets)}."))
        return params

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if not isinstance(self.view, ReadOnlyViewSet):
            return responses
        ok = responses.get("200", {})
        content = ok.get("content", {})
        if "text/csv" in content:
            content["text/csv"] = {"schema": {"type": "string", "description": "CSV, UTF-8, header row first."}}
        if "application/ld+json" in content:
            content["application/ld+json"] = {"schema": {
                "type": "object", "required": ["@context", "@graph"],
                "properties": {"@context": {"type": "object"}, "@graph": {"type": "array", "items": {"type": "object"}}},
            }}
        ok.setdefault("headers", {}).update({
            "ETag": {"schema": {"type": "string"}, "description": "Weak validator; send back as If-None-Match."},
            "Last-Modified": {"schema": {"type": "string"}, "description": "Last change of the data."},
        })
        responses["304"] = {"description": "Not modified (If-None-Match or If-Modified-Since matched)."}
        for code, description in ERROR_RESPONSES.items():
            error = {"description": description,
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            if code == "429":
                error["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                    "description": "Seconds to wait."}}
            responses[code] = error
        return responses


def add_error_component(result, generator, request, public):
    """drf-spectacular postprocessing hook: the shared Error schema component."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    return result
