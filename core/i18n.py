"""Data in three languages: which text to show a reader, and what kind of text it is."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "ru", "kk")


class TextKind(models.TextChoices):
    OFFICIAL = "official", _("official text")
    UNOFFICIAL = "unofficial", _("unofficial translation")
    PARAPHRASE = "paraphrase", _("paraphrase")


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
