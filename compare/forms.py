"""The comparison's parameters, strict: a value it does not understand is an error, never ignored.

`on` (default today) and an earlier `since`; or the same as `from` and `to` (`to` is `on`,
`from` is `since`). `scheme` keeps rows of one scheme, `subject` one subject and those below
it, `orders` some of the columns (comma-separated codes).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.filters import CodeListField, IsoDateField, choice_messages
from core.lifecycle import today
from subjects.models import Subject

from .matrix import ORDER_CODES, ROW_SCHEMES

SCHEME_CHOICES = [(scheme.value, scheme.label) for scheme in ROW_SCHEMES]
PARAMETERS = ("on", "since", "from", "to", "scheme", "subject", "orders")


class SubjectRowField(forms.CharField):
    """A subject code of a row scheme (a policy area or a target group)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 80)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if not Subject.objects.filter(code=value, scheme__in=ROW_SCHEMES).exists():
            raise ValidationError(
                'No policy area or target group has the code "%(value)s".',
                code="unknown_subject",
                params={"value": value},
            )
        return value


class CompareForm(forms.Form):
    on = IsoDateField(label=_("Law on"), required=False)
    since = IsoDateField(label=_("Changes since"), required=False)
    scheme = forms.ChoiceField(
        label=_("Rows"),
        choices=[("", _("Policy areas and target groups")), *SCHEME_CHOICES],
        required=False,
        error_messages=choice_messages(SCHEME_CHOICES),
    )
    subject = SubjectRowField(label=_("Subject (code)"), required=False)
    orders = CodeListField(
        label=_("Legal orders (codes)"),
        required=False,
        known=ORDER_CODES,
        message='Unknown legal order(s) "%(value)s"; give any of: %(known)s.',
        error_code="unknown_order",
        canonical_order=True,
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # `from` and `to` are Python keywords: declared here, not as attributes.
        self.fields["from"] = IsoDateField(label=_("From"), required=False)
        self.fields["to"] = IsoDateField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if (start or end) and (data.get("on") or data.get("since")):
            raise ValidationError(_("Give either on (and since) or from and to, not both."), code="both_ways")
        if end and not start:
            self.add_error("from", ValidationError(_("Give from with to."), code="from_missing"))
        if start and not end:
            self.add_error("to", ValidationError(_("Give to with from."), code="to_missing"))
        on = end or data.get("on")
        since = start or data.get("since")
        if since and not self.errors:
            if since >= (on or today()):
                name = "from" if start else "since"
                self.add_error(name, ValidationError(_("The first date must be before the second."), code="order"))
        data["on_date"] = on or today()
        data["since_date"] = since
        return data

    def matrix_arguments(self):
        data = self.cleaned_data
        return {
            "on": data["on_date"],
            "since": data["since_date"],
            "schemes": (data["scheme"],) if data.get("scheme") else ROW_SCHEMES,
            "subject": data.get("subject"),
            "orders": data.get("orders"),
        }
