"""The map and the timeline pages: server-rendered SVG that works without JavaScript, each with an
equivalent table for people who do not see the picture. The data functions (visuals.maps,
visuals.timeline) are plain Python over querysets, so tests can check them without HTML."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements import filters as agreement_filters
from agreements.models import Agreement
from core.filters import IsoDateField
from core.lifecycle import today
from core.views import PageMetaMixin
from instruments import filters as instrument_filters
from instruments.models import Instrument

from .dates import format_date
from .maps import MapCategory, map_countries, map_shapes, world_outlines
from .timeline import TIMELINE_WIDTH, agreement_rows, instrument_rows, layout


class AsOfForm(forms.Form):
    """The map's one control: the date on which status is shown (empty: today).

    The same strict field as the lists' `on` filter: YYYY-MM-DD within 1800–2999.
    """

    on = IsoDateField(label=_("Status on"), required=False)


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
        context = self.get_context_data(form=form, on=on, valid=valid, **kwargs)
        return self.render_to_response(context, status=200 if valid else 400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shaded = map_countries(context["on"]) if context["valid"] else {}
        plain, coloured = map_shapes(shaded)
        outlines = world_outlines()
        rows = sorted(shaded.values(), key=lambda e: (MapCategory.ORDER.index(e.category), e.country.name))
        legend = [
            {
                "category": category,
                "label": MapCategory.LABELS[category],
                "fill": MapCategory.FILLS[category],
                "count": sum(1 for e in shaded.values() if e.category == category),
            }
            for category in MapCategory.ORDER
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
        )
        return context


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
            rows=rows,
            axis=layout(rows, on) if rows else None,
            errors=errors,
            show=show,
            show_choices=self.SHOW_CHOICES,
            form_fields=[fields[name] for name in FORM_FIELDS],
            kept_parameters=[
                (key, value) for key, value in data.items() if value and key not in FORM_FIELDS and key != "show"
            ],
            on_text=format_date(on),
            width=TIMELINE_WIDTH,
            filtered=bool(given),
            on_label=_("today") if on == today() else format_date(on),
            counts={
                "instrument": sum(r.kind == "instrument" for r in rows),
                "agreement": sum(r.kind == "agreement" for r in rows),
            },
            **kwargs,
        )
        return self.render_to_response(context, status=400 if errors else 200)
