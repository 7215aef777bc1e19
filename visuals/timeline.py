"""The timeline: instruments and agreements placed on one time axis, with what is unknown said in words."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.lifecycle import Precision, Status, period_end
from instruments.models import Relationship
from instruments.vocabulary import RelationshipType

from .dates import format_date

TIMELINE_WIDTH = 960
LABEL_GAP = 4
ROW_HEIGHT = 40
AXIS_HEIGHT = 28
GROUP_HEIGHT = 26
SIDE = 12


@dataclass
class TimelineRow:
    """One instrument or agreement on the timeline; positions are computed in `layout`."""

    record: object
    kind: str  # "instrument" or "agreement"
    label: str
    url: str
    start: datetime.date | None
    start_precision: str
    entry_into_force: datetime.date | None
    entry_into_force_precision: str
    end: datetime.date | None  # last day in force: end of validity or the day before a repeal takes effect
    end_precision: str
    end_reason: str
    end_unknown: bool  # repealed or ended, but when is not known
    status: str
    group: str = ""  # the heading of the row's group (jurisdiction, or kind of instrument or agreement)
    y: float = 0
    x_start: float | None = None
    x_force: float | None = None
    x_end: float | None = None
    open_ended: bool = False
    bar_width: float | None = None
    x_unknown_tail: float | None = None
    label_x: float = 0
    label_anchor: str = "start"
    note_x: float = 0
    note_anchor: str = "start"
    y_label: float = 0
    y_bar: float = 0
    y_mid: float = 0

    @property
    def first_date(self):
        """The first known date of the record's life: signature or adoption, else entry into force."""
        return self.start or self.entry_into_force

    def lives_in(self, first, last):
        """Whether the record's known life overlaps `first`..`last`: from signature or adoption (else
        entry into force) to its last day in force; open-ended while no end is known. A record
        with neither date is in no period."""
        begin = self.first_date
        if begin is None:
            return False
        end = period_end(self.end, self.end_precision) if self.end else datetime.date.max
        return begin <= last and end >= first

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def start_text(self):
        return format_date(self.start, self.start_precision)

    @property
    def entry_into_force_text(self):
        return format_date(self.entry_into_force, self.entry_into_force_precision)

    @property
    def end_text(self):
        return format_date(self.end, self.end_precision)

    @property
    def missing_text(self):
        """What the drawing leaves out because it is not known, in words."""
        missing = []
        if self.start is None:
            missing.append(_("signature or adoption date unknown"))
        if self.entry_into_force is None:
            missing.append(_("entry into force unknown"))
        if self.end_unknown:
            missing.append(_("end date unknown"))
        return "; ".join(str(m) for m in missing)


def instrument_rows(instruments, on):
    # Each instrument's repeals as a list (Prefetch to_attr): no related manager and queryset
    # cloned per instrument to read them, for the end of the bar and for the status.
    repeals = Prefetch(
        "incoming_relationships",
        queryset=Relationship.objects.filter(type=RelationshipType.REPEALS).select_related("subject"),
        to_attr="repeals",
    )
    rows = []
    for instrument in instruments.prefetch_related(repeals):
        end, end_precision, reason, end_unknown = (
            instrument.end_of_validity,
            instrument.end_of_validity_precision,
            "",
            False,
        )
        for repeal in instrument.repeals:
            if repeal.date_effective is None:
                end_unknown = True
                reason = _("repealed by %(label)s") % {"label": repeal.subject.label}
            # A repeal that ends validity on the recorded end date explains that end.
            elif end is None or repeal.date_effective - datetime.timedelta(days=1) <= end:
                end = repeal.date_effective - datetime.timedelta(days=1)
                end_precision = Precision.DAY
                reason = _("repealed by %(label)s") % {"label": repeal.subject.label}
        if end is not None and not reason:
            reason = _("end of validity")
        rows.append(
            TimelineRow(
                record=instrument,
                kind="instrument",
                label=instrument.label,
                url=instrument.get_absolute_url(),
                start=instrument.date_adopted,
                start_precision=instrument.date_adopted_precision,
                entry_into_force=instrument.entry_into_force,
                entry_into_force_precision=instrument.entry_into_force_precision,
                end=end,
                end_precision=end_precision,
                end_reason=str(reason),
                end_unknown=end_unknown and end is None,
                status=instrument.status_on(on, [repeal.date_effective for repeal in instrument.repeals]),
            )
        )
    return rows


def agreement_rows(agreements, on):
    rows = []
    for agreement in agreements.with_party_list():
        end = agreement.end_of_validity
        rows.append(
            TimelineRow(
                record=agreement,
                kind="agreement",
                label=str(agreement.label),
                url=agreement.get_absolute_url(),
                start=agreement.date_signed,
                start_precision=agreement.date_signed_precision,
                entry_into_force=agreement.entry_into_force,
                entry_into_force_precision=agreement.entry_into_force_precision,
                end=end,
                end_precision=agreement.end_of_validity_precision,
                end_reason=str(_("end of validity")) if end else "",
                end_unknown=False,
                status=agreement.status_on(on),
            )
        )
    return rows


def layout(rows, on, first_year=None, last_year=None, groups=None):
    """Place rows on a common time axis (in SVG units); returns the axis ticks, the 'today' line and the height.

    Each row gets: a label line, then on the bar line a hollow circle at
    signature/adoption, a dashed line up to entry into force, a solid bar while
    in force, an arrow when still open-ended, and a dashed tail with a note when
    it ended at an unknown date. What is unknown is not drawn but said in words.

    `first_year`/`last_year` fix the axis to a period (marks outside it are drawn at its edge);
    `groups` ([(heading, rows)]) put a heading line before each group's rows.
    """
    dates = [d for row in rows for d in (row.start, row.entry_into_force, row.end) if d] + [on]
    first_year = first_year or min(dates).year
    last_year = last_year or max(dates).year + 1
    origin = datetime.date(first_year, 1, 1)
    axis_end = datetime.date(last_year + 1, 1, 1)
    span = (axis_end - origin).days
    usable = TIMELINE_WIDTH - 2 * SIDE

    def x(value):
        value = min(max(value, origin), axis_end)
        return round(SIDE + usable * (value - origin).days / span, 1)

    today_x = x(on)
    headings = []
    y = AXIS_HEIGHT
    for heading, group_rows in groups or [("", rows)]:
        if heading:
            headings.append({"label": heading, "y": y + 18, "count": len(group_rows)})
            y += GROUP_HEIGHT
        for row in group_rows:
            place(row, y, x, today_x)
            y += ROW_HEIGHT
    step = 1 if last_year - first_year <= 12 else 2 if last_year - first_year <= 24 else 5
    years = [
        (year, x(datetime.date(year, 1, 1)))
        for year in range(first_year, last_year + 2)
        if (year - first_year) % step == 0
    ]
    return {
        "years": years,
        "today_x": today_x,
        "today_shown": origin <= on < axis_end,
        "headings": headings,
        "height": y + 8,
        "first_year": first_year,
        "last_year": last_year,
    }


def place(row, y, x, today_x):
    """One row's marks at height `y`."""
    row.y = y
    row.y_label = row.y + 13
    row.y_bar = row.y + 20
    row.y_mid = row.y + 25
    row.x_start = x(row.start) if row.start else None
    row.x_force = x(row.entry_into_force) if row.entry_into_force else None
    row.x_end = None
    row.open_ended = False
    if row.end:
        row.x_end = x(period_end(row.end, row.end_precision))
    elif row.entry_into_force and not row.end_unknown:
        row.open_ended = True
        row.x_end = max(today_x, row.x_force)
    row.bar_width = round(max(row.x_end - row.x_force, 2), 1) if row.x_force is not None and row.x_end else None
    drawn = [v for v in (row.x_start, row.x_force, row.x_end) if v is not None] or [SIDE]
    first, last = min(drawn), max(drawn)
    # Labels run rightwards from the first mark, or end at the last mark when near the right edge.
    row.label_anchor = "end" if first > TIMELINE_WIDTH * 0.6 else "start"
    row.label_x = last if row.label_anchor == "end" else first
    row.x_unknown_tail = None
    if row.end_unknown and row.x_force is not None:
        row.x_unknown_tail = max(today_x, row.x_force + 20)
    note_at = row.x_start if row.x_start is not None else first
    row.note_anchor = "end" if note_at > TIMELINE_WIDTH * 0.6 else "start"
    row.note_x = note_at - 9 if row.note_anchor == "end" else note_at + 9
