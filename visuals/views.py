"""The map and the timeline pages: server-rendered SVG that works without JavaScript, each with an
equivalent table for people who do not see the picture. The data functions (visuals.maps,
visuals.timeline) are plain Python over querysets, so tests can check them without HTML."""

import datetime

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements import filters as agreement_filters
from agreements.models import Agreement, AgreementType
from core.filters import MAX_DATE, MIN_DATE, IsoDateField, choice_messages
from core.lifecycle import today
from core.views import PageMetaMixin
from instruments import filters as instrument_filters
from instruments.models import Instrument
from instruments.vocabulary import InstrumentKind, Jurisdiction
from subjects.models import Subject

from .dates import format_date
from .maps import MapCategory, map_countries, map_shapes, world_outlines
from .timeline import TIMELINE_WIDTH, agreement_rows, instrument_rows, layout

ALL_TYPES = "all"


class AsOfForm(forms.Form):
    """The map's controls: the date on which status is shown (empty: today), and the type of
    agreement (empty: every type).

    The same strict field as the lists' `on` filter: YYYY-MM-DD within 1800–2999.
    """

    on = IsoDateField(label=_("Status on"), required=False)
    type = forms.ChoiceField(
        label=_("Type of agreement"),
        required=False,
        choices=[(ALL_TYPES, _("all types")), *AgreementType.choices],
        error_messages=choice_messages([(ALL_TYPES, ""), *AgreementType.choices]),
    )

    def agreement_type(self):
        """The chosen type, or None for all types (the default)."""
        value = self.cleaned_data.get("type") if self.is_valid() else None
        return None if value in (None, "", ALL_TYPES) else value


class MapView(PageMetaMixin, TemplateView):
    meta_title = _("Map of Kazakhstan's readmission agreements")
    meta_description = _(
        "Kazakhstan's bilateral readmission agreements on a world map, each partner state shaded by "
        "the agreement's status on a date you choose."
    )
    template_name = "visuals/map.html"

    def get(self, request, *args, **kwargs):
        form = AsOfForm(request.GET or None)
        valid = form.is_valid() if request.GET else True
        on = (form.cleaned_data.get("on") if valid and request.GET else None) or today()
        agreement_type = form.agreement_type() if valid and request.GET else None
        context = self.get_context_data(form=form, on=on, valid=valid, agreement_type=agreement_type, **kwargs)
        return self.render_to_response(context, status=200 if valid else 400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement_type = context["agreement_type"]
        shaded = map_countries(context["on"], agreement_type) if context["valid"] else {}
        plain, coloured = map_shapes(shaded)
        outlines = world_outlines()
        rows = sorted(shaded.values(), key=lambda e: (MapCategory.ORDER.index(e.category), e.country.name))
        legend = [
            {
                "category": category,
                "label": MapCategory.label(category, agreement_type),
                "fill": MapCategory.FILLS[category],
                "count": sum(1 for e in shaded.values() if e.category == category),
            }
            for category in MapCategory.ORDER
            # The rarer statuses are listed only where a country is shaded so.
            if category not in (MapCategory.PROVISIONALLY_APPLIED, MapCategory.NOT_YET_APPLICABLE)
            or any(e.category == category for e in shaded.values())
        ]
        context.update(
            plain_shapes=plain,
            shaded_shapes=coloured,
            rows=rows,
            legend=legend,
            width=outlines["width"],
            height=outlines["height"],
            inset=outlines.get("insets", {}).get("europe"),
            on_text=format_date(context["on"]),
            type_choices=AsOfForm.base_fields["type"].choices,
            type_value=agreement_type or ALL_TYPES,
            type_label=AgreementType(agreement_type).label if agreement_type else None,
        )
        return context


# Query parameters that are not filters of the lists (the timeline's own are in TimelineForm).
NOT_FILTERS = {"show", "page", "page_size", "format", "ordering", "group", "from_year", "to_year"}

GROUP_CHOICES = [
    ("jurisdiction", _("jurisdiction (legal order)")),
    ("kind", _("kind of instrument or agreement")),
    ("none", _("no grouping (by date)")),
]


class TimelineForm(forms.Form):
    """The timeline's own parameters: grouping and period (years, inclusive), validated strictly."""

    group = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=GROUP_CHOICES,
        error_messages=choice_messages(GROUP_CHOICES),
    )
    from_year = forms.IntegerField(
        label=_("Period: from (year)"),
        required=False,
        min_value=MIN_DATE.year,
        max_value=MAX_DATE.year,
        error_messages={"invalid": _("Give a year as four digits, e.g. 2015.")},
    )
    to_year = forms.IntegerField(
        label=_("Period: to (year)"),
        required=False,
        min_value=MIN_DATE.year,
        max_value=MAX_DATE.year,
        error_messages={"invalid": _("Give a year as four digits, e.g. 2015.")},
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("from_year"), data.get("to_year")
        if first and last and first > last:
            raise forms.ValidationError(_("The period's first year comes after its last year."))
        return data


def group_rows(rows, group):
    """[(heading, rows)] in the vocabulary's order, agreements after instruments; [] for no grouping."""
    if group == "none":
        return []
    order = []
    for row in rows:
        record = row.record
        if row.kind == "instrument":
            if group == "kind":
                key = (0, list(InstrumentKind.values).index(record.kind), record.get_kind_display())
            else:
                key = (0, list(Jurisdiction.values).index(record.jurisdiction), record.get_jurisdiction_display())
        elif group == "kind":
            label = _("agreement with partner states: %(type)s") % {"type": record.get_type_display()}
            key = (1, list(AgreementType.values).index(record.type), label)
        else:
            key = (1, 0, _("Kazakhstan's agreements with partner states"))
        row.group = capfirst(str(key[2]))
        order.append((key[:2], row.group, row))
    groups = {}
    for _key, heading, row in sorted(order, key=lambda item: item[0]):
        groups.setdefault(heading, []).append(row)
    return list(groups.items())


# The filters the timeline's form offers, with translatable labels; every other filter of the
# two FilterSets (relationships, subject …) still works from the URL and is kept by the form.
FORM_FIELDS = {
    "q": _("Search titles and numbers"),
    "kind": _("Kind of instrument"),
    "jurisdiction": _("Jurisdiction"),
    "level": _("Level"),
    "country": _("Partner country (ISO code)"),
    "member_of": _("Partner member of"),
    "subject": _("Subject"),
    "status": _("Status"),
    "on": _("Status on (YYYY-MM-DD)"),
    "in_force_on": _("In force on (YYYY-MM-DD)"),
    "adopted_from": _("Adopted from (YYYY-MM-DD)"),
    "adopted_to": _("Adopted until (YYYY-MM-DD)"),
    "signed_from": _("Signed from (YYYY-MM-DD)"),
    "signed_to": _("Signed until (YYYY-MM-DD)"),
}


def subject_choices():
    """The subjects records are coded with, for the timeline's subject select (one query)."""
    return sorted(
        ((subject.code, str(subject)) for subject in Subject.objects.all()),
        key=lambda item: item[1],
    )


def _owns(filterset, key):
    """Whether `key` is a query parameter this FilterSet reads."""
    return key in filterset.form.fields


class TimelineView(PageMetaMixin, TemplateView):
    """Instruments and agreements on one time axis, filtered with the lists' own FilterSets.

    A filter that only one kind of record understands (a partner country, an
    instrument kind) leaves the other kind out: no agreement is a directive.
    """

    template_name = "visuals/timeline.html"
    meta_title = _("Timeline of instruments and agreements")
    meta_description = _(
        "When each instrument and readmission agreement was signed or adopted, entered into force "
        "and stopped applying, on one time axis."
    )
    SHOW_CHOICES = [
        ("all", _("Instruments and agreements")),
        ("instruments", _("Instruments only")),
        ("agreements", _("Agreements only")),
    ]

    def get(self, request, *args, **kwargs):
        data = request.GET
        instrument_set = instrument_filters.InstrumentFilter(data, queryset=Instrument.objects.real())
        agreement_set = agreement_filters.AgreementFilter(data, queryset=Agreement.objects.real())
        show = data.get("show") or "all"
        errors = []
        if show not in dict(self.SHOW_CHOICES):
            errors.append(_("Choose what to show: instruments, agreements or both."))
        timeline_form = TimelineForm(data)
        if not timeline_form.is_valid():
            for name, messages in timeline_form.errors.items():
                label = timeline_form.fields[name].label if name in timeline_form.fields else ""
                errors.extend(f"{label}: {message}" if label else str(message) for message in messages)
        options = timeline_form.cleaned_data if timeline_form.is_valid() else {}
        group = options.get("group") or "jurisdiction"
        first_year, last_year = options.get("from_year"), options.get("to_year")
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
        if first_year or last_year:
            period = (
                datetime.date(first_year or MIN_DATE.year, 1, 1),
                datetime.date(last_year or MAX_DATE.year, 12, 31),
            )
            rows = [row for row in rows if row.lives_in(*period)]
        rows.sort(key=lambda row: (row.start or row.entry_into_force or datetime.date.max, row.kind, row.label))
        groups = group_rows(rows, group)
        if first_year and not last_year:
            last_year = max(first_year, on.year)
        if last_year and not first_year:
            dates = [row.first_date for row in rows if row.first_date]
            first_year = min([d.year for d in dates] + [last_year])
        fields = {**{f.name: f for f in agreement_set.form}, **{f.name: f for f in instrument_set.form}}
        for name, label in FORM_FIELDS.items():
            fields[name].label = label
        context = self.get_context_data(
            rows=rows,
            axis=layout(rows, on, first_year, last_year, groups) if rows else None,
            groups=groups or [("", rows)],
            errors=errors,
            show=show,
            show_choices=self.SHOW_CHOICES,
            timeline_form=timeline_form,
            group=group,
            group_choices=GROUP_CHOICES,
            subjects=subject_choices(),
            form_fields=[fields[name] for name in FORM_FIELDS],
            kept_parameters=[
                (key, value)
                for key, value in data.items()
                if value and key not in FORM_FIELDS and key not in ("show", "group", "from_year", "to_year")
            ],
            on_text=format_date(on),
            width=TIMELINE_WIDTH,
            filtered=bool(given) or bool(first_year or last_year) or "group" in data,
            on_label=_("today") if on == today() else format_date(on),
            counts={
                "instrument": sum(r.kind == "instrument" for r in rows),
                "agreement": sum(r.kind == "agreement" for r in rows),
            },
            **kwargs,
        )
        return self.render_to_response(context, status=400 if errors else 200)
