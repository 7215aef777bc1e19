"""The knowledge base's core: countries, organisations, sources, provenance,
instruments with their provisions and relationships, and the article's errata.

Every model keeps its full change history (django-simple-history). Records that
scripts address carry a stable slug as primary key, so fixtures, URLs and the
API use the same readable ids.
"""

import pycountry
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .lifecycle import (
    Lifecycle,
    LifecycleQuerySet,
    Precision,
    certainly_started_q,
    lifecycle_constraints,
    precision_errors,
)
from .search import SearchQuerySetMixin

LANGUAGES = ("en", "ru", "kk")


class Confidence(models.TextChoices):
    ARTICLE = "article", _("stated in the article")
    VERIFIED = "verified", _("verified in a cited source")
    BELIEVED = "believed", _("believed, not confirmed")
    NOT_FOUND = "not_found", _("looked for, not found")


class TextKind(models.TextChoices):
    OFFICIAL = "official", _("official text")
    UNOFFICIAL = "unofficial", _("unofficial translation")
    PARAPHRASE = "paraphrase", _("paraphrase")


class DerivedIdModel(models.Model):
    """A record whose stable id is derived from what it links, e.g. 'eu-kz-2015-01-01'.

    Stable ids keep fixtures readable and idempotent and let provenance point at
    any record, whichever database it is loaded into.
    """

    # Not editable: the admin's inline formsets then carry the id as a hidden input.
    id = models.SlugField(_("id"), max_length=200, primary_key=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def build_id(self):
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if not self.id:
            self.id = slugify(self.build_id())
        super().save(*args, **kwargs)


def localized(obj, field, language=None):
    """(value, language, text_kind) of `field` in the active language, falling back en → ru → kk.

    `text_kind` is the companion `<field>_<lang>_kind` where the model has one.
    """
    language = (language or get_language() or "en")[:2]
    order = [language] + [code for code in LANGUAGES if code != language]
    for code in order:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value, code, getattr(obj, f"{field}_{code}_kind", "")
    return "", language, ""


def instrument_label(obj):
    """Short citation label in the active language: short title, else title, else id.

    `obj` is an Instrument or anything with its id, short_title_* and title_* attributes."""
    return localized(obj, "short_title")[0] or localized(obj, "title")[0] or obj.id


# --------------------------------------------------------------------------- places and bodies


class Country(models.Model):
    """A state, identified by ISO 3166-1; names from pycountry (ISO 3166 with Debian's translations)."""

    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120, blank=True)
    provenance = GenericRelation("Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_alpha2"),
            models.CheckConstraint(condition=Q(alpha3__regex=r"^[A-Z]{3}$"), name="country_code_alpha3"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")[0]

    def clean(self):
        record = pycountry.countries.get(alpha_2=self.code)
        if record is None:
            raise ValidationError({"code": _("%(code)s is not an ISO 3166-1 alpha-2 code.") % {"code": self.code}})
        if record.alpha_3 != self.alpha3:
            raise ValidationError({"alpha3": _("ISO 3166-1 gives %(a3)s for %(code)s.") % {"a3": record.alpha_3, "code": self.code}})

    def get_absolute_url(self):
        return reverse("web:country-detail", args=[self.code])


class Organisation(models.Model):
    """An organisation of states (EU, EAEU, CIS, Benelux) whose membership is dated."""

    code = models.SlugField(_("code"), max_length=20, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    abbreviation_en = models.CharField(max_length=20, blank=True)
    abbreviation_ru = models.CharField(max_length=20, blank=True)
    abbreviation_kk = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    provenance = GenericRelation("Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return localized(self, "name")[0]


class MembershipQuerySet(models.QuerySet):
    def on(self, date):
        """Memberships certainly held on `date`; one whose start is unknown is not counted."""
        return self.filter(certainly_started_q("date_from", date)).filter(
            Q(date_until__isnull=True) | Q(date_until__gte=date))


class Membership(DerivedIdModel):
    """A state's membership of an organisation from one date until another (empty: still a member)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="memberships")
    date_from = models.DateField(_("member from"), null=True, blank=True,
                                 help_text=_("Empty when the sources give no date."))
    date_from_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    date_until = models.DateField(_("member until"), null=True, blank=True,
                                  help_text=_("Empty: still a member as far as the sources say."))
    date_until_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    note = models.TextField(blank=True)
    provenance = GenericRelation("Provenance")
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "date_from", "country"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "country", "date_from"], name="membership_unique"),
            models.CheckConstraint(
                condition=(Q(date_from__isnull=True) & Q(date_from_precision="unknown"))
                | (Q(date_from__isnull=False) & ~Q(date_from_precision="unknown")),
                name="membership_date_from_precision_matches",
            ),
            models.CheckConstraint(
                condition=Q(date_until__isnull=True) | Q(date_until__gte=models.F("date_from")),
                name="membership_dates_in_order",
                violation_error_message="A membership cannot end before it starts.",
            ),
        ]

    def build_id(self):
        return f"{self.organisation_id}-{self.country_id}-{self.date_from or 'undated'}"

    def __str__(self):
        return f"{self.country_id} in {self.organisation_id} from {self.date_from}"


# --------------------------------------------------------------------------- sources and provenance


class Source(models.Model):
    """Where a fact comes from: the article, one of its references, or an official or secondary source."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("the article")
        ARTICLE_REFERENCE = "article_reference", _("reference in the article's bibliography")
        OFFICIAL = "official", _("official source")
        SECONDARY = "secondary", _("secondary source")
        DATASET = "dataset", _("data set or code list")

    id = models.SlugField(_("id"), max_length=120, primary_key=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    number = models.PositiveSmallIntegerField(_("reference number in the article"), null=True, blank=True)
    citation = models.TextField(_("citation"), help_text=_("As given by the source, verbatim for the article's references."))
    url = models.URLField(_("URL"), max_length=600, blank=True)
    publisher = models.CharField(_("publisher or site"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    instruments = models.ManyToManyField("Instrument", blank=True, related_name="supporting_sources",
                                         verbose_name=_("instruments it supports"))
    history = HistoricalRecords(m2m_fields=[instruments])

    class Meta:
        ordering = ["kind", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=Q(kind="article_reference"), name="source_reference_number_unique"),
        ]

    def __str__(self):
        if self.number:
            return f"[{self.number}] {self.citation[:80]}"
        return self.citation[:100]


class Provenance(DerivedIdModel):
    """Where one field of one record comes from, and how sure we are.

    A field may have several rows (one per source). A row with confidence
    `not_found` documents that a value was looked for and not found, which is
    why the field is empty.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=120, db_index=True)
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=60, help_text=_("Model field name, or '*' for the whole record."))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="provenance")
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices)
    locator = models.CharField(_("where in the source"), max_length=200, blank=True,
                               help_text=_("Section of the article, reference number, article of a law…"))
    quote = models.TextField(_("verbatim quote"), blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type", "object_id", "field", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name_plural = _("provenance")
        constraints = [
            models.CheckConstraint(condition=~Q(field=""), name="provenance_field_named"),
        ]

    @staticmethod
    def id_base(model_name, object_id, field, source_id):
        """The id of a record's first row for one field and source; repeats get -2, -3, …

        The data files never write these ids: the loader derives them the same way, so a
        row keeps its id from one load to the next and an admin-created row agrees.
        """
        return slugify(f"{model_name}-{object_id}-{field.replace('*', 'all')}-{source_id}")[:190].strip("-")

    def build_id(self):
        base = self.id_base(self.content_type.model, self.object_id, self.field, self.source_id)
        taken = set(Provenance.objects.filter(pk__startswith=base).values_list("pk", flat=True))
        candidate, repeat = base, 1
        while candidate in taken:
            repeat += 1
            candidate = f"{base}-{repeat}"
        return candidate

    def save(self, *args, **kwargs):
        # The id is already a slug; slugifying it again could strip a trailing "_" of the cut base.
        if not self.id:
            self.id = self.build_id()
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.object_id}.{self.field} ← {self.source_id} ({self.confidence})"

    def clean(self):
        if self.confidence == Confidence.ARTICLE and self.source_id and self.source.kind not in {
            Source.Kind.ARTICLE, Source.Kind.ARTICLE_REFERENCE
        }:
            raise ValidationError({"confidence": _("Confidence 'article' needs the article (or one of its references) as source.")})


# --------------------------------------------------------------------------- vocabulary


class Subject(models.Model):
    """A term of the controlled vocabulary (DEMIG POLICY-based policy areas, target groups, tools)."""

    class Scheme(models.TextChoices):
        POLICY_AREA = "policy_area", _("policy area")
        TARGET_GROUP = "target_group", _("target group")
        POLICY_TOOL = "policy_tool", _("policy tool")

    code = models.SlugField(_("code"), max_length=80, primary_key=True)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    label_en = models.CharField(max_length=200)
    label_ru = models.CharField(max_length=200, blank=True)
    label_kk = models.CharField(max_length=200, blank=True)
    demig_term = models.CharField(_("DEMIG POLICY term"), max_length=200, blank=True,
                                  help_text=_("The DEMIG POLICY code-list term this rolls up to, verbatim."))
    definition = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "code"]

    def __str__(self):
        return localized(self, "label")[0]


# --------------------------------------------------------------------------- instruments


class TitledModel(models.Model):
    """Titles in English, Russian and Kazakh, each marked official, unofficial translation or paraphrase."""

    title_en = models.TextField(_("title (English)"), blank=True)
    title_en_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    title_ru = models.TextField(_("title (Russian)"), blank=True)
    title_ru_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    title_kk = models.TextField(_("title (Kazakh)"), blank=True)
    title_kk_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)

    class Meta:
        abstract = True

    @property
    def title(self):
        return localized(self, "title")

    def clean(self):
        super().clean()
        for code in LANGUAGES:
            if getattr(self, f"title_{code}") and not getattr(self, f"title_{code}_kind"):
                raise ValidationError({f"title_{code}_kind": _("Say whether this title is official or a translation.")})


class Kind(models.TextChoices):
    TREATY = "treaty", _("treaty")
    AGREEMENT = "agreement", _("agreement")
    PROTOCOL = "protocol", _("protocol")
    DIRECTIVE = "directive", _("directive")
    REGULATION = "regulation", _("regulation")
    LAW = "law", _("law")
    GOVERNMENT_RESOLUTION = "government_resolution", _("government resolution")
    POLICY_ADDRESS = "policy_address", _("policy address")


class Level(models.TextChoices):
    INTERNATIONAL = "international", _("international")
    REGIONAL = "regional", _("regional")
    BILATERAL = "bilateral", _("bilateral")
    NATIONAL = "national", _("national")


class Jurisdiction(models.TextChoices):
    EU = "eu", _("European Union")
    EAEU = "eaeu", _("Eurasian Economic Union")
    CIS = "cis", _("Commonwealth of Independent States")
    KZ = "kz", _("Kazakhstan")
    INT = "int", _("international (other)")


class RelationshipType(models.TextChoices):
    AMENDS = "amends", _("amends")
    REPEALS = "repeals", _("repeals")
    RECASTS = "recasts", _("recasts")
    CODIFIES = "codifies", _("codifies")
    RATIFIES = "ratifies", _("ratifies")
    IMPLEMENTS = "implements", _("implements")
    CITES = "cites", _("cites")
    BASED_ON = "based_on", _("is based on")
    REPLACES_IN_SUBSTANCE = "replaces_in_substance", _("replaces in substance")


INVERSE_LABELS = {
    RelationshipType.AMENDS: _("amended by"),
    RelationshipType.REPEALS: _("repealed by"),
    RelationshipType.RECASTS: _("recast by"),
    RelationshipType.CODIFIES: _("codified by"),
    RelationshipType.RATIFIES: _("ratified by"),
    RelationshipType.IMPLEMENTS: _("implemented by"),
    RelationshipType.CITES: _("cited by"),
    RelationshipType.BASED_ON: _("basis for"),
    RelationshipType.REPLACES_IN_SUBSTANCE: _("replaced in substance by"),
}


class InstrumentQuerySet(SearchQuerySetMixin, LifecycleQuerySet):
    # The repealed instruments as one uncorrelated IN (subquery): the database computes the
    # set once and probes it per row (PostgreSQL: a hashed subplan), where a correlated
    # EXISTS would look up the relationships again for every row — inside a status CASE,
    # up to three times per row, seconds over 100,000 instruments.
    def _repealed_q(self, on):
        return Q(pk__in=Relationship.objects.filter(type=RelationshipType.REPEALS, date_effective__lte=on)
                 .values("object_id"))

    def _repeal_date_unknown_q(self):
        return Q(pk__in=Relationship.objects.filter(type=RelationshipType.REPEALS, date_effective__isnull=True)
                 .values("object_id"))

    def real(self):
        return self.filter(is_synthetic=False)


class Instrument(Lifecycle, TitledModel):
    """A legal instrument as a work (ELI LegalResource): one treaty, directive, law, resolution…"""

    id = models.SlugField(_("id"), max_length=80, primary_key=True)
    eli_path = models.CharField(
        _("ELI-style path"), max_length=120, unique=True,
        help_text=_("Project-minted, ELI-shaped: /{jurisdiction}/{type}/{year}/{number}, e.g. /eu/dir/2003/86."),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
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
    publication_reference = models.CharField(_("publication reference"), max_length=200, blank=True,
                                             help_text=_("e.g. OJ L 251, 3.10.2003, p. 12–18"))
    transposition_deadline = models.DateField(_("transposition deadline"), null=True, blank=True)

    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    status_note = models.TextField(_("status as reported by the sources"), blank=True,
                                   help_text=_("The sources' own words on legal status; the status shown is computed."))

    cited_in_article = models.BooleanField(_("cited in the article"), default=False, db_index=True)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="instruments")
    is_synthetic = models.BooleanField(_("synthetic (benchmark) record"), default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    provenance = GenericRelation("Provenance")
    history = HistoricalRecords(m2m_fields=[subjects])

    objects = InstrumentQuerySet.as_manager()
    start_date_field = "date_adopted"

    class Meta:
        ordering = ["date_adopted", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "kind"]),
            # Performance: the default ordering, and the point-in-time filter (index-only counts).
            models.Index(fields=["date_adopted", "id"], name="instrument_adopted_id"),
            models.Index(fields=["entry_into_force_precision", "entry_into_force", "end_of_validity", "id"],
                         name="instrument_in_force"),
            # Every column a facet groups by or computes status from, so facet counts read this
            # narrow index (index-only) instead of scanning the wide table once per facet.
            models.Index(fields=["kind", "level", "jurisdiction", "cited_in_article", "date_adopted",
                                 "entry_into_force_precision", "entry_into_force", "end_of_validity",
                                 "end_of_validity_precision", "id"], name="instrument_facets"),
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
        return reverse("web:instrument-detail", args=[self.id])

    def repeal_dates(self):
        # A page of the API fetches the repeal dates of all its instruments in one query.
        fetched = self.__dict__.get("fetched_repeal_dates")
        if fetched is not None:
            return fetched
        return [r.date_effective for r in self.incoming_relationships.all() if r.type == RelationshipType.REPEALS]

    def clean(self):
        super().clean()
        errors = precision_errors(self, "date_adopted", "date_published")
        if errors:
            raise ValidationError(errors)


class OfficialText(DerivedIdModel):
    """A link to a text of the instrument, in one language, with its legal value."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=5)
    url = models.URLField(_("URL"), max_length=600)
    publisher = models.CharField(_("publisher"), max_length=100)
    kind = models.CharField(_("legal value"), max_length=10, choices=TextKind.choices, default=TextKind.OFFICIAL)
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
    provenance = GenericRelation("Provenance")
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
    provenance = GenericRelation("Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["subject", "type", "object"]
        # Performance: "is it repealed by a date?" subqueries and the inverse relationships of a page.
        indexes = [models.Index(fields=["object", "type", "date_effective"], name="relationship_incoming")]
        constraints = [
            models.UniqueConstraint(fields=["subject", "type", "object"], name="relationship_unique"),
            models.CheckConstraint(condition=~Q(subject=models.F("object")), name="relationship_not_to_itself",
                                   violation_error_message="An instrument cannot be related to itself."),
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
        return INVERSE_LABELS[self.type]

    def clean(self):
        if self.subject_id and self.subject_id == self.object_id:
            raise ValidationError(_("An instrument cannot be related to itself."))
        errors = precision_errors(self, "date_effective")
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- errata


class Discrepancy(models.Model):
    """Where the article disagrees with the official record or with itself."""

    class Category(models.TextChoices):
        DATE = "date", _("date")
        NUMBER = "number", _("number or identifier")
        LEGAL_STATUS = "legal_status", _("legal status")
        COUNT = "count", _("count")
        ATTRIBUTION = "attribution", _("attribution")
        TITLE = "title", _("title or wording")
        CLAIM = "claim", _("factual claim")
        CITATION = "citation", _("citation or reference")
        TYPO = "typo", _("typo or transliteration")
        SOURCE_CONFLICT = "source_conflict", _("conflict between sources")

    id = models.SlugField(_("id"), max_length=80, primary_key=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, db_index=True)
    substantive = models.BooleanField(_("substantive"), default=True, db_index=True,
                                      help_text=_("Affects a date, number, legal status, count or attribution."))
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    article_quotes = models.JSONField(_("the article's words"), default=list,
                                      help_text=_("Verbatim quotes from the article, as a list."))
    correct_fact = models.TextField(_("correct fact"), blank=True)
    confidence = models.CharField(_("confidence in the correction"), max_length=10, choices=Confidence.choices)
    instruments = models.ManyToManyField(Instrument, blank=True, related_name="discrepancies")
    agreements = models.ManyToManyField("agreements.Agreement", blank=True, related_name="discrepancies")
    provenance = GenericRelation("Provenance")
    history = HistoricalRecords(m2m_fields=[instruments, agreements])

    class Meta:
        ordering = ["-substantive", "category", "id"]
        verbose_name_plural = _("discrepancies")

    def __str__(self):
        return self.summary

    def clean(self):
        if not isinstance(self.article_quotes, list) or not all(isinstance(q, str) and q for q in self.article_quotes):
            raise ValidationError({"article_quotes": _("Give the article's words as a list of non-empty quotes.")})
        if not self.article_quotes:
            raise ValidationError({"article_quotes": _("A discrepancy quotes the article at least once.")})


# Performance: writes to any model invalidate cached responses (signal receivers live there).
from . import cache  # noqa: E402,F401
