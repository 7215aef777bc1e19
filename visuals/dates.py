"""Dates as precisely as they are known, in the reader's language: the site's one format
(core.dates.written_date), as plain text for the SVG pictures and their tables."""

from core.dates import written_date
from core.lifecycle import Precision


def format_date(value, precision=Precision.DAY):
    """A date as precise as it is known: '10 December 2009', 'June 2017', '2015'; '' when unknown."""
    return written_date(value, precision)
