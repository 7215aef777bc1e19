"""The errata register: where the article disagrees with the official record or with itself."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sources.models import Confidence


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
    substantive = models.BooleanField(
        _("substantive"),
        default=True,
        db_index=True,
        help_text=_("Affects a date, number, legal status, count or attribution."),
    )
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    article_quotes = models.JSONField(
        _("the article's words"), default=list, help_text=_("Verbatim quotes from the article, as a list.")
    )
    correct_fact = models.TextField(_("correct fact"), blank=True)
    confidence = models.CharField(_("confidence in the correction"), max_length=10, choices=Confidence.choices)
    instruments = models.ManyToManyField("instruments.Instrument", blank=True, related_name="discrepancies")
    agreements = models.ManyToManyField("agreements.Agreement", blank=True, related_name="discrepancies")
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords(m2m_fields=[instruments, agreements])

    class Meta:
        # Substantive errata first: the ones that change a date, number, status or count.
        ordering = ["-substantive", "category", "id"]
        verbose_name_plural = _("discrepancies")

    def __str__(self):
        return self.summary

    def clean(self):
        quotes = self.article_quotes
        if not isinstance(quotes, list) or not all(isinstance(q, str) and q for q in quotes):
            raise ValidationError({"article_quotes": _("Give the article's words as a list of non-empty quotes.")})
        if not quotes:
            raise ValidationError({"article_quotes": _("A discrepancy quotes the article at least once.")})
