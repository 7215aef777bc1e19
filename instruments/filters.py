"""Filters for instruments, shared by the REST API and the HTML lists.

Plain django-filter FilterSets with no REST framework in them: the API wraps them
in a strict backend (unknown or repeated parameters are refused there), the web
UI uses them as they are. Every field validates strictly: a value it does not
understand is a form error with a message, never a filter silently dropped.

Point in time: `in_force_on` returns the records whose *known* in-force period
contains the date (Instrument.objects.in_force_on); a record whose entry into
force is unknown is not returned. `status` is computed on the date given by `on`
(default: the knowledge base's today).
"""

import datetime
import re

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef

from .lifecycle import Status, today
from .models import Instrument, Jurisdiction, Kind, Level, Relationship, RelationshipType, Subject

# Dates outside this range are refused: they are no use for these instruments, and the
# point-in-time arithmetic (a day before, a month after) must never overflow.
MIN_DATE = datetime.date(1800, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
MAX_TEXT_LENGTH = 200
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# The parameter for the inverse direction of each relationship type, as ELI names them.
INVERSE_PARAMETER = {
    RelationshipType.AMENDS: "amended_by",
    RelationshipType.REPEALS: "repealed_by",
    RelationshipType.RECASTS: "recast_by",
    RelationshipType.CODIFIES: "codified_by",
    RelationshipType.RATIFIES: "ratified_by",
    RelationshipType.IMPLEMENTS: "implemented_by",
    RelationshipType.CITES: "cited_by",
    RelationshipType.BASED_ON: "basis_for",
    RelationshipType.REPLACES_IN_SUBSTANCE: "replaced_in_substance_by",
}


# --------------------------------------------------------------------------- strict form fields


class IsoDateField(forms.DateField):
    """YYYY-MM-DD only (no locale formats), within MIN_DATE..MAX_DATE."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": "Give a date as YYYY-MM-DD, e.g. 2017-01-01."}

    def to_python(self, value):
        # strptime alone would take "2017-1-1"; insist on the one unambiguous spelling.
        if isinstance(value, str) and value.strip() and not ISO_DATE.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not (MIN_DATE <= value <= MAX_DATE):
            raise ValidationError(f"Give a date between {MIN_DATE} and {MAX_DATE}.", code="out_of_range")
        return value


class StrictBooleanField(forms.Field):
    """'true' or 'false' (any case); anything else is an error, never 'no filter'."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
        raise ValidationError(f'Give true or false, not "{value}".', code="invalid")


class InstrumentIdField(forms.CharField):
    """The id of an existing instrument (a typo must not match nothing in silence)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 80)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not Instrument.objects.filter(pk=value).exists():
            raise ValidationError(f'No instrument has the id "{value}".', code="unknown_instrument")
        return value


class SubjectCodeField(forms.CharField):
    """A subject code of the controlled vocabulary; cleans to the code and its descendants."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 80)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        children = {}
        known = set()
        for code, parent in Subject.objects.values_list("code", "parent_id"):
            known.add(code)
            children.setdefault(parent, []).append(code)
        if value not in known:
            raise ValidationError(f'No subject has the code "{value}".', code="unknown_subject")
        codes, todo = [], [value]
        while todo:
            code = todo.pop()
            codes.append(code)
            todo.extend(children.get(code, []))
        return sorted(codes)


def choice_messages(choices):
    accepted = ", ".join(value for value, _label in choices)
    return {"invalid_choice": f'Unknown value "%(value)s"; give one of: {accepted}.'}


# --------------------------------------------------------------------------- filters


class StrictChoiceFilter(df.ChoiceFilter):
    def __init__(self, *args, choices, **kwargs):
        kwargs.setdefault("error_messages", choice_messages(choices))
        super().__init__(*args, choices=choices, **kwargs)


class DateFilter(df.DateFilter):
    field_class = IsoDateField


class StrictBooleanFilter(df.BooleanFilter):
    field_class = StrictBooleanField


class ReferenceDateFilter(DateFilter):
    """A date other filters read (`status`, `member_of`); it filters nothing itself."""

    def filter(self, qs, value):
        return qs


class StableOrderingFilter(df.OrderingFilter):
    """Ordering by whitelisted fields, empty dates last on every database, ties broken by id."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {})
        super().__init__(*args, **kwargs)
        accepted = ", ".join(value for value, _label in self.extra["choices"])
        self.extra["error_messages"]["invalid_choice"] = f'Unknown ordering "%(value)s"; give one of: {accepted}.'

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        # Empty parts ("ordering=," or "ordering=kind,,") mean nothing, as an empty value does.
        params = [param for param in value or [] if param]
        if not params:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in params], "pk")


class RelatedInstrumentFilter(df.CharFilter):
    """Instruments with a relationship of one type to the instrument given by id.

    direction "outgoing": this instrument is the subject (`repeals=X`: it repeals X);
    direction "incoming": the given one is the subject (`repealed_by=X`: X repeals it).
    """

    field_class = InstrumentIdField

    def __init__(self, *args, rel_type, direction, **kwargs):
        self.rel_type, self.direction = rel_type, direction
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.direction == "outgoing":
            edges = Relationship.objects.filter(subject=OuterRef("pk"), type=self.rel_type, object=value)
        else:
            edges = Relationship.objects.filter(object=OuterRef("pk"), type=self.rel_type, subject=value)
        return qs.filter(Exists(edges))


class SubjectFilter(df.CharFilter):
    field_class = SubjectCodeField

    def filter(self, qs, value):
        if not value:
            return qs
        through = Instrument.subjects.through
        return qs.filter(Exists(through.objects.filter(instrument=OuterRef("pk"), subject__in=value)))


def relationship_filters():
    filters = {}
    for rel_type in RelationshipType:
        filters[rel_type.value] = RelatedInstrumentFilter(
            rel_type=rel_type, direction="outgoing",
            help_text=f"Instruments that {rel_type.label} the instrument with this id.")
        filters[INVERSE_PARAMETER[rel_type]] = RelatedInstrumentFilter(
            rel_type=rel_type, direction="incoming",
            help_text=f"Instruments {INVERSE_PARAMETER[rel_type].replace('_', ' ')} the instrument with this id.")
    return filters


class FormClassOnceMixin:
    """Build the filter form's class once per FilterSet class instead of on every request.

    django-filter makes it anew each time from the filters' form fields, which depend
    only on the filter definitions here (no filter's choices come from the request).
    """

    def get_form_class(self):
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class


class PointInTimeMixin(FormClassOnceMixin):
    """Status on the date given by `on` (default today), shared by instruments and agreements."""

    def reference_date(self):
        return self.form.cleaned_data.get("on") or today()

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value, self.reference_date())

    def filter_in_force_on(self, queryset, name, value):
        return queryset.in_force_on(value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by(*self.default_ordering)
        return queryset


# One filter per relationship type and direction (amends=…, amended_by=…, repeals=…, …).
RelationshipFilters = type("RelationshipFilters", (df.FilterSet,), relationship_filters())


class InstrumentFilter(PointInTimeMixin, RelationshipFilters):
    kind = StrictChoiceFilter(choices=Kind.choices, help_text="Kind of instrument.")
    level = StrictChoiceFilter(choices=Level.choices, help_text="Level: international, regional, bilateral, national.")
    jurisdiction = StrictChoiceFilter(choices=Jurisdiction.choices, help_text="Jurisdiction (legal order) of the instrument.")
    status = StrictChoiceFilter(
        choices=Status.choices, method="filter_status",
        help_text="Legal status computed on the date `on` (default today) from dates and repeals.")
    on = ReferenceDateFilter(help_text="Date (YYYY-MM-DD) on which `status` is computed; default today.")
    in_force_on = DateFilter(
        method="filter_in_force_on",
        help_text="Instruments whose known in-force period contains this date (YYYY-MM-DD). "
                  "Instruments whose entry into force is unknown are not returned.")
    adopted_from = DateFilter(field_name="date_adopted", lookup_expr="gte",
                              help_text="Adopted or signed on or after this date (YYYY-MM-DD).")
    adopted_to = DateFilter(field_name="date_adopted", lookup_expr="lte",
                            help_text="Adopted or signed on or before this date (YYYY-MM-DD).")
    subject = SubjectFilter(help_text="Subject code; a parent code also matches its narrower subjects.")
    cited_in_article = StrictBooleanFilter(help_text="true: cited in the article; false: not cited.")
    q = df.CharFilter(method="filter_q", max_length=MAX_TEXT_LENGTH,
                      help_text="Words to find in titles (en/ru/kk), short titles, numbers, CELEX, Adilet code, ELI "
                                "path, ids and summaries. PostgreSQL: full-text search (English and Russian word "
                                "forms; \"quotes\", OR and -word work), misspelt title words found by similarity "
                                "when nothing matches; SQLite: every word as a case-insensitive substring.")
    ordering = StableOrderingFilter(
        fields=(("date_adopted", "date_adopted"), ("entry_into_force", "entry_into_force"),
                ("end_of_validity", "end_of_validity"), ("id", "id"), ("number", "number"),
                ("jurisdiction", "jurisdiction"), ("kind", "kind")),
        help_text="Sort by these fields (comma-separated, '-' for descending); "
                  "empty dates sort last, ties by id. Default: date_adopted, id.")

    default_ordering = (F("date_adopted").asc(nulls_last=True), "id")
    class Meta:
        model = Instrument
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
