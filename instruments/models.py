"""Legal instruments as works (ELI LegalResource), their texts, provisions and typed relationships.

Records carry a stable slug as primary key, so data files, URLs and the API use the same
readable ids. Every model keeps its full change history (django-simple-history).
"""

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from api.links import path_of
from core.db import joined_rows, split_rows
from core.i18n import LANGUAGES, TextKind, localized
from core.lifecycle import (
    LIFECYCLE_COLUMNS,
    LifecycleQuerySet,
    Precision,
    lifecycle_constraints,
    precision_errors,
    today,
)
from core.models import DerivedIdModel, Lifecycle, TitledModel
from countries.models import KAZAKHSTAN

from .search import SearchQuerySetMixin
from .vocabulary import TREATY_KINDS, InstrumentKind, Jurisdiction, Level, RelationshipType

# The columns instrument_label reads (the title's kind too: `localized` reads it): a query
# that reads only these (.only) names its instruments with no query per instrument for a deferred one.
LABEL_FIELDS = tuple(f"{name}_{code}" for name in ("title", "short_title") for code in LANGUAGES) + tuple(
    f"title_{code}_kind" for code in LANGUAGES
)


def instrument_label(obj):
    """Short citation label in the active language: short title, else title, else id.

    `obj` is an Instrument or anything with its id, short_title_* and title_* attributes."""
    return localized(obj, "short_title")[0] or localized(obj, "title")[0] or obj.id


class InstrumentQuerySet(SearchQuerySetMixin, LifecycleQuerySet):
    # The repealed instruments as one uncorrelated IN (subquery): the database computes the
    # set once and probes it per row (PostgreSQL: a hashed subplan), where a correlated
    # EXISTS would look up the relationships again for every row — inside a status CASE,
    # up to three times per row.
    def _repealed_q(self, on):
        return Q(
            pk__in=Relationship.objects.filter(type=RelationshipType.REPEALS, date_effective__lte=on).values(
                "object_id"
            )
        )

    def _repeal_date_unknown_q(self):
        return Q(
            pk__in=Relationship.objects.filter(type=RelationshipType.REPEALS, date_effective__isnull=True).values(
                "object_id"
            )
        )

    def _in_force_for_kazakhstan_q(self, on):
        # Kazakh law, and treaties with Kazakhstan as a party, from their own entry into force;
        # a multilateral treaty from the date it entered into force for Kazakhstan, never guessed.
        with_kazakhstan = Q(pk__in=InstrumentParty.objects.filter(country=KAZAKHSTAN).values("instrument"))
        return (
            Q(level=Level.NATIONAL, jurisdiction=Jurisdiction.KZ) & self._in_force_in_law_q(on)
            | Q(level=Level.BILATERAL) & with_kazakhstan & self._in_force_in_law_q(on)
            | Q(kind__in=TREATY_KINDS)
            & ~Q(level__in=[Level.BILATERAL, Level.NATIONAL])
            & self._in_force_in_law_q(on, "entry_into_force_kz")
        )

    def in_force_for_kazakhstan_on(self, on):
        return self.filter(self._in_force_for_kazakhstan_q(on))

    def with_kazakhstan_party(self):
        """Annotate `kazakhstan_party`: whether Kazakhstan is a party (what the Python twin of
        in_force_for_kazakhstan_on reads of the parties). Annotating the rule itself in SQL cost
        half of building and compiling a list's query."""
        parties = InstrumentParty.objects.filter(instrument=OuterRef("pk"), country=KAZAKHSTAN)
        return self.annotate(kazakhstan_party=Exists(parties))

    def with_repeal_dates(self):
        """Annotate the effective dates of the repeals of each instrument (`repeal_rows`, read by
        Instrument.repeal_dates), in the instrument's own query: what the Python twin of status
        needs, where building the status CASE would cost more than the list's queries."""
        repeals = joined_rows(Relationship, "object", ("id", "date_effective"), type=RelationshipType.REPEALS)
        return self.annotate(repeal_rows=repeals)

    def real(self):
        return self.filter(is_synthetic=False)


class Instrument(Lifecycle, TitledModel):
    """A legal instrument as a work (ELI LegalResource): one treaty, directive, law, resolution…"""

    id = models.SlugField(_("id"), max_length=80, primary_key=True)
    eli_path = models.CharField(
        _("ELI-style path"),
        max_length=120,
        unique=True,
        help_text=_("Project-minted, ELI-shaped: /{jurisdiction}/{type}/{year}/{number}, e.g. /eu/dir/2003/86."),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=InstrumentKind.choices, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=8, choices=Jurisdiction.choices, db_index=True)
    issuing_body = models.CharField(_("issuing body or parties"), max_length=300, blank=True)
    number = models.CharField(_("official number"), max_length=60, blank=True, db_index=True)
    celex = models.CharField(_("CELEX number"), max_length=20, blank=True, db_index=True)
    eli = models.URLField(_("official ELI"), max_length=200, blank=True)
    adilet_code = models.CharField(_("Adilet code"), max_length=20, blank=True, db_index=True)

    short_title_en = models.CharField(_("short title (English)"), max_length=200, blank=True)
    short_title_ru = models.CharField(_("short title (Russian)"), max_length=200, blank=True)
    short_title_kk = models.CharField(_("short title (Kazakh)"), max_length=200, blank=True)

    date_adopted = models.DateField(_("adopted or signed"), null=True, blank=True, db_index=True)
    date_adopted_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    place_adopted = models.CharField(_("place of signature"), max_length=100, blank=True)
    date_published = models.DateField(_("published"), null=True, blank=True)
    date_published_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    publication_reference = models.CharField(
        _("publication reference"), max_length=200, blank=True, help_text=_("e.g. OJ L 251, 3.10.2003, p. 12–18")
    )
    transposition_deadline = models.DateField(_("transposition deadline"), null=True, blank=True)

    # A multilateral treaty binds Kazakhstan from its own date (accession, ratification), not the treaty's.
    entry_into_force_kz = models.DateField(_("entry into force for Kazakhstan"), null=True, blank=True, db_index=True)
    entry_into_force_kz_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    kz_ratification_act = models.CharField(
        _("Kazakhstan's ratification or accession act"), max_length=200, blank=True, help_text=_("e.g. Law No. 12-IV")
    )
    kz_ratification_date = models.DateField(_("date of Kazakhstan's ratification or accession"), null=True, blank=True)
    kz_ratification_date_precision = models.CharField(
        max_length=8, choices=Precision.choices, default=Precision.UNKNOWN
    )
    kz_participation_note = models.TextField(
        _("Kazakhstan's participation"), blank=True, help_text=_("Accession, reservations, declarations.")
    )

    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    status_note = models.TextField(
        _("status as reported by the sources"),
        blank=True,
        help_text=_("The sources' own words on legal status; the status shown is computed."),
    )

    cited_in_article = models.BooleanField(_("cited in the article"), default=False, db_index=True)
    subjects = models.ManyToManyField("subjects.Subject", blank=True, related_name="instruments")
    is_synthetic = models.BooleanField(_("synthetic (benchmark) record"), default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords(m2m_fields=[subjects])

    objects = InstrumentQuerySet.as_manager()
    start_date_field = "date_adopted"

    class Meta:
        ordering = [F("date_adopted").asc(nulls_last=True), "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "kind"]),
            # The default ordering, and the point-in-time filter (index-only counts).
            models.Index(fields=["date_adopted", "id"], name="instrument_adopted_id"),
            # A jurisdiction's instruments in that order: the first of each on a country's page
            # (agreements.views), the lists filtered by jurisdiction.
            models.Index(fields=["jurisdiction", "date_adopted", "id"], name="instrument_jur_adopted_id"),
            # Every column status is computed from: point-in-time filters (in_force_on,
            # applicable_on, status) count from this narrow index, not the wide table.
            models.Index(fields=[*LIFECYCLE_COLUMNS, "id"], name="instrument_lifecycle"),
            # The events in a window (events.queries): each kind of event is a range of one date
            # column; this one alone had no index (a scan of the table, half the events' query).
            models.Index(fields=["kz_ratification_date"], name="instrument_kz_ratification"),
            # Sync: updated_since, and ordering by updated_at either way (ties by id).
            models.Index(fields=["updated_at", "id"], name="instrument_updated_id"),
            models.Index(fields=["-updated_at", "id"], name="instrument_updated_desc_id"),
            # Every column a facet groups by or computes status from, so facet counts read this
            # narrow index (index-only) instead of scanning the wide table once per facet.
            models.Index(
                fields=[
                    "kind",
                    "level",
                    "jurisdiction",
                    "cited_in_article",
                    "date_adopted",
                    *LIFECYCLE_COLUMNS,
                    "id",
                ],
                name="instrument_facets",
            ),
        ]
        constraints = lifecycle_constraints("instrument", "date_adopted") + [
            models.CheckConstraint(condition=Q(eli_path__startswith="/"), name="instrument_eli_path_absolute"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Short citation label in the active language ("Directive 2009/50/EC")."""
        return instrument_label(self)

    def get_absolute_url(self):
        return path_of("web:instrument-detail", self.id)  # reverse(), remembered per language

    def in_force_for_kazakhstan_on(self, on=None, repeal_dates=None, party_countries=None):
        """The Python twin of InstrumentQuerySet.in_force_for_kazakhstan_on. A caller that has
        already read the repeals or the parties' countries passes them, so none is read again."""
        on = on or today()
        if self.level == Level.NATIONAL:
            return self.jurisdiction == Jurisdiction.KZ and self.in_force_in_law_on(on, repeal_dates=repeal_dates)
        if self.level == Level.BILATERAL:
            if party_countries is None:
                party_countries = {party.country_id for party in self.parties.all()}
            return KAZAKHSTAN in party_countries and self.in_force_in_law_on(on, repeal_dates=repeal_dates)
        return self.kind in TREATY_KINDS and self.in_force_in_law_on(on, "entry_into_force_kz", repeal_dates)

    def repeal_dates(self):
        # Reads the dates annotated by with_repeal_dates() (the API's lists), or the incoming
        # relationships, prefetched where a page prefetched them (the timeline).
        if hasattr(self, "repeal_rows"):
            dates = [row["date_effective"] for row in split_rows(self.repeal_rows, ("id", "date_effective"))]
            return [datetime.date.fromisoformat(date) if date else None for date in dates]
        return [rel.date_effective for rel in self.incoming_relationships.all() if rel.type == RelationshipType.REPEALS]

    def clean(self):
        super().clean()
        errors = precision_errors(self, "date_adopted", "date_published", "entry_into_force_kz", "kz_ratification_date")
        if errors:
            raise ValidationError(errors)


class InstrumentParty(DerivedIdModel):
    """A party to a treaty: a state, or an organisation such as the EU in its agreements with third countries."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="parties")
    country = models.ForeignKey(
        "countries.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="instrument_parties"
    )
    organisation = models.ForeignKey(
        "countries.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="instrument_parties"
    )
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "organisation", "country"]
        verbose_name_plural = _("instrument parties")
        indexes = [models.Index(fields=["country", "instrument"], name="instrument_party_country")]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=True, organisation__isnull=False)
                | Q(country__isnull=False, organisation__isnull=True),
                name="instrument_party_state_or_organisation",
                violation_error_message="A party is a state or an organisation, not both.",
            ),
            models.UniqueConstraint(fields=["instrument", "country"], name="instrument_party_unique_country"),
            models.UniqueConstraint(fields=["instrument", "organisation"], name="instrument_party_unique_organisation"),
        ]

    def build_id(self):
        return f"{self.instrument_id}-{self.country_id or self.organisation_id}"

    def __str__(self):
        return f"{self.country_id or self.organisation_id} in {self.instrument_id}"


class OfficialText(DerivedIdModel):
    """A link to a text of the instrument, in one language, with its legal value."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=5)
    url = models.URLField(_("URL"), max_length=600)
    publisher = models.CharField(_("publisher"), max_length=100)
    kind = models.CharField(_("legal value"), max_length=10, choices=TextKind.choices, default=TextKind.OFFICIAL)
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "language", "url"]
        constraints = [models.UniqueConstraint(fields=["instrument", "url"], name="official_text_unique")]

    def build_id(self):
        return f"{self.instrument_id}-{self.language}-{self.publisher}"

    def __str__(self):
        return f"{self.publisher} ({self.language})"


class Provision(DerivedIdModel):
    """A part of an instrument the article discusses (a section, an article, a paragraph)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="provisions")
    label = models.CharField(_("label"), max_length=40, help_text=_("Stable label, e.g. 'section-xxvi', 'art-96'."))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    heading_en = models.CharField(max_length=300, blank=True)
    heading_en_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    heading_ru = models.CharField(max_length=300, blank=True)
    heading_ru_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    heading_kk = models.CharField(max_length=300, blank=True)
    heading_kk_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    text_en = models.TextField(blank=True)
    text_en_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    text_ru = models.TextField(blank=True)
    text_ru_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    text_kk = models.TextField(blank=True)
    text_kk_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "position", "label"]
        constraints = [models.UniqueConstraint(fields=["instrument", "label"], name="provision_unique_label")]

    def build_id(self):
        return f"{self.instrument_id}-{self.label}"

    def __str__(self):
        return localized(self, "heading")[0] or self.label


class Relationship(DerivedIdModel):
    """A typed, directed edge: `subject` <type> `object`, e.g. 2021/1883 repeals 2009/50/EC."""

    subject = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="outgoing_relationships")
    type = models.CharField(_("type"), max_length=24, choices=RelationshipType.choices, db_index=True)
    object = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="incoming_relationships")
    date_effective = models.DateField(_("takes effect"), null=True, blank=True, db_index=True)
    date_effective_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    note = models.TextField(blank=True)
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["subject", "type", "object"]
        # "Is it repealed by a date?" subqueries and the inverse relationships of a page.
        indexes = [models.Index(fields=["object", "type", "date_effective"], name="relationship_incoming")]
        constraints = [
            models.UniqueConstraint(fields=["subject", "type", "object"], name="relationship_unique"),
            models.CheckConstraint(
                condition=~Q(subject=models.F("object")),
                name="relationship_not_to_itself",
                violation_error_message="An instrument cannot be related to itself.",
            ),
        ]

    def build_id(self):
        return f"{self.subject_id}-{self.type}-{self.object_id}"

    def __str__(self):
        return f"{self.subject_id} {self.type} {self.object_id}"

    @property
    def forward_label(self):
        return self.get_type_display()

    @property
    def inverse_label(self):
        return RelationshipType(self.type).inverse_label

    def clean(self):
        if self.subject_id and self.subject_id == self.object_id:
            raise ValidationError(_("An instrument cannot be related to itself."))
        errors = precision_errors(self, "date_effective")
        if errors:
            raise ValidationError(errors)
