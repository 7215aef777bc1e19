"""Dated events of instruments and agreements, as one UNION ALL query.

An event is one date of a record's life: its adoption or signature (for a proposal or draft,
the date it bears), ratification by
Kazakhstan, entry into force (for Kazakhstan too), start of application and of provisional
application, end of validity, and a repeal taking effect. Each kind of event is one SELECT
over one date column (with its precision); the SELECTs are joined with UNION ALL into one
SQL statement, ordered and paginated by the database, never built record by record.

A date known only to the month or year is stored as the first day of that period: it sorts
by that start, and belongs to a window when its period overlaps the window.
"""

from calendar import monthrange

from django.db.models import CharField, F, Q, Value
from django.utils.translation import gettext_lazy as _

from agreements.models import LABEL_FIELDS as AGREEMENT_LABEL_FIELDS
from agreements.models import Agreement
from api.changes import FEEDS
from core.counts import kept
from core.lifecycle import Precision
from instruments.models import LABEL_FIELDS as INSTRUMENT_LABEL_FIELDS
from instruments.models import Instrument, Relationship
from instruments.vocabulary import RelationshipType


class EventType:
    ADOPTION = "adoption"
    PROPOSAL = "proposal"
    SIGNATURE = "signature"
    RATIFICATION = "ratification"
    ENTRY_INTO_FORCE = "entry_into_force"
    ENTRY_INTO_FORCE_KZ = "entry_into_force_kz"
    PROVISIONAL_APPLICATION = "provisional_application"
    APPLICATION = "application"
    END_OF_VALIDITY = "end_of_validity"
    REPEAL = "repeal"


EVENT_LABELS = {
    EventType.ADOPTION: _("adopted or signed"),
    EventType.PROPOSAL: _("proposal or draft dated"),
    EventType.SIGNATURE: _("signed"),
    EventType.RATIFICATION: _("ratified by Kazakhstan"),
    EventType.ENTRY_INTO_FORCE: _("entry into force"),
    EventType.ENTRY_INTO_FORCE_KZ: _("entry into force for Kazakhstan"),
    EventType.PROVISIONAL_APPLICATION: _("start of provisional application"),
    EventType.APPLICATION: _("start of application"),
    EventType.END_OF_VALIDITY: _("end of validity"),
    EventType.REPEAL: _("repeal takes effect"),
}
EVENT_CHOICES = [(value, label) for value, label in EVENT_LABELS.items()]

# Which date column each event is read from.
INSTRUMENT_EVENTS = {
    EventType.ADOPTION: "date_adopted",
    EventType.RATIFICATION: "kz_ratification_date",
    EventType.ENTRY_INTO_FORCE: "entry_into_force",
    EventType.ENTRY_INTO_FORCE_KZ: "entry_into_force_kz",
    EventType.PROVISIONAL_APPLICATION: "date_provisional_application",
    EventType.APPLICATION: "date_application",
    EventType.END_OF_VALIDITY: "end_of_validity",
}
AGREEMENT_EVENTS = {
    EventType.SIGNATURE: "date_signed",
    EventType.RATIFICATION: "ratification_law_date",
    EventType.ENTRY_INTO_FORCE: "entry_into_force",
    EventType.PROVISIONAL_APPLICATION: "date_provisional_application",
    EventType.APPLICATION: "date_application",
    EventType.END_OF_VALIDITY: "end_of_validity",
}

INSTRUMENT, AGREEMENT = "instrument", "agreement"
COLUMNS = ("record_type", "record_id", "event", "day", "precision", "other_id")
DEFAULT_MONTHS = 12


def add_months(date, months):
    """The same day `months` later (or earlier), the last of the month where it has no such day."""
    month0 = date.month - 1 + months
    year, month = date.year + month0 // 12, month0 % 12 + 1
    return date.replace(year=year, month=month, day=min(date.day, monthrange(year, month)[1]))


def default_window(on):
    """The last and the next 12 months around `on`."""
    return add_months(on, -DEFAULT_MONTHS), add_months(on, DEFAULT_MONTHS)


def in_window_q(field, start, end):
    """Q: the date in `field` (of its precision) overlaps start..end; the stored date is the
    period's first day, so a month or year that began before `start` but runs into it is kept."""
    prec = f"{field}_precision"
    return Q(**{f"{field}__lte": end}) & (
        Q(**{prec: Precision.DAY, f"{field}__gte": start})
        | Q(**{prec: Precision.MONTH, f"{field}__gte": start.replace(day=1)})
        | Q(**{prec: Precision.YEAR, f"{field}__gte": start.replace(month=1, day=1)})
    )


def _text(value):
    return Value(value, output_field=CharField())


def _select(queryset, record_type, event, field, start, end, other=None):
    return (
        queryset.filter(in_window_q(field, start, end))
        .order_by()
        .annotate(
            record_type=_text(record_type),
            record_id=F("pk") if other is None else F("object_id"),
            event=_text(event),
            day=F(field),
            precision=F(f"{field}_precision"),
            other_id=_text("") if other is None else F(other),
        )
        .values_list(*COLUMNS)
    )


def event_rows(start, end, instruments=None, agreements=None, events=None):
    """The events between `start` and `end` (inclusive) of the given instruments and agreements
    (querysets; None leaves that kind out), as one UNION ALL queryset of tuples
    (record_type, record_id, event, day, precision, other_id), ordered by day.

    `events`: the event types kept (default every one). A repeal's record is the repealed
    instrument, `other_id` the repealing one.
    """
    parts = []
    wanted = set(events) if events else set(EVENT_LABELS)
    if instruments is not None:
        for event, field in INSTRUMENT_EVENTS.items():
            if event in wanted:
                # A proposal's or draft's date is not an adoption: it is never law.
                law = instruments.filter(procedure_stage="") if event == EventType.ADOPTION else instruments
                parts.append(_select(law, INSTRUMENT, event, field, start, end))
        if EventType.PROPOSAL in wanted:
            drafts = instruments.exclude(procedure_stage="")
            parts.append(_select(drafts, INSTRUMENT, EventType.PROPOSAL, "date_adopted", start, end))
        if EventType.REPEAL in wanted:
            repeals = Relationship.objects.filter(type=RelationshipType.REPEALS, object__in=instruments.values("pk"))
            parts.append(_select(repeals, INSTRUMENT, EventType.REPEAL, "date_effective", start, end, "subject_id"))
    if agreements is not None:
        for event, field in AGREEMENT_EVENTS.items():
            if event in wanted:
                parts.append(_select(agreements, AGREEMENT, event, field, start, end))
    if not parts:
        return Instrument.objects.none().values_list("pk")
    first, *rest = parts
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("day", "record_type", "record_id", "event", "other_id")


class Event:
    """One event row, with its record (and the repealing instrument) attached."""

    def __init__(self, row):
        self.record_type, self.record_id, self.event, self.date, self.precision, self.other_id = row
        self.record = None
        self.other = None

    @property
    def label(self):
        return EVENT_LABELS[self.event]

    @property
    def record_label(self):
        return self.record.label if self.record is not None else self.record_id

    def get_absolute_url(self):
        return self.record.get_absolute_url() if self.record is not None else ""


def instruments_labelled():
    """Instruments with only what names and links them (a wide row otherwise: texts, notes),
    unordered: they are read by id."""
    return Instrument.objects.only(*INSTRUMENT_LABEL_FIELDS).order_by()


def agreements_labelled():
    """Agreements with only what names and links them, and their parties with their states."""
    return Agreement.objects.only(*AGREEMENT_LABEL_FIELDS).order_by().with_party_list()


def history_model(model):
    """An instrument's or agreement's history table, read once as the API's changes feed reads it."""
    return next(feed for feed in FEEDS if feed.label == model._meta.label).history_model


def attach_records(rows):
    """[row] → [Event] with their records, in at most three queries (instruments, agreements,
    their parties with their states) whatever the number of rows."""
    events = [Event(row) for row in rows]
    instrument_ids = {e.record_id for e in events if e.record_type == INSTRUMENT} | {
        e.other_id for e in events if e.other_id
    }
    agreement_ids = {e.record_id for e in events if e.record_type == AGREEMENT}
    instruments = instruments_labelled().in_bulk(instrument_ids)
    agreements = agreements_labelled().in_bulk(agreement_ids)
    for event in events:
        found = instruments if event.record_type == INSTRUMENT else agreements
        event.record = found.get(event.record_id)
        if event.other_id:
            event.other = instruments.get(event.other_id)
    return events


def upcoming(on, limit=5):
    """The next few events from `on` on (the home page's). The rows are kept per data version
    and day (core/counts.py): their query reads a dozen date columns of every record (each
    from its index: migrations instruments 0007, agreements 0005); their records are then read
    by key."""
    end = add_months(on, DEFAULT_MONTHS)
    rows = kept(
        f"events: the first {limit} of every instrument and agreement from {on} to {end}",
        lambda: list(event_rows(on, end, Instrument.objects.all(), Agreement.objects.all())[:limit]),
    )
    return attach_records(rows)
