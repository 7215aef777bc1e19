"""Settings of the test suite: the production settings, with what tests need instead.

pytest names this module (pyproject.toml); tests of the production settings themselves run
kzmigration.settings.base in a fresh process.
"""

from .base import *  # noqa: F403

# Rolled-back test transactions never announce themselves: no response caching, except in
# the tests of the cache, which turn it on. Each test process keeps its own caches.
KB_RESPONSE_CACHE_SECONDS = 0
# Off in tests: a test's rolled-back writes would leave counts of data that is gone under the
# version their write made (tests/api/test_counts.py turns it on).
KB_COUNT_CACHE_SECONDS = 0
KB_KEEP_COMPARISON_RECORDS = False  # the same, for the comparison's records (tests/compare turns it on)
KB_RESPONSE_CACHE_HEADER = True
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-default"},
    "pages": {
        "BACKEND": "kzmigration.cache.BoundedLocMemCache",
        "LOCATION": "test-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000, "MAX_BYTES": 8 << 20},
    },
    "data_version": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-version"},
}

# WhiteNoise looks a static file up when it is asked for, as in development, instead of listing
# all of staticfiles/ (683 files) each time a test client builds its middleware: that listing
# was a quarter of the fast lane's CPU (110 ms a client, 3 Dec 2026).
WHITENOISE_AUTOREFRESH = True
# Plain static storage: tests do not depend on a fresh collectstatic's manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# No rate limits: a test run asks thousands of times a minute from one address; the tests
# of the throttles turn them on.
KB_PAGE_THROTTLE = None
KB_EXPORT_THROTTLE = None
# No export slots: the test client closes a streamed response only once it is read to the end,
# so a test that checks a CSV's status alone would hold the slot; tests/api/test_export_slots.py
# turns them on.
KB_EXPORTS_PER_PROCESS = 0
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}  # noqa: F405

# Fast password hashing: tests log in often, and no real password is ever stored.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Records' canonical addresses (JSON-LD @id, citation URLs) under the host the `api` fixture uses.
KB_CANONICAL_URL = "http://127.0.0.1"
