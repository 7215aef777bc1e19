"""REST API: the dated events of instruments and agreements ("what changes next")."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from api.errors import InvalidParameters
from api.links import api_url, web_url
from api.renderers import CSVRenderer, check_csv_size, flat_columns, stream_csv
from api.serializers import EDTF_SCHEMA, PRECISION_HELP
from api.viewsets import ReadOnlyViewSet
from core.dates import edtf
from instruments.models import Instrument

from .forms import EventForm
from .queries import AGREEMENT, EVENT_CHOICES, attach_records

CSV_BATCH = 500


class EventSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The event's date; a month or year is given as its first day.")
    date_precision = serializers.CharField(source="precision", help_text=PRECISION_HELP)
    date_edtf = serializers.SerializerMethodField()
    event = serializers.ChoiceField(choices=EVENT_CHOICES, help_text="What happens on the date.")
    event_label = serializers.SerializerMethodField(help_text="The event in words (English).")
    record_type = serializers.ChoiceField(choices=["instrument", "agreement"])
    record = serializers.CharField(source="record_id", help_text="The record's id.")
    record_label = serializers.CharField(help_text="The record's short label.")
    record_url = serializers.SerializerMethodField(help_text="The record's API address.")
    html_url = serializers.SerializerMethodField(help_text="The record's web page.")
    repealed_by = serializers.SerializerMethodField(
        help_text="For a repeal: the id of the instrument that repeals; else null."
    )

    class Meta:
        fields = [
            "date", "date_precision", "date_edtf", "event", "event_label", "record_type", "record",
            "record_label", "record_url", "html_url", "repealed_by",
        ]  # fmt: skip

    @extend_schema_field(EDTF_SCHEMA)
    def get_date_edtf(self, obj):
        return edtf(obj.date, obj.precision)

    def get_event_label(self, obj) -> str:
        return str(obj.label)

    def _names(self, obj):
        return (
            ("agreement-detail", "web:agreement-detail")
            if obj.record_type == AGREEMENT
            else ("instrument-detail", "web:instrument-detail")
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_record_url(self, obj):
        return api_url(self.context.get("request"), self._names(obj)[0], obj.record_id)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_html_url(self, obj):
        return web_url(self.context.get("request"), self._names(obj)[1], obj.record_id)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_repealed_by(self, obj):
        return obj.other_id or None


def _parameters():
    described = {
        "on": "Date (YYYY-MM-DD) the window is centred on: the 12 months before and after it. Default today.",
        "from": "First day of the window (YYYY-MM-DD); default 12 months before `on`.",
        "to": "Last day of the window (YYYY-MM-DD); default 12 months after `on`.",
        "event": "Kinds of event, comma-separated: " + ", ".join(value for value, _label in EVENT_CHOICES) + ".",
        "jurisdiction": "Instruments of this jurisdiction only (agreements are left out).",
        "kind": "Instruments of this kind only (agreements are left out).",
        "type": "Agreements of this type only (instruments are left out).",
        "subject": "Subject code; a parent code also matches its narrower subjects.",
        "country": "State(s), ISO 3166-1 alpha-2 or alpha-3, comma-separated: agreements with it as a partner, "
        "treaties with it as a party.",
    }
    params = []
    for name, description in described.items():
        field = EventForm.base_fields[name]
        kind = OpenApiTypes.DATE if name in ("on", "from", "to") else str
        enum = [value for value, _label in field.choices if value] if hasattr(field, "choices") else None
        params.append(OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, enum=enum))
    return params


@extend_schema_view(
    list=extend_schema(
        summary="List dated events",
        description=(
            "Dated events of instruments and agreements — adoption or signature, ratification by Kazakhstan, "
            "entry into force (for Kazakhstan too), start of application and of provisional application, end "
            "of validity, a repeal taking effect — in a window around a date, ordered by date. A date known "
            "only to the month or year sorts by its first day and is kept when its period overlaps the window."
        ),
        parameters=_parameters(),
    )
)
class EventViewSet(ReadOnlyViewSet):
    serializer_class = EventSerializer
    csv_columns = flat_columns(EventSerializer)
    list_only = True
    form = None
    parameter_form = EventForm  # its fields' messages are the schema's examples of a 400 (api.schema_errors)

    def get_queryset(self):
        return Instrument.objects.none()

    def accepted_parameters(self):
        # fields= / omit= as on every list; no updated_since: an event is not a record that changes.
        return {"format", "page", "page_size", "fields", "omit", *EventForm.base_fields}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.form = EventForm(request.query_params)
        if not self.form.is_valid():
            raise InvalidParameters({name: [str(m) for m in messages] for name, messages in self.form.errors.items()})

    def list(self, request, *args, **kwargs):
        rows = self.form.rows()
        if self.wants(CSVRenderer):
            check_csv_size(rows)
            return stream_csv(self.chosen_csv_columns(), self.csv_batches(rows), "events.csv")
        page = attach_records(self.paginate_queryset(rows))
        return self.paginator.get_paginated_response(self.represent(page))

    def csv_batches(self, rows):
        batch = []
        for row in rows.iterator():
            batch.append(row)
            if len(batch) == CSV_BATCH:
                yield from self.represent(attach_records(batch))
                batch = []
        if batch:
            yield from self.represent(attach_records(batch))
