"""Dates as precisely as they are known, in the reader's language."""

from django.utils import formats

from core.lifecycle import Precision


def format_date(value, precision):
    """A date as precise as it is known: '10 December 2009', 'June 2017', '2015'."""
    if value is None or precision == Precision.UNKNOWN:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")
