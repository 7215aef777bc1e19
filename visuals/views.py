"""The map and the timeline pages: server-rendered SVG that works without JavaScript, each with an
equivalent table for people who do not see the picture. The data functions (visuals.maps,
visuals.timeline) are plain Python over querysets, so tests can check them without HTML."""

import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements import filters as agreement_filters
from agreements.models import Agreement, AgreementType
from core.filters import IsoDateField, choice_messages
from core.lifecycle import today
from instruments import filters as instrument_filters
from instruments.models import Instrument

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


class MapView(TemplateView):
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
            on_text=formats.date_format(context["on"], "DATE_FORMAT"),
            type_choices=AsOfForm.base_fields["type"].choices,
            type_value=agreement_type or ALL_TYPES,
            type_label=AgreementType(agreement_type).label if agreement_type else None,
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


class TimelineView(TemplateView):
    """Instruments and agreements on one time axis, filtered with the lists' own FilterSets.

    A filter that only one kind of record understands (a partner country, an
    instrument kind) leaves the other kind out: no agreement is a directive.
    """

    template_name = "visuals/timeline.html"
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
            on_text=formats.date_format(on, "DATE_FORMAT"),
            width=TIMELINE_WIDTH,
            filtered=bool(given),
            on_label=_("today") if on == today() else formats.date_format(on, "DATE_FORMAT"),
            counts={
                "instrument": sum(r.kind == "instrument" for r in rows),
                "agreement": sum(r.kind == "agreement" for r in rows),
            },
            **kwargs,
        )
        return self.render_to_response(context, status=400 if errors else 200)
