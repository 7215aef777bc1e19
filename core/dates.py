"""Dates as known: a stored date and its precision written as EDTF (ISO 8601 reduced precision).

A date known to the month is stored as the 1st of that month and a year as 1 January; written
out as a full date, every tool reads it as that day. `edtf()` writes only what is known:
`2012` (year), `2012-12` (month), `2012-12-14` (day), nothing when the date is unknown. The
API's JSON gives it beside each such date (`<date>_edtf`) and its CSV writes it in the date's
own column.
"""

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
