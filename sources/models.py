"""Where each fact comes from: sources, and one provenance row per field, record and source.

Provenance points at any record of any app (a generic foreign key), so every model that
holds facts declares `provenance = GenericRelation("sources.Provenance")`.
"""

from collections import defaultdict

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DerivedIdModel


class Confidence(models.TextChoices):
    ARTICLE = "article", _("stated in the article")
    VERIFIED = "verified", _("verified in a cited source")
    BELIEVED = "believed", _("believed, not confirmed")
    NOT_FOUND = "not_found", _("looked for, not found")


class SourceKind(models.TextChoices):
    ARTICLE = "article", _("the article")
    ARTICLE_REFERENCE = "article_reference", _("reference in the article's bibliography")
    OFFICIAL = "official", _("official source")
    SECONDARY = "secondary", _("secondary source")
    DATASET = "dataset", _("data set or code list")


class Source(models.Model):
    """Where a fact comes from: the article, one of its references, or an official or secondary source."""

    Kind = SourceKind
    ARTICLE_KINDS = (SourceKind.ARTICLE, SourceKind.ARTICLE_REFERENCE)

    id = models.SlugField(_("id"), max_length=120, primary_key=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices, db_index=True)
    number = models.PositiveSmallIntegerField(_("reference number in the article"), null=True, blank=True)
    citation = models.TextField(
        _("citation"), help_text=_("As given by the source, verbatim for the article's references.")
    )
    url = models.URLField(_("URL"), max_length=600, blank=True)
    publisher = models.CharField(_("publisher or site"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    provenance = GenericRelation("Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=Q(kind="article_reference"), name="source_reference_number_unique"
            ),
        ]

    def __str__(self):
        if self.number:
            return f"[{self.number}] {self.citation[:80]}"
        return self.citation[:100]


class ProvenanceQuerySet(models.QuerySet):
    def about(self, label):
        """Provenance of records of one model, named by label ("instruments.instrument"), so an app
        can ask about records of an app above it without importing it."""
        app_label, model = label.lower().split(".")
        return self.filter(content_type__app_label=app_label, content_type__model=model)

    def for_records(self, *records):
        """Provenance of these records (of one or more models), sources attached, in display order."""
        condition = Q(pk__in=[])
        by_model = defaultdict(list)
        for record in records:
            by_model[type(record)].append(str(record.pk))
        for model, ids in by_model.items():
            condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
        return self.filter(condition).select_related("source").order_by("field", "source__kind", "source__number", "id")

    def by_field(self):
        """{field: [rows]} in display order."""
        grouped = defaultdict(list)
        for row in self:
            grouped[row.field].append(row)
        return dict(grouped)


class Provenance(DerivedIdModel):
    """Where one field of one record comes from, and how sure we are.

    A field may have several rows (one per source). A row with confidence `not_found`
    documents that a value was looked for and not found, which is why the field is empty.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=120, db_index=True)
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=60, help_text=_("Model field name, or '*' for the whole record."))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="supported_facts")
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices)
    locator = models.CharField(
        _("where in the source"),
        max_length=200,
        blank=True,
        help_text=_("Section of the article, reference number, article of a law…"),
    )
    quote = models.TextField(_("verbatim quote"), blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = ProvenanceQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "field", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name_plural = _("provenance")
        constraints = [
            models.CheckConstraint(condition=~Q(field=""), name="provenance_field_named"),
        ]

    def save(self, *args, **kwargs):
        # The id is already a slug; slugifying it again could strip a trailing "_" of the cut base.
        if not self.id:
            self.id = self.build_id()
        super().save(*args, **kwargs)

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

    def __str__(self):
        return f"{self.object_id}.{self.field} ← {self.source_id} ({self.confidence})"

    def clean(self):
        if self.confidence == Confidence.ARTICLE and self.source_id and self.source.kind not in Source.ARTICLE_KINDS:
            raise ValidationError(
                {"confidence": _("Confidence 'article' needs the article (or one of its references) as source.")}
            )
