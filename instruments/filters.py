"""Filters for instruments, shared by the REST API and the HTML lists (see core.filters)."""

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear

from core.filters import (
    STATUS_FACET,
    DateFilter,
    Facet,
    KnownIdFilter,
    LifecycleFilterSet,
    SearchFilter,
    StableOrderingFilter,
    StrictBooleanFilter,
    StrictChoiceFilter,
    TableFilterSet,
    ordering_filter,
)
from countries.fields import CountryCodesField
from countries.filters import CountriesFilter
from countries.models import Organisation
from subjects.filters import SubjectFilter

from .models import Instrument, InstrumentParty, Relationship
from .vocabulary import InstrumentKind, Jurisdiction, Level, RelationshipType


class InstrumentIdField(forms.CharField):
    """The id of an existing instrument (a typo must not match nothing in silence)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 80)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not Instrument.objects.filter(pk=value).exists():
            raise ValidationError(
                'No instrument has the id "%(value)s".', code="unknown_instrument", params={"value": value}
            )
        return value


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


class PartyFilter(df.CharFilter):
    """Treaties with any of these states as a party."""

    field_class = CountryCodesField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(Exists(InstrumentParty.objects.filter(instrument=OuterRef("pk"), country__in=value)))


def relationship_filters():
    """One filter per relationship type and direction (amends=…, amended_by=…, repeals=…, …)."""
    filters = {}
    for rel_type in RelationshipType:
        filters[rel_type.value] = RelatedInstrumentFilter(
            rel_type=rel_type,
            direction="outgoing",
            help_text=f"Instruments that {rel_type.label} the instrument with this id.",
        )
        inverse = rel_type.inverse_parameter
        filters[inverse] = RelatedInstrumentFilter(
            rel_type=rel_type,
            direction="incoming",
            help_text=f"Instruments {inverse.replace('_', ' ')} the instrument with this id.",
        )
    return filters


RelationshipFilters = type("RelationshipFilters", (df.FilterSet,), relationship_filters())
RELATIONSHIP_PARAMETERS = tuple(RelationshipFilters.base_filters)
# Each relationship filter is an EXISTS that every facet's query repeats; with all 24 at once
# PostgreSQL spent 2.7 s planning one query at 20,000 instruments (docs/reliability.md).
MAX_RELATIONSHIP_FILTERS = 4


class InstrumentFilterForm(forms.Form):
    """The instruments filters' form: at most MAX_RELATIONSHIP_FILTERS relationship filters at once."""

    def clean(self):
        cleaned = super().clean()
        given = [name for name in RELATIONSHIP_PARAMETERS if self.data.get(name)]
        if len(given) > MAX_RELATIONSHIP_FILTERS:
            message = ValidationError(
                "At most %(limit)d relationship filters at once (%(count)d given).",
                code="too_many_relationship_filters",
                params={"limit": MAX_RELATIONSHIP_FILTERS, "count": len(given)},
            )
            for name in given:
                if name in self.fields:
                    self.add_error(name, message)
        return cleaned


class InstrumentFilter(LifecycleFilterSet, RelationshipFilters):
    kind = StrictChoiceFilter(choices=InstrumentKind.choices, help_text="Kind of instrument.")
    level = StrictChoiceFilter(choices=Level.choices, help_text="Level: international, regional, bilateral, national.")
    jurisdiction = StrictChoiceFilter(
        choices=Jurisdiction.choices, help_text="Jurisdiction (legal order) of the instrument."
    )
    adopted_from = DateFilter(
        field_name="date_adopted", lookup_expr="gte", help_text="Adopted or signed on or after this date (YYYY-MM-DD)."
    )
    adopted_to = DateFilter(
        field_name="date_adopted", lookup_expr="lte", help_text="Adopted or signed on or before this date (YYYY-MM-DD)."
    )
    in_force_for_kazakhstan_on = DateFilter(
        method="filter_in_force_for_kazakhstan_on",
        help_text="In force for Kazakhstan on this date (YYYY-MM-DD): Kazakh law and treaties with Kazakhstan "
        "as a party from their entry into force; a multilateral treaty from its entry into force for "
        "Kazakhstan (accession or ratification), never from the treaty's own date.",
    )
    party = PartyFilter(help_text="Treaties with any of these states as a party (ISO 3166-1 alpha-2 or alpha-3).")
    subject = SubjectFilter(help_text="Subject code; a parent code also matches its narrower subjects.")
    cited_in_article = StrictBooleanFilter(help_text="true: cited in the article; false: not cited.")
    q = SearchFilter(
        method="filter_q",
        help_text="Words to find in titles (en/ru/kk), short titles, numbers, CELEX, Adilet code, ELI "
        "path, ids and summaries. PostgreSQL: full-text search (English and Russian word "
        'forms; "quotes", OR and -word work), misspelt title words found by similarity '
        "when nothing matches; SQLite: every word as a case-insensitive substring. At most 10 different "
        "words of two letters or more (one-letter and repeated words are ignored).",
    )
    ordering = StableOrderingFilter(
        fields=(
            ("date_adopted", "date_adopted"),
            ("entry_into_force", "entry_into_force"),
            ("end_of_validity", "end_of_validity"),
            ("id", "id"),
            ("updated_at", "updated_at"),
            ("number", "number"),
            ("jurisdiction", "jurisdiction"),
            ("kind", "kind"),
        ),
        help_text="Sort by these fields (repeated, ordering=a&ordering=-b, or comma-separated; '-' for descending); "
        "empty dates sort last, ties by id. Default: date_adopted, id.",
    )

    default_ordering = (F("date_adopted").asc(nulls_last=True), "id")
    facets = {
        "kind": Facet(F("kind"), choices=InstrumentKind.values),
        "level": Facet(F("level"), choices=Level.values),
        "jurisdiction": Facet(F("jurisdiction"), choices=Jurisdiction.values),
        "status": STATUS_FACET,
        "subject": Facet(F("subjects")),
        "cited_in_article": Facet(F("cited_in_article"), choices=["true", "false"]),
    }
    # The HTML list also counts by year of adoption (under every filter).
    year_facet = Facet(ExtractYear("date_adopted"), undoes=None)

    class Meta:
        model = Instrument
        fields = []
        form = InstrumentFilterForm

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_in_force_for_kazakhstan_on(self, queryset, name, value):
        return queryset.in_force_for_kazakhstan_on(value)


class InstrumentIdFilter(df.CharFilter):
    """Rows about the instrument with this id (an unknown id is a 400)."""

    field_class = InstrumentIdField


class RelationshipRowFilter(TableFilterSet):
    """The relationships table: `subject` acts on `object` as `type` says (subject repeals object)."""

    type = StrictChoiceFilter(choices=RelationshipType.choices, help_text="Relationship type.")
    subject = InstrumentIdFilter(field_name="subject", help_text="The instrument that acts (id).")
    object = InstrumentIdFilter(field_name="object", help_text="The instrument acted on (id).")
    instrument = InstrumentIdFilter(method="filter_instrument", help_text="The instrument at either end (id).")
    effective_from = DateFilter(
        field_name="date_effective", lookup_expr="gte", help_text="Takes effect on or after (YYYY-MM-DD)."
    )
    effective_to = DateFilter(
        field_name="date_effective", lookup_expr="lte", help_text="Takes effect on or before (YYYY-MM-DD)."
    )
    ordering = ordering_filter(
        "date_effective", "type", ("subject_id", "subject"), ("object_id", "object"), "id",
        default="subject, type, object",
    )  # fmt: skip

    default_ordering = ("subject_id", "type", "object_id", "id")

    class Meta:
        model = Relationship
        fields = []

    def filter_instrument(self, queryset, name, value):
        return queryset.filter(Q(subject=value) | Q(object=value)) if value else queryset


class InstrumentPartyRowFilter(TableFilterSet):
    """The instrument parties table: states and organisations party to treaties."""

    instrument = InstrumentIdFilter(field_name="instrument", help_text="Instrument id.")
    country = CountriesFilter(
        field_name="country", help_text="State(s): ISO 3166-1 alpha-2 or alpha-3, any case, comma-separated."
    )
    organisation = KnownIdFilter(model=Organisation, noun="organisation", help_text="Organisation code, e.g. eu.")
    ordering = ordering_filter(
        ("instrument_id", "instrument"), ("organisation_id", "organisation"), ("country_id", "country"), "id",
        default="instrument, organisation, country",
    )  # fmt: skip

    default_ordering = (
        "instrument_id",
        F("organisation_id").asc(nulls_last=True),
        F("country_id").asc(nulls_last=True),
        "id",
    )

    class Meta:
        model = InstrumentParty
        fields = []
