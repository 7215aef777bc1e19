"""Dates as known: a stored date and its precision written as EDTF (ISO 8601 reduced precision).

A date known to the month is stored as the 1st of that month and a year as 1 January; written
out as a full date, every tool reads it as that day. `edtf()` writes only what is known:
`2012` (year), `2012-12` (month), `2012-12-14` (day), nothing when the date is unknown. The
API's JSON gives it beside each such date (`<date>_edtf`) and its CSV writes it in the date's
own column.

`written_date()` is the one way a date is written for readers, in every page, list, map and
timeline: "10 December 2009", "10 декабря 2009 г.", "2009 ж. 10 желтоқсан", only as precisely
as it is known ("June 2017", "2015"). The template filter `precise_date` wraps it in <time>.
"""

from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.translation import get_language, override

from .lifecycle import Precision


def edtf(value, precision):
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' for a date of that precision; None when unknown."""
    if value is None or precision in (None, "", Precision.UNKNOWN):
        return None
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def _month(value, case):
    # Django's own month catalogue: nominative, and the genitive Russian needs after a day number.
    return str(MONTHS_ALT[value.month] if case == "genitive" else MONTHS[value.month])


def written_date(value, precision=Precision.DAY, language=None):
    """A date in words in the reader's language, as precisely as it is known; "" when unknown."""
    if value is None or precision in (None, "", Precision.UNKNOWN):
        return ""
    if language:
        with override(language):
            return written_date(value, precision)
    lang = (get_language() or "en")[:2]
    if precision == Precision.YEAR:
        return {"ru": f"{value.year} г.", "kk": f"{value.year} ж."}.get(lang, str(value.year))
    if precision == Precision.MONTH:
        month = _month(value, "nominative")
        return {
            "ru": f"{month.lower()} {value.year} г.",
            "kk": f"{value.year} ж. {month.lower()}",
        }.get(lang, f"{month} {value.year}")
    # Only the reader's language's form: each month name is a translation looked up anew, and
    # a page of dates (the timeline's table) wrote every date three times over.
    if lang == "ru":
        return f"{value.day} {_month(value, 'genitive').lower()} {value.year} г."
    month = _month(value, "nominative")
    if lang == "kk":
        return f"{value.year} ж. {value.day} {month.lower()}"
    return f"{value.day} {month} {value.year}"
