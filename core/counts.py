"""Counts kept per data version: a list's count and its facet counts change only when the data
or the day does (status filters read today), yet counting a broad filter is most of a list's
cost. Kept in the default cache (Redis where REDIS_URL is set) under the data version, the day
and what was counted; KB_COUNT_CACHE_SECONDS bounds how long one is kept (0: always counted).
Any write replaces the data version (core/versioning.py), so no count outlives the data it
counted. `kept` does the same for another small answer that only the data and the day decide
(the home page's next events)."""

import hashlib

from django.conf import settings
from django.core.cache import caches

from .lifecycle import today
from .versioning import data_version


def kept(what, compute):
    """compute() for `what` (a string naming exactly what is computed), kept per data version and day."""
    seconds = settings.KB_COUNT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256(what.encode()).hexdigest()[:32]
    key = f"count:{data_version()}:{today().isoformat()}:{digest}"
    value = caches["default"].get(key)
    if value is None:
        value = compute()
        caches["default"].set(key, value, seconds)
    return value


def counted(what, count):
    """count() for `what` (a string naming the rows and the counting exactly), kept."""
    return kept(what, count)
