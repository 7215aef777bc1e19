"""The events list's parameters, shared by the page and the API, validated strictly.

`on` (default today) centres the window: the last and the next 12 months; `from` and `to`
override either end. `jurisdiction` and `kind` keep instruments only, `type` agreements
only; `subject` and `country` keep both (an instrument with the state as a party, an
agreement with it as a partner). `event` keeps some kinds of event (comma-separated).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementType
from core.filters import CodeListField, IsoDateField, choice_messages
from core.lifecycle import today
from countries.fields import CountryCodesField
from instruments.models import Instrument, InstrumentParty
from instruments.vocabulary import InstrumentKind, Jurisdiction
from subjects.filters import SubjectCodeField, SubjectFilter

from .queries import EVENT_CHOICES, default_window, event_rows

MAX_WINDOW_DAYS = 366 * 50


def _choice(choices, label):
    return forms.ChoiceField(
        choices=[("", "")] + list(choices), required=False, label=label, error_messages=choice_messages(choices)
    )


class EventForm(forms.Form):
    on = IsoDateField(required=False, label=_("Around the date"))
    # `from` and `to` (a Python keyword) are added below.
    event = CodeListField(
        required=False,
        label=_("Event"),
        known=dict(EVENT_CHOICES),
        message='Unknown event type "%(value)s"; give any of: %(known)s.',
    )
    jurisdiction = _choice(Jurisdiction.choices, _("Jurisdiction"))
    kind = _choice(InstrumentKind.choices, _("Kind"))
    type = _choice(AgreementType.choices, _("Type of agreement"))
    subject = SubjectCodeField(required=False, label=_("Subject"))
    country = CountryCodesField(required=False, label=_("Country"))

    def clean(self):
        data = super().clean()
        start, end = self.window()
        if start and end and end < start:
            raise ValidationError({"to": "Give a date on or after `from`."})
        if start and end and (end - start).days > MAX_WINDOW_DAYS:
            raise ValidationError({"to": "The window is at most 50 years."})
        return data

    def window(self):
        data = self.cleaned_data
        on = data.get("on") or today()
        start, end = default_window(on)
        return data.get("from") or start, data.get("to") or end

    def reference_date(self):
        return (self.cleaned_data.get("on") if self.is_valid() else None) or today()

    def records(self):
        """The instruments and agreements kept (None: that kind left out)."""
        data = self.cleaned_data
        instruments = None if data.get("type") else Instrument.objects.all()
        agreements = None if data.get("jurisdiction") or data.get("kind") else Agreement.objects.all()
        if instruments is not None:
            for name in ("jurisdiction", "kind"):
                if data.get(name):
                    instruments = instruments.filter(**{name: data[name]})
            if data.get("country"):
                parties = InstrumentParty.objects.filter(instrument=OuterRef("pk"), country__in=data["country"])
                instruments = instruments.filter(Exists(parties))
        if agreements is not None:
            if data.get("type"):
                agreements = agreements.filter(type=data["type"])
            if data.get("country"):
                agreements = agreements.with_partner(*data["country"])
        if data.get("subject"):
            by_subject = SubjectFilter()
            instruments = by_subject.filter(instruments, data["subject"]) if instruments is not None else None
            agreements = by_subject.filter(agreements, data["subject"]) if agreements is not None else None
        return instruments, agreements

    def rows(self):
        """The events as one UNION ALL queryset (needs a valid form)."""
        start, end = self.window()
        instruments, agreements = self.records()
        return event_rows(start, end, instruments, agreements, self.cleaned_data.get("event"))


EventForm.base_fields["from"] = IsoDateField(required=False, label=_("From"))
EventForm.base_fields["to"] = IsoDateField(required=False, label=_("To"))
# Order of the fields on the page.
EventForm.base_fields = {
    name: EventForm.base_fields[name]
    for name in ("on", "from", "to", "event", "jurisdiction", "kind", "type", "subject", "country")
}
EventForm.declared_fields = EventForm.base_fields
