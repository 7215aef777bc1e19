"""WSGI entry point (gunicorn kzmigration.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzmigration.settings.base")

application = get_wsgi_application()

from kzmigration.database import limit_statement_time  # noqa: E402 (needs the settings loaded)

limit_statement_time()
