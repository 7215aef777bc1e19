"""Form fields for states, shared by the filters of every app that names them."""

import pycountry
from django import forms
from django.core.exceptions import ValidationError

from core.filters import MAX_TEXT_LENGTH


class CountryCodesField(forms.CharField):
    """One or more ISO 3166-1 codes (alpha-2 or alpha-3, any case, comma-separated) → alpha-2 list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT_LENGTH)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        codes, unknown = [], []
        for raw in value.split(","):
            code = raw.strip()
            record = None
            if len(code) == 2 and code.isalpha():
                record = pycountry.countries.get(alpha_2=code.upper())
            elif len(code) == 3 and code.isalpha():
                record = pycountry.countries.get(alpha_3=code.upper())
            if record is None:
                unknown.append(raw)
            elif record.alpha_2 not in codes:
                codes.append(record.alpha_2)
        if unknown:
            listed = ", ".join(f'"{code}"' for code in unknown)
            raise ValidationError(
                "Not an ISO 3166-1 alpha-2 or alpha-3 country code: %(listed)s.",
                code="unknown_country",
                params={"listed": listed},
            )
        return codes
