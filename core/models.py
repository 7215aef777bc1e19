"""Abstract models the knowledge base's records share (no tables of their own)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .i18n import LANGUAGES, TextKind, localized


class DerivedIdModel(models.Model):
    """A record whose stable id is derived from what it links, e.g. 'eu-kz-2015-01-01'.

    Stable ids keep the data files readable and loads idempotent, and let provenance point
    at any record, whichever database it is loaded into.
    """

    # Not editable: the admin's inline formsets then carry the id as a hidden input.
    id = models.SlugField(_("id"), max_length=200, primary_key=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.id:
            self.id = slugify(self.build_id())
        super().save(*args, **kwargs)

    def build_id(self):
        raise NotImplementedError


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
