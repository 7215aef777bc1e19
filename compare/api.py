"""REST API: the comparison matrix (`/api/v1/compare/`), JSON or CSV, with the page's parameters."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from api.errors import InvalidParameters
from api.links import absolute
from api.parameters import check_query_parameters
from api.renderers import CSVRenderer, OrjsonRenderer, stream_csv
from api.schema import AutoSchema
from api.viewsets import JsonErrorsMixin, today_midnight
from core.versioning import data_last_modified

from .forms import PARAMETERS, CompareForm
from .matrix import ORDER_CODES, build_matrix

ENTRY_SCHEMA = {
    "type": "object",
    "required": ["type", "id", "label", "url", "status"],
    "properties": {
        "type": {"type": "string", "enum": ["instrument", "agreement"]},
        "id": {"type": "string"},
        "label": {"type": "string"},
        "url": {"type": "string", "format": "uri", "description": "The record's page."},
        "status": {"type": "string", "description": "Its status on `on` (for a treaty: the treaty's own)."},
    },
}
ENTRIES = {"type": "array", "items": ENTRY_SCHEMA}
CHANGES = {"type": "array", "items": ENTRY_SCHEMA, "nullable": True, "description": "With since (or from) only."}
MATRIX_SCHEMA = {
    "type": "object",
    "required": ["on", "since", "orders", "rows"],
    "properties": {
        "on": {"type": "string", "format": "date"},
        "since": {"type": "string", "format": "date", "nullable": True},
        "orders": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "label"],
                "properties": {"code": {"type": "string", "enum": ORDER_CODES}, "label": {"type": "string"}},
            },
        },
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["subject", "label", "scheme", "parent", "depth", "cells"],
                "properties": {
                    "subject": {"type": "string"},
                    "label": {"type": "string"},
                    "scheme": {"type": "string"},
                    "parent": {"type": "string", "nullable": True},
                    "depth": {"type": "integer"},
                    "cells": {
                        "type": "object",
                        "description": "One cell per legal order (its code).",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["applicable", "in_force_not_yet_applicable", "pending", "entered", "left"],
                            "properties": {
                                "applicable": ENTRIES,
                                "in_force_not_yet_applicable": ENTRIES,
                                "pending": ENTRIES,
                                "entered": CHANGES,
                                "left": CHANGES,
                            },
                        },
                    },
                },
            },
        },
    },
}
PARAMETER_DOCS = {
    "on": "The date the law is shown for (YYYY-MM-DD; default today).",
    "since": "An earlier date: each cell also lists what entered and left it between since and on.",
    "from": "With to: the same as since (from) and on (to).",
    "to": "With from: the same as on.",
    "scheme": "Rows of one scheme only: policy_area or target_group.",
    "subject": "One subject's row and the rows below it (a policy area or target group code).",
    "orders": f"Some legal orders only (comma-separated): {', '.join(ORDER_CODES)}.",
}
CATEGORIES = ("applicable", "in_force_not_yet_applicable", "pending", "entered", "left")


def entry_data(entry, request):
    return {
        "type": entry.type,
        "id": entry.id,
        "label": entry.label,
        "url": absolute(request, entry.url),
        "status": entry.status,
    }


def matrix_data(matrix, request):
    written = {}  # an entry is in its row and every broader row's: its data is made once

    def entry(item):
        key = (item.type, item.id)
        if key not in written:
            written[key] = entry_data(item, request)
        return written[key]

    def entries(items):
        return None if items is None else [entry(item) for item in items]

    return {
        "on": matrix.on.isoformat(),
        "since": matrix.since.isoformat() if matrix.since else None,
        "orders": [{"code": order.code, "label": str(order.label)} for order in matrix.orders],
        "rows": [
            {
                "subject": row.subject.code,
                "label": row.label,
                "scheme": row.subject.scheme,
                "parent": row.subject.parent_id,
                "depth": row.depth,
                "cells": {
                    cell.order.code: {
                        "applicable": entries(cell.applicable),
                        "in_force_not_yet_applicable": entries(cell.not_yet_applicable),
                        "pending": entries(cell.pending),
                        "entered": entries(cell.entered),
                        "left": entries(cell.left),
                    }
                    for cell in row.cells
                },
            }
            for row in matrix.rows
        ],
    }


CSV_COLUMNS = [
    (name, lambda line, name=name: line[name])
    for name in ("on", "since", "subject", "subject_label", "scheme", "order", "category", "type", "id", "label", "url")
]


def csv_lines(data):
    """One line per record in a cell and category; an empty cell is one line of category "none"."""
    for row in data["rows"]:
        for order, cell in row["cells"].items():
            base = {
                "on": data["on"],
                "since": data["since"],
                "subject": row["subject"],
                "subject_label": row["label"],
                "scheme": row["scheme"],
                "order": order,
            }
            any_entry = False
            for category in CATEGORIES:
                for entry in cell[category] or ():
                    any_entry = True
                    yield {**base, "category": category, **entry}
            if not any_entry:
                yield {**base, "category": "none", "type": None, "id": None, "label": None, "url": None}


class CompareSchema(AutoSchema):
    """The API's schema, but this list action answers one object (the matrix), not an array."""

    def _is_list_view(self, serializer=None):
        return False


class CompareViewSet(JsonErrorsMixin, viewsets.ViewSet):
    """The comparison matrix: subjects (rows) × legal orders (columns) on a date."""

    schema = CompareSchema()

    authentication_classes = []
    csv_columns = CSV_COLUMNS
    facets = {}
    parameter_form = CompareForm  # its fields' messages are the schema's examples of a 400 (api.schema_errors)

    def get_renderers(self):
        return [OrjsonRenderer(), CSVRenderer()]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:  # DRF's answer to an unknown ?format=
            raise InvalidParameters({"format": ["Unknown format here; give one of: json, csv."]}) from None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query_parameters(request, {"format", *PARAMETERS})

    def dispatch(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response["Last-Modified"] = http_date(max(data_last_modified(), today_midnight()).timestamp())
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
        patch_vary_headers(response, ["Accept"])
        return response

    @extend_schema(
        operation_id="compare_matrix",
        summary="The comparison matrix",
        description="Subjects of the vocabulary (policy areas and target groups; a row counts its narrower "
        "subjects) × legal orders: eu, eaeu, cis (each order's own law), kz (Kazakhstan's national law), "
        "treaties_kz (multilateral treaties in force for Kazakhstan, from their entry into force for it; "
        "an EAEU or CIS treaty is also in its order's column), kz_agreements (Kazakhstan's agreements with "
        "partner states, and bilateral treaties with Kazakhstan as a party). Each cell lists what applies "
        "on `on`; apart, what is in force but not yet applicable and the proposals pending. With since "
        "(or from and to), what entered and left each cell between the dates. CSV: one line per record "
        "in a cell, an empty cell one line of category none.",
        parameters=[
            OpenApiParameter(name, str, OpenApiParameter.QUERY, description=text)
            for name, text in PARAMETER_DOCS.items()
        ],
        responses={200: MATRIX_SCHEMA},
    )
    def list(self, request, *args, **kwargs):
        form = CompareForm(request.query_params)
        if not form.is_valid():
            raise InvalidParameters(
                {("on" if name == "__all__" else name): [str(m) for m in msgs] for name, msgs in form.errors.items()}
            )
        data = matrix_data(build_matrix(**form.matrix_arguments()), request)
        if isinstance(request.accepted_renderer, CSVRenderer):
            return stream_csv(CSV_COLUMNS, csv_lines(data), f"compare-{data['on']}.csv")
        return Response(data)
