"""A ceiling on every query the web processes run (PostgreSQL's statement_timeout).

Only the web processes: wsgi.py turns it on, so that load_kb, gen_synthetic and migrations may
take as long as they need. A query past the ceiling is cancelled by PostgreSQL; the error is an
OperationalError, which DatabaseUnavailableMiddleware answers with 503 and Retry-After — never
a worker hanging on one request.
"""

from django.conf import settings
from django.db.backends.signals import connection_created


def set_statement_timeout(sender, connection, **kwargs):
    if connection.vendor == "postgresql" and settings.KB_STATEMENT_TIMEOUT_MS:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(settings.KB_STATEMENT_TIMEOUT_MS)])


def limit_statement_time():
    connection_created.connect(set_statement_timeout, dispatch_uid="kb-statement-timeout")
