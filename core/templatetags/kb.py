"""Template helpers for the web UI: data in the reader's language with honest markers,
dates with their precision, search highlighting and language links."""

import datetime
import functools
import json
import re
from types import SimpleNamespace

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils import dateformat, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core import seo
from core.dates import written_date
from core.i18n import TextKind, localized
from core.lifecycle import Precision, Status, today

register = template.Library()

SHOWN_IN = {"en": _("shown in English"), "ru": _("shown in Russian"), "kk": _("shown in Kazakh")}
NO_TEXT = {"en": _("no English text"), "ru": _("no Russian text"), "kk": _("no Kazakh text")}


def current_language():
    return (get_language() or "en")[:2]


@register.simple_tag
def loc(obj, field, markers=True):
    """`field` of `obj` in the reader's language; marks a fallback language and unofficial texts.

    A fallback value carries its own lang attribute, so screen readers pronounce it right.
    """
    value, lang, kind = localized(obj, field)
    if not value:
        return ""
    wanted = current_language()
    if lang != wanted:
        html = format_html('<span lang="{}">{}</span>', lang, value)
    else:
        html = escape(value)
    if not markers:
        return mark_safe(html)
    notes = []
    if lang != wanted:
        notes.append(
            format_html('<small class="marker marker-fallback">{} — {}</small>', SHOWN_IN[lang], NO_TEXT[wanted])
        )
    if kind == TextKind.UNOFFICIAL:
        notes.append(format_html('<small class="marker marker-unofficial">{}</small>', TextKind.UNOFFICIAL.label))
    elif kind == TextKind.PARAPHRASE:
        notes.append(format_html('<small class="marker marker-unofficial">{}</small>', TextKind.PARAPHRASE.label))
    return mark_safe(" ".join([html, *notes]))


@register.simple_tag
def loc_text(obj, field):
    """Plain text of `field` in the reader's language (for titles, attributes, JSON)."""
    return localized(obj, field)[0]


@register.filter
def precise_date(date, precision=Precision.DAY):
    """A date written only as precisely as it is known ("November 2023", "2023", "unknown"),
    in the one format of the reader's language (core.dates.written_date), in a <time>."""
    if date is None or precision == Precision.UNKNOWN:
        return format_html('<span class="unknown">{}</span>', gettext("unknown"))
    if isinstance(date, datetime.datetime):  # a moment (updated_at): its day, in the site's time zone
        date = timezone.localdate(date) if timezone.is_aware(date) else date.date()
    return format_html('<time datetime="{}">{}</time>', machine_date(date, precision), written_date(date, precision))


def machine_date(date, precision):
    if precision == Precision.YEAR:
        return dateformat.format(date, "Y")
    if precision == Precision.MONTH:
        return dateformat.format(date, "Y-m")
    return date.isoformat()


@register.simple_tag
def date_of(obj, field):
    """`{% date_of instrument "entry_into_force" %}`: the field with its companion precision."""
    return precise_date(getattr(obj, field), getattr(obj, f"{field}_precision", Precision.DAY))


@register.filter
def status_label(value):
    try:
        return Status(value).label
    except ValueError:
        return value


@register.filter
def highlight(text, query):
    """Escape `text` and wrap each case-insensitive match of the query's words in <mark>."""
    text = str(text or "")
    words = [w for w in re.split(r"\s+", str(query or "").strip()) if len(w) > 1]
    if not words:
        return escape(text)
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(f"({alternatives})", re.IGNORECASE)
    parts = pattern.split(text)
    # split() with one capture group alternates: text, match, text, match, …
    return mark_safe(
        "".join(format_html("<mark>{}</mark>", part) if i % 2 else escape(part) for i, part in enumerate(parts))
    )


def local_path(request):
    """The request's path and query, with runs of slashes made one: "//evil.example/en/" must
    not become a protocol-relative link to another site."""
    if request is None:
        return "/"
    path, _, query = request.get_full_path().partition("?")
    path = re.sub(r"/{2,}", "/", path)
    return f"{path}?{query}" if query else path


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language: [(code, name, url, is_current)], query string kept."""
    from django.conf import settings

    full_path = local_path(context.get("request"))
    current = current_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(full_path, code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def unprefixed_path(context):
    """The page without its language prefix: LocaleMiddleware redirects it by the browser's
    language, which makes it the hreflang="x-default" address."""
    path = local_path(context.get("request"))
    prefix = f"/{current_language()}/"
    return "/" + path[len(prefix) :] if path.startswith(prefix) else path


def _canonical_query(request):
    """The part of a query string a canonical address keeps: the page number of a list."""
    page = request.GET.get("page", "") if request is not None else ""
    return f"?page={page}" if page.isdigit() and page != "1" else ""


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's canonical address: on KB_CANONICAL_URL's host (else the request's), its path
    with slashes made one, filters dropped (a filtered list is the list), a list's page kept."""
    request = context.get("request")
    path = local_path(request).partition("?")[0]
    return seo.absolute(path + _canonical_query(request), request)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """A site path made absolute on the canonical base."""
    return seo.absolute(path, context.get("request"))


@register.simple_tag
def og_locales():
    """og:locale of the page's language, and og:locale:alternate of the other two."""
    from django.conf import settings

    current = current_language()
    return {
        "current": seo.OG_LOCALES[current],
        "alternates": [seo.OG_LOCALES[code] for code, _name in settings.LANGUAGES if code != current],
    }


@register.simple_tag
def localized_row(row, field, markers=True):
    """Like `loc`, for a row fetched as a dict (e.g. subjects aggregated into the page's query)."""
    return loc(SimpleNamespace(**row), field, markers)


@register.filter
def believed_only(rows):
    """Whether a fact rests on `believed` sources only (no verified one): the page must say so."""
    confidences = {getattr(row, "confidence", None) for row in rows or ()}
    return "believed" in confidences and "verified" not in confidences


@register.simple_tag
def kb_today():
    return today()


@register.filter
def json_script_data(data):
    """JSON for a <script type="application/ld+json"> data block, safe against '</script>'."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    return mark_safe(text.translate({ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}))


KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


@register.filter
def text_lang(text):
    """Best guess of a quote's language (en, ru or kk) for its lang attribute.

    Quotes keep the language they were written in, whatever the page's language;
    Kazakh is told from Russian by the letters only Kazakh uses.
    """
    return _guessed_lang(str(text or ""))


@functools.lru_cache(maxsize=4096)
def _guessed_lang(text):
    # The same citations and notes come back on every request (the sources page guesses 400),
    # and reading each letter of each was a tenth of that page's time.
    letters = [c for c in text if c.isalpha()]
    cyrillic = [c for c in letters if "\u0400" <= c <= "\u04ff"]
    if not letters or len(cyrillic) * 2 < len(letters):
        return "en"
    return "kk" if any(c in KAZAKH_LETTERS for c in cyrillic) else "ru"


@register.simple_tag
def label_of(obj, query="", fields="short_title,title"):
    """An instrument's short label ("Directive 2009/50/EC") in the reader's language where there is one;
    otherwise in the language it has, marked with lang (WCAG 3.1.2), search words highlighted."""
    value, lang = "", current_language()
    for field in fields.split(","):
        value, lang, _kind = localized(obj, field)
        if value:
            break
    if not value:
        return escape(obj.pk)
    text = highlight(value, query)
    if lang != current_language():
        return format_html('<span lang="{}">{}</span>', lang, text)
    return text


@register.filter
def in_own_language(text):
    """Data written in one language (notes, places, summaries of errata): wrapped with its lang
    when that differs from the page's."""
    if not text:
        return ""
    lang = text_lang(text)
    if lang == current_language():
        return escape(text)
    return format_html('<span lang="{}">{}</span>', lang, text)
