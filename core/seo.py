"""What search engines, link previews and reference managers read: the canonical address of a
page, a short description of it, and dates written as Highwire Press's citation_* tags want.

The canonical base is KB_CANONICAL_URL (e.g. https://kb.example.org) where it is set; otherwise
the request's own scheme and host, which is right for a local run and for tests.
"""

import re

from django.conf import settings

from .lifecycle import Precision

DESCRIPTION_LENGTH = 160

# og:locale wants language_TERRITORY.
OG_LOCALES = {"en": "en_GB", "ru": "ru_RU", "kk": "kk_KZ"}


def canonical_base(request=None):
    """'https://kb.example.org': the setting, else the request's scheme and host, without a trailing slash."""
    base = (getattr(settings, "KB_CANONICAL_URL", "") or "").rstrip("/")
    if base or request is None:
        return base
    return f"{request.scheme}://{request.get_host()}"


def absolute(path, request=None):
    """A site path ('/en/instruments/') made absolute on the canonical base."""
    return f"{canonical_base(request)}{path}"


def short_description(text, limit=DESCRIPTION_LENGTH):
    """One line of at most `limit` characters, cut at a word and ended with '…' when cut."""
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–—-") + "…"


def highwire_date(value, precision):
    """'2009', '2009/05' or '2009/05/25' (Highwire's citation_date), only as precise as known; '' when unknown."""
    if value is None or precision in (None, "", Precision.UNKNOWN):
        return ""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}/{value.month:02d}"
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"
