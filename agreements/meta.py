"""An agreement page's head: its description, and the Highwire Press citation_* tags that
Zotero's connector reads to save the page as the agreement it shows."""

from django.utils.translation import gettext

from core import seo
from core.dates import written_date
from core.i18n import LANGUAGES, TextKind, localized


def official_title(agreement, language):
    order = [language] + [code for code in LANGUAGES if code != language]
    for code in order:
        if getattr(agreement, f"title_{code}") and getattr(agreement, f"title_{code}_kind") == TextKind.OFFICIAL:
            return getattr(agreement, f"title_{code}"), code
    title, code, _kind = localized(agreement, "title", language)
    return (title, code) if title else (agreement.label, language)


def page_meta(agreement, language):
    """The agreement's title, then when it was signed and entered into force, as far as known."""
    title = localized(agreement, "title", language)[0] or agreement.label
    facts = [title]
    signed = written_date(agreement.date_signed, agreement.date_signed_precision)
    if signed:
        facts.append(f"{gettext('Signed')}: {signed}")
    in_force = written_date(agreement.entry_into_force, agreement.entry_into_force_precision)
    if in_force:
        facts.append(f"{gettext('Entry into force')}: {in_force}")
    return {"title": agreement.label, "description": seo.short_description(". ".join(facts)), "type": "article"}


def citation_meta(agreement, language):
    title, title_language = official_title(agreement, language)
    tags = [("citation_title", title)]
    signed = seo.highwire_date(agreement.date_signed, agreement.date_signed_precision)
    if signed:
        tags += [("citation_date", signed), ("citation_publication_date", signed)]
    if agreement.ratification_law_number:
        tags.append(("citation_technical_report_number", agreement.ratification_law_number))
    tags.append(("citation_language", title_language))
    return tags
