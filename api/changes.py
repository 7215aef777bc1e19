"""The changes feed: created, updated and deleted records, from the change history, for mirrors.

`/api/v1/changes/?since=<ISO 8601 date-time>` lists every history entry (django-simple-history's
`+`, `~`, `-`) of instruments and agreements and of the rows their items are made of (relationships,
official texts, provisions, parties, provenance), at or after `since`, ordered by time, then model,
then history entry. Each entry names the items (`affects`) whose API answer it changes, so a mirror re-fetches
those and drops the deleted ones. Keyset (cursor) pagination: a page never costs more with depth.

Models are named by label, as lower apps reach the ones above them.
"""

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination

from .errors import InvalidParameters
from .fields import parse_updated_since
from .links import api_url
from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .parameters import check_query_parameters, parse_positive_int
from .renderers import OrjsonRenderer
from .viewsets import JsonErrorsMixin

CHANGE_TYPES = {"+": "created", "~": "updated", "-": "deleted"}

BAD_CURSOR = "Not a cursor this feed gave; follow `next` as it is."


@dataclass(frozen=True)
class Feed:
    """One history table in the feed: which model, and which columns name the items it changes."""

    label: str  # e.g. "instruments.Instrument"
    name: str  # the `model` of its entries
    resource: str  # the API resource of the items it changes ("" for provenance: by content type)
    parents: tuple  # columns of its history rows holding those items' ids

    @property
    def model(self):
        return apps.get_model(self.label)

    @cached_property
    def history_model(self):
        # Read once: simple-history's `Model.history` makes a manager class on every read
        # (an eighth of the feed's time, eight reads a page).
        return self.model.history.model


FEEDS = (
    Feed("instruments.Instrument", "instrument", "instruments", ("id",)),
    Feed("agreements.Agreement", "agreement", "agreements", ("id",)),
    Feed("instruments.Relationship", "relationship", "instruments", ("subject_id", "object_id")),
    Feed("instruments.OfficialText", "official_text", "instruments", ("instrument_id",)),
    Feed("instruments.Provision", "provision", "instruments", ("instrument_id",)),
    Feed("instruments.InstrumentParty", "instrument_party", "instruments", ("instrument_id",)),
    Feed("agreements.Party", "party", "agreements", ("agreement_id",)),
    Feed("sources.Provenance", "provenance", "", ("object_id",)),
)
# Provenance changes the items of these resources.
PROVENANCE_OF = {"instruments.Instrument": "instruments", "agreements.Agreement": "agreements"}
COLUMNS = ("c_time", "c_model", "c_record", "c_hid", "c_change", "c_first", "c_second", "c_type")


def history_rows(feed):
    """A values() queryset of the feed's history with the feed's common columns."""
    history = feed.history_model.objects.all()
    empty = Value("", output_field=CharField())
    content_type = empty
    if feed.name == "provenance":
        types = ContentType.objects.get_for_models(*[apps.get_model(label) for label in PROVENANCE_OF])
        history = history.filter(content_type_id__in=[ct.pk for ct in types.values()])
        content_type = Cast("content_type_id", CharField())
    parents = [Cast(column, CharField()) for column in feed.parents] + [empty, empty]
    return (
        history.annotate(
            c_time=F("history_date"),
            c_model=Value(feed.name, output_field=CharField()),
            c_record=Cast("id", CharField()),
            c_hid=F("history_id"),
            c_change=F("history_type"),
            c_first=parents[0],
            c_second=parents[1],
            c_type=content_type,
        )
        .order_by()
        .values(*COLUMNS)
    )


class Changes:
    """The history of every feed as one queryset-like value: DRF's CursorPagination orders it,
    filters it on its position and slices it; each filter applies to every table before the UNION."""

    def __init__(self, parts, ordering=()):
        self.parts, self.ordering = parts, ordering

    def order_by(self, *ordering):
        return Changes(self.parts, ordering)

    def filter(self, **lookups):
        parts = self.parts
        for lookup, value in lookups.items():
            condition = keyset(lookup, value) if lookup in ("c_time__gt", "c_time__lt") else Q(**{lookup: value})
            parts = [part.filter(condition) for part in parts]
        return Changes(parts, self.ordering)

    def __getitem__(self, index):
        first, *others = self.parts
        return first.union(*others, all=True).order_by(*self.ordering)[index]


def position(row):
    """A row's place in the feed, unique: DRF's cursor then never needs an offset."""
    return "|".join((row["c_time"].isoformat(), row["c_model"], str(row["c_hid"])))


def keyset(lookup, value):
    """The rows after (`__gt`) or before (`__lt`) a position, in the feed's order."""
    time, model, hid = value.split("|")
    time = parse_updated_since(time, "cursor")
    op = lookup.rsplit("__", 1)[1]
    return (
        Q(**{f"c_time__{op}": time})
        | Q(c_time=time, **{f"c_model__{op}": model})
        | Q(c_time=time, c_model=model, **{f"c_hid__{op}": int(hid)})
    )


class ChangeSerializer(serializers.Serializer):
    model = serializers.ChoiceField(choices=[(feed.name, feed.name) for feed in FEEDS])
    id = serializers.CharField(help_text="The changed row's id.")
    change = serializers.ChoiceField(choices=list(CHANGE_TYPES.values()))
    time = serializers.DateTimeField()
    affects = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="The items whose API answer this changes: {resource, id, url}; re-fetch them "
        "(a 404 means the item is gone).",
    )


class ChangesPagination(CursorPagination):
    """DRF's cursor pagination on (time, model, history entry): unique, so no offsets; a bad cursor is a 400."""

    ordering = ("c_time", "c_model", "c_hid")
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"

    def _get_position_from_instance(self, instance, ordering):
        return position(instance)

    def get_page_size(self, request):
        return parse_positive_int("page_size", request.query_params.get("page_size"), MAX_PAGE_SIZE) or self.page_size

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
            if cursor is not None and cursor.position is not None:
                time, _model, hid = cursor.position.split("|")
                if parse_updated_since(time) is None or not hid.isdigit():
                    raise ValueError(cursor.position)
            return cursor
        except Exception:  # DRF's NotFound("Invalid cursor"), or a position this feed never wrote
            raise InvalidParameters({"cursor": [BAD_CURSOR]}) from None

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from `next` or `previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Entries per page: default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Changes since a date-time",
        description="Created, updated and deleted rows of instruments, agreements and what their items are made "
        "of, from the change history, ordered by time; `affects` names the items to re-fetch. Cursor-paginated.",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                OpenApiParameter.QUERY,
                description="ISO 8601 date-time (UTC when no offset): changes at or after it; default: all.",
            )
        ],
    )
)
class ChangeViewSet(JsonErrorsMixin, viewsets.GenericViewSet):
    authentication_classes = []
    pagination_class = ChangesPagination
    serializer_class = ChangeSerializer
    csv_columns = []  # the API's conventions in the schema (api.schema.AutoSchema), JSON only
    # The schema's example of this feed's own 400 (api.schema_errors).
    error_examples = [("unknown_cursor", "A cursor this feed did not give", "cursor", "colour", BAD_CURSOR)]

    def get_renderers(self):
        return [OrjsonRenderer()]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query_parameters(request, {"since", "cursor", "page_size", "format"})
        self.since = parse_updated_since(request.query_params.get("since"), "since")

    def get_queryset(self):
        parts = [history_rows(feed) for feed in FEEDS]
        if self.since is not None:
            parts = [part.filter(c_time__gte=self.since) for part in parts]
        return Changes(parts)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.paginator.get_paginated_response([self.entry(row) for row in page])

    def entry(self, row):
        feed = next(feed for feed in FEEDS if feed.name == row["c_model"])
        resource = feed.resource
        if not resource:
            label = ContentType.objects.get_for_id(int(row["c_type"])).model_class()._meta.label
            resource = PROVENANCE_OF[label]
        ids = dict.fromkeys(value for value in (row["c_first"], row["c_second"]) if value)
        detail = f"{resource[:-1]}-detail"
        return {
            "model": row["c_model"],
            "id": row["c_record"],
            "change": CHANGE_TYPES[row["c_change"]],
            "time": serializers.DateTimeField().to_representation(row["c_time"]),
            "affects": [{"resource": resource, "id": pk, "url": api_url(self.request, detail, pk)} for pk in ids],
        }
