"""WSGI entry point (gunicorn kzmigration.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzmigration.settings.base")

application = get_wsgi_application()

from kzmigration.database import limit_statement_time  # noqa: E402 (needs the settings loaded)

limit_statement_time()

import gc  # noqa: E402

# Everything loaded so far lives as long as the process: out of the collector's sight, each
# full collection no longer walks the modules, URL patterns, templates and serializers (at
# 10,000 instruments on PostgreSQL, p95 of the comparison 71-98 -> 58-59 ms, of the agreement
# list 42 -> 35 ms, p99 of most endpoints about a third lower; docs/performance.md).
gc.freeze()
