"""The read-only resource every API endpoint is: strict parameters, formats, facets, caching headers.

- unknown, repeated, overlong or NUL-bearing query parameters are a 400 naming each one,
  together with the filters' own complaints, in one answer;
- JSON (paginated), CSV (every matching row, streamed) and, where a resource has it, JSON-LD;
- `?facets=` counts under every filter but the facet's own, in one query (core.filters);
- Last-Modified from the data version; ETags and 304s come from ConditionalGetMiddleware;
- errors are JSON in the API's shape whatever format was asked for.
"""

import datetime

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import renderers, viewsets
from rest_framework.response import Response

from core.lifecycle import today
from core.versioning import data_last_modified

from .errors import InvalidParameters
from .fields import parse_updated_since, selected_fields
from .pagination import Pagination
from .parameters import check_query_parameters, merged_query_parameters
from .renderers import CSVRenderer, JSONLDRenderer, OrjsonRenderer, check_csv_size, stream_csv
from .rows import write_rows
from .throttles import ExportThrottle

CSV_BATCH = 500


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend (an invalid value is a 400); the view keeps the bound FilterSet,
    whose reference date the items' status is computed on and whose facets `?facets=` counts."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset

    def get_filterset_kwargs(self, request, queryset, view):
        # `ordering=a&ordering=-b` (as generated clients send an array) reads as `ordering=a,-b`.
        data = merged_query_parameters(request)
        return {**super().get_filterset_kwargs(request, queryset, view), "data": data, "only_named": True}


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

    Subclasses set queryset, serializer_class, filterset_class (optional), `csv_columns`
    ([(column, function(item) → value)]) and `extra_formats` (renderers beyond JSON and CSV);
    facets come from the FilterSet's `facets`.
    """

    authentication_classes = []
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    filterset_class = None
    filterset = None
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    csv_columns = []
    csv_filename = None  # default: "<basename>s.csv"
    extra_formats = []
    # Left out of a JSON list unless `fields=` names them (docs/api.md says why).
    list_omit = ("provenance",)
    # CSV columns flattened from a field of another name.
    csv_column_fields = {}
    field_names = None
    updated_since = None

    @property
    def facets(self):
        return getattr(self.filterset_class, "facets", {}) if self.filterset_class else {}

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
            raise InvalidParameters({"format": [f"Unknown format here; give one of: {formats}."]}) from None

    def wants(self, renderer_class):
        return isinstance(getattr(self.request, "accepted_renderer", None), renderer_class)

    def accepted_parameters(self):
        accepted = {"format", "fields", "omit"}
        if self.action == "list":
            accepted |= {"page", "page_size", "cursor", "updated_since"}
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
            listed = ", ".join(unknown) or repr(raw)
            raise InvalidParameters({"facets": [f"Unknown facet(s): {listed}; give any of: {', '.join(self.facets)}."]})
        if not self.wants(renderers.JSONRenderer) or self.wants(JSONLDRenderer):
            raise InvalidParameters({"facets": ["Facets come with JSON lists only (not CSV or JSON-LD)."]})
        return list(dict.fromkeys(names))

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "list" and self.wants(CSVRenderer) and settings.KB_EXPORT_THROTTLE:
            throttles.append(ExportThrottle())
        return throttles

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, request.method.lower(), None) is None:
            return  # a method the view does not answer: dispatch's 405, before any parameter check
        problems = {}
        for check in (self.check_parameters, self.read_fields, self.read_updated_since):
            try:
                check(request)
            except InvalidParameters as exc:
                problems.update({name: msgs for name, msgs in exc.parameters.items() if name not in problems})
        if problems:
            # Report the filters' own complaints in the same answer, so one round trip shows all.
            if self.action == "list" and self.filterset_class is not None:
                data = {
                    name: value
                    for name, value in merged_query_parameters(request).items()
                    if name in self.filterset_class.base_filters and name not in problems
                }
                filterset = self.filterset_class(data, queryset=self.get_queryset(), request=request, only_named=True)
                if not filterset.is_valid():
                    problems.update({name: [str(m) for m in msgs] for name, msgs in filterset.errors.items()})
            raise InvalidParameters(problems)

    def check_parameters(self, request):
        check_query_parameters(request, self.accepted_parameters(), repeatable={"ordering"})

    def read_fields(self, request):
        """The top-level fields asked for (`fields=` / `omit=`; a list leaves out `list_omit`)."""
        available = list(self.get_serializer_class().Meta.fields)
        asked = request.query_params.get("fields") or request.query_params.get("omit")
        if asked and self.wants(JSONLDRenderer):
            raise InvalidParameters({"fields" if request.query_params.get("fields") else "omit": [
                "fields= and omit= apply to JSON and CSV, not JSON-LD."
            ]})  # fmt: skip
        default_omit = ()
        if self.action == "list" and (self.wants(JSONLDRenderer) or self.wants(CSVRenderer)):
            default_omit = ("provenance",)  # neither has provenance: not read, not written
        elif self.action == "list":
            default_omit = self.list_omit
        self.field_names = selected_fields(request.query_params, available, default_omit)
        if self.wants(CSVRenderer):
            # A CSV column writes a date as known, from its `<date>_edtf` (renderers.flat_columns).
            chosen = set(self.field_names)
            self.field_names = [name for name in available if name in chosen or name.removesuffix("_edtf") in chosen]

    def read_updated_since(self, request):
        if self.action == "list":
            self.updated_since = parse_updated_since(request.query_params.get("updated_since"))

    def wants_field(self, name):
        """Whether the answer has this field (before the parameters are read: every field)."""
        return self.field_names is None or name in self.field_names

    def chosen_csv_columns(self):
        return [
            (name, getter)
            for name, getter in self.csv_columns
            if self.wants_field(self.csv_column_fields.get(name, name))
        ]

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            # An item takes no filter (check_parameters admits format, fields and omit only);
            # binding the FilterSet anyway cost a third of an item's time (deep copies of filters).
            return queryset
        if self.updated_since is not None:
            queryset = changed_since(queryset, self.updated_since)
        return super().filter_queryset(queryset)

    def dispatch(self, request, *args, **kwargs):
        # The API speaks the site's default language: messages and html_url do not vary per client.
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response["Last-Modified"] = http_date(max(data_last_modified(), today_midnight()).timestamp())
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
        patch_vary_headers(response, ["Accept"])
        return response

    def status_date(self):
        """The date items' status is computed for: the filter's `on`, else today."""
        return self.filterset.reference_date() if self.filterset is not None else today()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "status_date": self.status_date()}

    def list(self, request, *args, **kwargs):
        facet_names = self.requested_facets()
        queryset = self.filter_queryset(self.get_queryset())
        if self.wants(CSVRenderer):
            filename = self.csv_filename or f"{self.basename}s.csv"
            check_csv_size(queryset)
            return stream_csv(self.chosen_csv_columns(), self.csv_rows(queryset), filename)
        page = self.paginate_queryset(queryset)
        data = self.represent(page)
        if self.wants(JSONLDRenderer):
            return self.jsonld_list_response(data)
        facets = None
        if facet_names:
            counts = self.filterset.facet_counts({name: self.facets[name] for name in facet_names})
            facets = {name: self.facets[name].listing(counts[name]) for name in facet_names}
        return self.paginator.get_paginated_response(data, facets)

    def retrieve(self, request, *args, **kwargs):
        [data] = self.represent([self.get_object()])
        if self.wants(JSONLDRenderer):
            return self.jsonld_response([data])
        return Response(data)

    def represent(self, records):
        """The records as the serializer writes them with the fields asked for, by the fast path
        (api/rows.py)."""
        return write_rows(self.get_serializer_class(), records, self.field_names, self.get_serializer_context())

    def csv_rows(self, queryset):
        """Every matching row, serialised a batch at a time (prefetches run per batch)."""
        batch = []
        for record in queryset.iterator(chunk_size=CSV_BATCH):
            batch.append(record)
            if len(batch) == CSV_BATCH:
                yield from self.represent(batch)
                batch = []
        if batch:
            yield from self.represent(batch)

    def jsonld_document(self, items):
        raise NotImplementedError

    def jsonld_response(self, items):
        return Response(self.jsonld_document(items))

    def jsonld_list_response(self, items):
        response = self.jsonld_response(items)
        links = []
        if self.paginator.get_next_link():
            links.append(f'<{self.paginator.get_next_link()}>; rel="next"')
        if self.paginator.get_previous_link():
            links.append(f'<{self.paginator.get_previous_link()}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(self.paginator.page.paginator.count)
        return response


class LifecycleViewSet(ReadOnlyViewSet):
    """Instruments and agreements: status on the filter's date by the lifecycle's Python twins
    (tests/instruments/test_lifecycle.py holds them equal to the SQL), from dates the records'
    own query reads: building and compiling the status CASE cost more than a list's queries.
    Filters and facets by status stay in SQL."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.with_repeal_dates()

    def get_object(self):
        record = super().get_object()
        self.reckon(record, self.status_date())
        return record

    def reckon(self, record, on):
        record.computed_status = record.status_on(on).value


def changed_since(queryset, moment):
    """The records changed at or after `moment`: by their `updated_at`, or else by their change history."""
    model = queryset.model
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        return queryset.filter(updated_at__gte=moment)
    pk = model._meta.pk.attname
    changed = model.history.filter(history_date__gte=moment).values(pk)
    return queryset.filter(pk__in=changed)


def today_midnight():
    """Computed status changes at midnight without any edit: Last-Modified is never older."""
    return datetime.datetime.combine(today(), datetime.time.min, tzinfo=datetime.UTC)
