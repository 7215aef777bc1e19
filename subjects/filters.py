"""The subject filter of instrument and agreement lists: a code and its narrower codes."""

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from core.filters import KnownIdFilter, StrictChoiceFilter, TableFilterSet, ordering_filter

from .models import Subject


class SubjectCodeField(forms.CharField):
    """A subject code of the controlled vocabulary; cleans to the code and its narrower codes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 80)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        codes = Subject.objects.with_narrower(value)
        if not codes:
            raise ValidationError(
                'No subject has the code "%(value)s".', code="unknown_subject", params={"value": value}
            )
        return codes


class SubjectFilter(df.CharFilter):
    """Records coded with a subject or one of its narrower subjects (instruments and agreements)."""

    field_class = SubjectCodeField

    def filter(self, qs, value):
        if not value:
            return qs
        field = qs.model._meta.get_field("subjects")
        through = field.remote_field.through
        owner = field.m2m_field_name()
        return qs.filter(Exists(through.objects.filter(**{owner: OuterRef("pk"), "subject__in": value})))


class SubjectListFilter(TableFilterSet):
    """The subjects list (the controlled vocabulary)."""

    scheme = StrictChoiceFilter(choices=Subject.Scheme.choices, help_text="policy_area, target_group or policy_tool.")
    parent = KnownIdFilter(model=Subject, noun="subject", help_text="Subjects directly under this code.")
    ordering = ordering_filter("code", "scheme", "label_en", default="scheme, code")

    default_ordering = ("scheme", "code")

    class Meta:
        model = Subject
        fields = []
