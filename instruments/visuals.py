"""The map of Kazakhstan's readmission partners and the timeline of instruments and agreements.

Both are server-rendered SVG that works without JavaScript, each with an
equivalent table for people who do not see the picture. The data functions
here are plain Python over querysets, so tests can check them without HTML.
"""

import datetime
import json
from dataclasses import dataclass, field
from functools import cache

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements import filters as agreement_filters
from agreements.models import KAZAKHSTAN, Agreement, ArticleStateMention
from instruments import filters as instrument_filters
from instruments.lifecycle import Precision, Status, period_end, today
from instruments.models import Country, Instrument, Relationship, RelationshipType

MAP_FILE = settings.BASE_DIR / "static" / "img" / "world-110m-paths.json"
# Countries smaller than this (px, either side) also get a round marker, so they can be seen and clicked.
SMALL_COUNTRY_PX = 7


# --------------------------------------------------------------------------- dates


def format_date(value, precision):
    """A date as precise as it is known: '10 December 2009', 'June 2017', '2015'."""
    if value is None or precision == Precision.UNKNOWN:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


class AsOfForm(forms.Form):
    """The map's one control: the date on which status is shown (empty: today).

    The same strict field as the lists' `on` filter: YYYY-MM-DD within 1800–2999.
    """

    on = instrument_filters.IsoDateField(label=_("Status on"), required=False)


# --------------------------------------------------------------------------- map


class MapCategory:
    """How a country is shaded. Order matters: a country with several agreements shows the first that applies."""

    KAZAKHSTAN = "kazakhstan"
    IN_FORCE = "in_force"
    NOT_YET_IN_FORCE = "not_yet_in_force"
    STATUS_UNKNOWN = "unknown"
    NO_LONGER_IN_FORCE = "no_longer_in_force"
    NAMED_ONLY = "named_only"

    LABELS = {
        KAZAKHSTAN: _("Kazakhstan"),
        IN_FORCE: _("Readmission agreement in force"),
        NOT_YET_IN_FORCE: _("Readmission agreement signed, not yet in force"),
        STATUS_UNKNOWN: _("Readmission agreement signed, status unknown"),
        NO_LONGER_IN_FORCE: _("Readmission agreement no longer in force"),
        NAMED_ONLY: _("No agreement found; named in the article's list of '13 other states'"),
    }
    ORDER = [KAZAKHSTAN, IN_FORCE, NOT_YET_IN_FORCE, STATUS_UNKNOWN, NO_LONGER_IN_FORCE, NAMED_ONLY]
    # Okabe–Ito colours (safe for colour-blind readers); the two uncertain kinds are also hatched,
    # so they differ by more than colour. Patterns are defined in templates/visuals/map.html.
    FILLS = {
        KAZAKHSTAN: "#8c1c4b",
        IN_FORCE: "#0072b2",
        NOT_YET_IN_FORCE: "#e69f00",
        STATUS_UNKNOWN: "url(#map-hatch-unknown)",
        NO_LONGER_IN_FORCE: "#595959",
        NAMED_ONLY: "url(#map-hatch-named)",
    }
    FROM_STATUS = {
        Status.IN_FORCE: IN_FORCE,
        Status.NOT_YET_IN_FORCE: NOT_YET_IN_FORCE,
        Status.UNKNOWN: STATUS_UNKNOWN,
        Status.NO_LONGER_IN_FORCE: NO_LONGER_IN_FORCE,
    }


@cache
def world_outlines():
    """The pre-built country outlines (tools/build_map.py), read once per process."""
    return json.loads(MAP_FILE.read_text())


@dataclass
class MapCountry:
    country: Country
    category: str
    agreements: list = field(default_factory=list)  # (agreement, status) pairs
    mentions: list = field(default_factory=list)  # ArticleStateMention rows

    @property
    def category_label(self):
        return MapCategory.LABELS[self.category]

    @property
    def fill(self):
        return MapCategory.FILLS[self.category]


def map_countries(on):
    """Kazakhstan, its readmission partners and the article's other named states, by numeric code.

    A partner's shade is the status on `on` of its agreement; with several
    agreements, the most current one wins (in force before not yet in force …).
    States the article names without any agreement on record are shaded as named only.
    """
    agreements = Agreement.objects.real().prefetch_related("parties__country").order_by("date_signed", "id")
    by_code = {}
    for agreement in agreements:
        status = agreement.status_on(on)
        for party in agreement.parties.all():
            if party.country_id == KAZAKHSTAN:
                continue
            entry = by_code.setdefault(party.country_id, MapCountry(party.country, MapCategory.NAMED_ONLY))
            entry.agreements.append((agreement, status))
    for entry in by_code.values():
        categories = [MapCategory.FROM_STATUS[status] for _, status in entry.agreements]
        entry.category = min(categories, key=MapCategory.ORDER.index)

    mentions = (ArticleStateMention.objects
                .filter(list__in=[ArticleStateMention.ArticleList.RATIFIED_12, ArticleStateMention.ArticleList.OTHER_13])
                .select_related("country").order_by("list", "position", "country"))
    for mention in mentions:
        entry = by_code.setdefault(mention.country_id, MapCountry(mention.country, MapCategory.NAMED_ONLY))
        entry.mentions.append(mention)

    kazakhstan = Country.objects.filter(code=KAZAKHSTAN).first()
    if kazakhstan is not None:
        by_code[KAZAKHSTAN] = MapCountry(kazakhstan, MapCategory.KAZAKHSTAN)
    return {entry.country.numeric: entry for entry in by_code.values()}


def map_shapes(shaded):
    """Every outline, with the MapCountry of shaded ones; shaded shapes last so their borders draw on top."""
    outlines = world_outlines()
    plain, coloured = [], []
    for outline in outlines["countries"]:
        entry = shaded.get(outline["numeric"]) if outline["numeric"] else None
        x0, y0, x1, y1 = outline["bbox"]
        shape = {**outline, "entry": entry,
                 "small": entry is not None and (x1 - x0 < SMALL_COUNTRY_PX or y1 - y0 < SMALL_COUNTRY_PX)}
        (coloured if entry else plain).append(shape)
    return plain, coloured


class MapView(TemplateView):
    template_name = "visuals/map.html"

    def get(self, request, *args, **kwargs):
        form = AsOfForm(request.GET or None)
        valid = form.is_valid() if request.GET else True
        on = (form.cleaned_data.get("on") if valid and request.GET else None) or today()
        context = self.get_context_data(form=form, on=on, valid=valid, **kwargs)
        return self.render_to_response(context, status=200 if valid else 400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shaded = map_countries(context["on"]) if context["valid"] else {}
        plain, coloured = map_shapes(shaded)
        outlines = world_outlines()
        rows = sorted(shaded.values(), key=lambda e: (MapCategory.ORDER.index(e.category), e.country.name))
        legend = [{"category": category, "label": MapCategory.LABELS[category], "fill": MapCategory.FILLS[category],
                   "count": sum(1 for e in shaded.values() if e.category == category)}
                  for category in MapCategory.ORDER]
        context.update(
            plain_shapes=plain, shaded_shapes=coloured, rows=rows, legend=legend,
            width=outlines["width"], height=outlines["height"], inset=outlines.get("insets", {}).get("europe"),
            on_text=formats.date_format(context["on"], "DATE_FORMAT"),
        )
        return context


# --------------------------------------------------------------------------- timeline

TIMELINE_WIDTH = 960
LABEL_GAP = 4
ROW_HEIGHT = 40
AXIS_HEIGHT = 28
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
    repeals = Prefetch("incoming_relationships",
                       queryset=Relationship.objects.filter(type=RelationshipType.REPEALS).select_related("subject"))
    rows = []
    for instrument in instruments.prefetch_related(repeals):
        end, end_precision, reason, end_unknown = instrument.end_of_validity, instrument.end_of_validity_precision, "", False
        for repeal in instrument.incoming_relationships.all():
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
        rows.append(TimelineRow(
            record=instrument, kind="instrument", label=instrument.label, url=instrument.get_absolute_url(),
            start=instrument.date_adopted, start_precision=instrument.date_adopted_precision,
            entry_into_force=instrument.entry_into_force,
            entry_into_force_precision=instrument.entry_into_force_precision,
            end=end, end_precision=end_precision, end_reason=str(reason),
            end_unknown=end_unknown and end is None, status=instrument.status_on(on),
        ))
    return rows


def agreement_rows(agreements, on):
    rows = []
    for agreement in agreements.prefetch_related("parties__country"):
        end = agreement.end_of_validity
        rows.append(TimelineRow(
            record=agreement, kind="agreement", label=str(agreement.label), url=agreement.get_absolute_url(),
            start=agreement.date_signed, start_precision=agreement.date_signed_precision,
            entry_into_force=agreement.entry_into_force,
            entry_into_force_precision=agreement.entry_into_force_precision,
            end=end, end_precision=agreement.end_of_validity_precision,
            end_reason=str(_("end of validity")) if end else "", end_unknown=False,
            status=agreement.status_on(on),
        ))
    return rows


def layout(rows, on):
    """Place rows on a common time axis (in SVG units); returns the axis ticks, the 'today' line and the height.

    Each row gets: a label line, then on the bar line a hollow circle at
    signature/adoption, a dashed line up to entry into force, a solid bar while
    in force, an arrow when still open-ended, and a dashed tail with a note when
    it ended at an unknown date. What is unknown is not drawn but said in words.
    """
    dates = [d for row in rows for d in (row.start, row.entry_into_force, row.end) if d] + [on]
    first_year = min(dates).year
    last_year = max(dates).year + 1
    origin = datetime.date(first_year, 1, 1)
    span = (datetime.date(last_year + 1, 1, 1) - origin).days
    usable = TIMELINE_WIDTH - 2 * SIDE

    def x(value):
        return round(SIDE + usable * (value - origin).days / span, 1)

    today_x = x(on)
    for index, row in enumerate(rows):
        row.y = AXIS_HEIGHT + index * ROW_HEIGHT
        row.y_label = row.y + 13
        row.y_bar = row.y + 20
        row.y_mid = row.y + 25
        row.x_start = x(row.start) if row.start else None
        row.x_force = x(row.entry_into_force) if row.entry_into_force else None
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
        if row.end_unknown and row.x_force is not None:
            row.x_unknown_tail = max(today_x, row.x_force + 20)
        note_at = row.x_start if row.x_start is not None else first
        row.note_anchor = "end" if note_at > TIMELINE_WIDTH * 0.6 else "start"
        row.note_x = note_at - 9 if row.note_anchor == "end" else note_at + 9
    step = 1 if last_year - first_year <= 12 else 2 if last_year - first_year <= 24 else 5
    years = [(year, x(datetime.date(year, 1, 1)))
             for year in range(first_year, last_year + 2) if (year - first_year) % step == 0]
    return {"years": years, "today_x": today_x, "height": AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 8,
            "first_year": first_year, "last_year": last_year}


# Query parameters that are not filters.
NOT_FILTERS = {"show", "page", "page_size", "format", "ordering"}

# The filters the timeline's form offers, with translatable labels; every other filter of the
# two FilterSets (relationships, subject …) still works from the URL and is kept by the form.
FORM_FIELDS = {
    "q": _("Search titles and numbers"),
    "kind": _("Kind of instrument"),
    "jurisdiction": _("Jurisdiction"),
    "level": _("Level"),
    "country": _("Partner country (ISO code)"),
    "member_of": _("Partner member of"),
    "status": _("Status"),
    "on": _("Status on (YYYY-MM-DD)"),
    "in_force_on": _("In force on (YYYY-MM-DD)"),
    "adopted_from": _("Adopted from (YYYY-MM-DD)"),
    "adopted_to": _("Adopted until (YYYY-MM-DD)"),
    "signed_from": _("Signed from (YYYY-MM-DD)"),
    "signed_to": _("Signed until (YYYY-MM-DD)"),
}


def _owns(filterset, key):
    """Whether `key` is a query parameter this FilterSet reads."""
    return key in filterset.form.fields


class TimelineView(TemplateView):
    """Instruments and agreements on one time axis, filtered with the lists' own FilterSets.

    A filter that only one kind of record understands (a partner country, an
    instrument kind) leaves the other kind out: no agreement is a directive.
    """

    template_name = "visuals/timeline.html"
    SHOW_CHOICES = [("all", _("Instruments and agreements")), ("instruments", _("Instruments only")),
                    ("agreements", _("Agreements only"))]

    def get(self, request, *args, **kwargs):
        data = request.GET
        instrument_set = instrument_filters.InstrumentFilter(data, queryset=Instrument.objects.real())
        agreement_set = agreement_filters.AgreementFilter(data, queryset=Agreement.objects.real())
        show = data.get("show") or "all"
        errors = []
        if show not in dict(self.SHOW_CHOICES):
            errors.append(_("Choose what to show: instruments, agreements or both."))
        given = [key for key, value in data.items() if value and key not in NOT_FILTERS]
        unknown = [key for key in given if not _owns(instrument_set, key) and not _owns(agreement_set, key)]
        if unknown:
            errors.append(_("Unknown filter: %(names)s") % {"names": ", ".join(sorted(unknown))})
        for filterset in (instrument_set, agreement_set):
            if not filterset.is_valid():
                for name, messages in filterset.errors.items():
                    label = FORM_FIELDS.get(name, name)
                    errors.extend(f"{label}: {message}" for message in messages)
        errors = list(dict.fromkeys(str(error) for error in errors))
        on = today()
        rows = []
        if not errors:
            on = instrument_set.form.cleaned_data.get("on") or today()
            if show in ("all", "instruments") and all(_owns(instrument_set, key) for key in given):
                rows += instrument_rows(instrument_set.qs, on)
            if show in ("all", "agreements") and all(_owns(agreement_set, key) for key in given):
                rows += agreement_rows(agreement_set.qs, on)
        rows.sort(key=lambda row: (row.start or row.entry_into_force or datetime.date.max, row.kind, row.label))
        fields = {**{f.name: f for f in agreement_set.form}, **{f.name: f for f in instrument_set.form}}
        for name, label in FORM_FIELDS.items():
            fields[name].label = label
        context = self.get_context_data(
            rows=rows, axis=layout(rows, on) if rows else None, errors=errors,
            show=show, show_choices=self.SHOW_CHOICES,
            form_fields=[fields[name] for name in FORM_FIELDS],
            kept_parameters=[(key, value) for key, value in data.items()
                             if value and key not in FORM_FIELDS and key != "show"],
            on_text=formats.date_format(on, "DATE_FORMAT"), width=TIMELINE_WIDTH, filtered=bool(given),
            on_label=_("today") if on == today() else formats.date_format(on, "DATE_FORMAT"),
            counts={"instrument": sum(r.kind == "instrument" for r in rows),
                    "agreement": sum(r.kind == "agreement" for r in rows)},
            **kwargs,
        )
        return self.render_to_response(context, status=400 if errors else 200)
