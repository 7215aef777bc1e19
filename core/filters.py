"""Strict filters shared by the REST API and the HTML lists, and the point-in-time FilterSet.

Plain django-filter with no REST framework in it: the API refuses unknown or repeated
parameters itself, the web UI uses the FilterSets as they are. Every field validates
strictly: a value it does not understand is a form error with a message, never a filter
silently dropped.

Point in time (LifecycleFilterSet): `in_force_on` keeps the records whose *known* in-force
period contains the date (a record whose entry into force is unknown is not kept); `status`
is computed on the date given by `on` (default: the knowledge base's today).

Facets: a FilterSet declares `facets` (name → Facet); `facet_counts()` counts each one under
every filter except its own, all in one UNION ALL query (core.facets). The API's `?facets=`
and the HTML lists' counts both come from here.
"""

import datetime
import re

import django_filters as df
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F

from .counts import counted
from .facets import facet_counts_in_one_query
from .lifecycle import Status, today

# Dates outside this range are refused: they are no use for these records, and the
# point-in-time arithmetic (a day before, a month after) must never overflow.
MIN_DATE = datetime.date(1800, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
MAX_TEXT_LENGTH = 200
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


MAX_SEARCH_WORDS = 10


class SearchTextField(forms.CharField):
    """Words to search for, bounded in cost: repeated words are dropped (case aside), one-letter
    words are ignored (they match nearly everything and each adds a term to the query), and at
    most MAX_SEARCH_WORDS words remain — more is an error that says so."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT_LENGTH)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        words, seen = [], set()
        for word in value.split():
            if len(word.strip('"-')) < 2 or word.casefold() in seen:
                continue
            seen.add(word.casefold())
            words.append(word)
        if len(words) > MAX_SEARCH_WORDS:
            raise ValidationError(
                "Too many words: at most %(limit)d different words of two letters or more.",
                code="too_many_words",
                params={"limit": MAX_SEARCH_WORDS},
            )
        if not words:
            raise ValidationError("Give at least one word of two letters or more.", code="no_words")
        return " ".join(words)


class CodeListField(forms.CharField):
    """One or more known codes, comma-separated; an unknown one is an error naming the known ones.

    `known` is the codes in their canonical order; `message` names the kind of code (with
    %(value)s and %(known)s); `canonical_order` returns the codes in `known`'s order instead of
    as given."""

    def __init__(self, *args, known=(), message="", error_code="invalid_choice", canonical_order=False, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT_LENGTH)
        super().__init__(*args, **kwargs)
        self.known, self.message, self.error_code, self.canonical_order = (
            tuple(known),
            message,
            error_code,
            canonical_order,
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        codes = [code.strip() for code in value.split(",") if code.strip()]
        unknown = [code for code in codes if code not in self.known]
        if unknown or not codes:
            raise ValidationError(
                self.message,
                code=self.error_code,
                params={"value": ", ".join(unknown) or value, "known": ", ".join(self.known)},
            )
        return [code for code in self.known if code in codes] if self.canonical_order else codes


class SearchFilter(df.CharFilter):
    field_class = SearchTextField


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
        raise ValidationError('Give true or false, not "%(value)s".', code="invalid", params={"value": value})


def choice_messages(choices):
    accepted = ", ".join(value for value, _label in choices)
    return {"invalid_choice": f'Unknown value "%(value)s"; give one of: {accepted}.'}


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

    def get_ordering_value(self, param, model=None):
        descending = param.startswith("-")
        name = self.param_map[param.lstrip("-")]
        field = F(name)
        if model is not None and not nullable(model, name):
            # No NULLS clause where there are no nulls: an index on the column (updated_at,
            # say) then serves the ordering as it is written.
            return field.desc() if descending else field.asc()
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        # Empty parts ("ordering=," or "ordering=kind,,") mean nothing, as an empty value does.
        params = [param for param in value or [] if param]
        if not params:
            return qs
        return qs.order_by(*[self.get_ordering_value(param, qs.model) for param in params], "pk")


def nullable(model, name):
    try:
        return model._meta.get_field(name).null
    except FieldDoesNotExist:
        return True  # an annotation or a lookup: keep empty values last to be safe


class KnownIdField(forms.CharField):
    """The id of an existing record of `model` (a typo must not match nothing in silence)."""

    def __init__(self, *args, model, noun, **kwargs):
        self.model, self.noun = model, noun
        kwargs.setdefault("max_length", MAX_TEXT_LENGTH)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not self.model._default_manager.filter(pk=value).exists():
            raise ValidationError(
                'No %(noun)s has the id "%(value)s".', code="unknown_id", params={"noun": self.noun, "value": value}
            )
        return value or None


class KnownIdFilter(df.CharFilter):
    """Rows pointing at one record, given by id: KnownIdFilter(field_name=…, model=…, noun=…)."""

    field_class = KnownIdField


class StrictFilterSet(df.FilterSet):
    """django-filter's FilterSet with a default ordering, made with only the filters a query
    names where the caller says so.

    For each FilterSet it makes, django-filter deep-copies every declared filter, and the form
    every field (37 for instruments: a seventh of an API list's time). A filter the query does not
    name filters nothing, so `only_named=True` (the API) binds only those the data names; the
    HTML lists bind every filter, since they render the form."""

    default_ordering = ()
    facets = {}
    MAX_FORM_CLASSES = 256  # per FilterSet class: one per set of names a query gave

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, only_named=False):
        if only_named:
            named = data or {}
            self.base_filters = {name: f for name, f in type(self).base_filters.items() if name in named}
        super().__init__(data, queryset, request=request, prefix=prefix)

    def get_form_class(self):
        # django-filter builds the form class anew on every request from the filters' form
        # fields, which depend only on the declarations: build it once per set of filters.
        form_classes = type(self).__dict__.get("_form_classes")
        if form_classes is None:
            form_classes = type(self)._form_classes = {}
        names = tuple(self.filters)
        form_class = form_classes.get(names)
        if form_class is None:
            form_class = super().get_form_class()
            if len(form_classes) < self.MAX_FORM_CLASSES:
                form_classes[names] = form_class
        return form_class

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by(*self.default_ordering)
        return queryset


class TableFilterSet(StrictFilterSet):
    """Strict filters of a table behind the resources (memberships, parties, relationships,
    provenance, subjects): a stable default order, no point in time."""

    default_ordering = ("pk",)

    def reference_date(self):
        return today()


def ordering_filter(*fields, default):
    """`ordering` among these fields (comma-separated, '-' descending; empty values last, ties by id)."""
    return StableOrderingFilter(
        fields=tuple((field, field) if isinstance(field, str) else field for field in fields),
        help_text="Sort by these fields (comma-separated, '-' for descending); empty values sort last, ties by "
        f"id. Default: {default}.",
    )


class Facet:
    """One facet of a list: what to count by, over which rows, and the values always listed.

    expression: an expression, or function(filterset) → expression (e.g. status on the
    filter's date). rows: optional function(queryset) → the rows to group (e.g. the parties
    of the matching agreements). choices: values listed even with a zero count. undoes: the
    filter left out when counting (default: the facet's own name; None for none).
    """

    OWN_NAME = object()

    def __init__(self, expression, choices=None, rows=None, undoes=OWN_NAME):
        self.expression, self.choices, self.rows, self.undoes = expression, choices, rows, undoes

    def listing(self, counts):
        """[{value, count}] in the order of `choices` (zeros included), else by value."""
        values = list(self.choices) if self.choices is not None else sorted(counts)
        return [{"value": value, "count": counts.get(value, 0)} for value in values]


class LifecycleFilterSet(StrictFilterSet):
    """Point-in-time filters of instruments and agreements, and their facets.

    Subclasses set `default_ordering` and `facets`; `status`, `on` and `in_force_on` are
    declared here once.
    """

    status = StrictChoiceFilter(
        choices=Status.choices,
        method="filter_status",
        help_text="Legal status computed on the date `on` (default today) from dates and repeals.",
    )
    on = ReferenceDateFilter(help_text="Date (YYYY-MM-DD) on which `status` is computed; default today.")
    in_force_on = DateFilter(
        method="filter_in_force_on",
        help_text="Records whose known in-force period contains this date (YYYY-MM-DD), whether they "
        "apply on it or not yet. Records whose entry into force is unknown are not returned.",
    )
    applicable_on = DateFilter(
        method="filter_applicable_on",
        help_text="Records that apply on this date (YYYY-MM-DD): in force and applicable, or applied "
        "provisionally. In force but applicable only later (the 2024 Pact until June 2026) is not.",
    )

    def reference_date(self):
        """The date status is computed on: `on`, else today."""
        return (self.form.cleaned_data.get("on") if self.is_valid() else None) or today()

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value, self.reference_date())

    def filter_in_force_on(self, queryset, name, value):
        return queryset.in_force_on(value)

    def filter_applicable_on(self, queryset, name, value):
        return queryset.applicable_on(value)

    def queryset_without(self, name):
        """The records under every filter except `name` (None: every filter), from validated values."""
        queryset = self.queryset.all()
        for field, value in self.form.cleaned_data.items():
            if field not in (name, "ordering"):
                queryset = self.filters[field].filter(queryset, value)
        return queryset

    def facet_counts(self, facets):
        """{name: Facet} → {name: {value: count}}, every facet in one query (needs a valid form),
        kept per data version and day (core/counts.py) under the filters' validated values."""
        filters = [(name, value) for name, value in self.form.cleaned_data.items() if name != "ordering"]
        what = f"facets:{type(self).__qualname__}:{','.join(facets)}:{filters!r}:{self.reference_date()}"
        return counted(what, lambda: self.count_facets(facets))

    def count_facets(self, facets):
        specs = []
        for name, facet in facets.items():
            undoes = name if facet.undoes is Facet.OWN_NAME else facet.undoes
            queryset = self.queryset_without(undoes)
            rows = facet.rows(queryset) if facet.rows else queryset
            expression = facet.expression(self) if callable(facet.expression) else facet.expression
            specs.append((name, rows, expression))
        return facet_counts_in_one_query(specs)


def status_on_reference_date(filterset):
    """The computed status on the filter's reference date, as one CASE expression (a facet)."""
    return filterset.queryset.status_case(filterset.reference_date())


STATUS_FACET = Facet(status_on_reference_date, choices=Status.values)
