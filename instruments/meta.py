"""An instrument page's head: its description, and the Highwire Press citation_* tags that
Zotero's connector (and Google Scholar) read to save the page as the instrument it shows."""

from core import seo
from core.i18n import LANGUAGES, TextKind, localized

from .citation import official_url


def official_title(instrument, language):
    """(title, language): the official title, in the page's language where it is official there,
    else the first official one; a title in the page's language, else any, where none is official."""
    order = [language] + [code for code in LANGUAGES if code != language]
    for code in order:
        if getattr(instrument, f"title_{code}") and getattr(instrument, f"title_{code}_kind") == TextKind.OFFICIAL:
            return getattr(instrument, f"title_{code}"), code
    title, code, _kind = localized(instrument, "title", language)
    return (title, code) if title else (instrument.label, language)


def page_meta(instrument, language):
    summary = localized(instrument, "summary", language)[0]
    title = localized(instrument, "short_title", language)[0] or localized(instrument, "title", language)[0]
    return {
        "title": title or instrument.label,
        "description": seo.short_description(summary or localized(instrument, "title", language)[0]),
        "type": "article",
    }


def _is_pdf(url):
    return url.lower().split("?", 1)[0].endswith(".pdf")


def citation_meta(instrument, texts, language):
    """[(name, content)] of citation_* tags, in Highwire's order; only what is known."""
    title, title_language = official_title(instrument, language)
    tags = [("citation_title", title)]
    if instrument.issuing_body:
        tags.append(("citation_author", instrument.issuing_body))
    adopted = seo.highwire_date(instrument.date_adopted, instrument.date_adopted_precision)
    if adopted:
        tags += [("citation_date", adopted), ("citation_publication_date", adopted)]
    published = seo.highwire_date(instrument.date_published, instrument.date_published_precision)
    if published:
        tags.append(("citation_online_date", published))
    if instrument.number:
        tags.append(("citation_technical_report_number", instrument.number))
    official = [text for text in texts if text.kind == TextKind.OFFICIAL] or list(texts)
    # The official text in the title's language first, then in the page's.
    official.sort(key=lambda text: (text.language != title_language, text.language != language))
    pdf = next((text.url for text in official if _is_pdf(text.url)), "")
    html = next((text.url for text in official if not _is_pdf(text.url)), "") or official_url(instrument)
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    if html:
        tags.append(("citation_fulltext_html_url", html))
    tags.append(("citation_language", title_language))
    return tags
