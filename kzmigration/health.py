"""Health probes and the answer the site gives while its database is away.

/healthz  the process is alive and serving (never touches the database).
/readyz   the database answers `SELECT 1`; 503 with a JSON reason when it does not.

Both live outside the language prefix and are exempt from the HTTPS redirect, so a load
balancer can probe them over plain HTTP.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from api.errors import api_error

logger = logging.getLogger(__name__)


def is_api_request(request):
    return request.path.startswith("/api/")


def retry_after():
    return str(getattr(settings, "DATABASE_RETRY_AFTER_SECONDS", 30))


UNAVAILABLE_PAGE = """<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{title}</title></head>
<body>
<main>
<h1>{title}</h1>
<p>{message}</p>
<p><a href="{path}">{again}</a></p>
</main>
</body>
</html>
"""


def database_unavailable_response(request):
    """503 while the database cannot be reached: JSON under /api/, a plain page elsewhere.

    It is built without templates, context processors or the session, since all of
    those may need the database that is gone.
    """
    message = _("The knowledge base's database is temporarily unavailable. Please try again in a moment.")
    if is_api_request(request):
        response = api_error(503, "database_unavailable", message)
    else:
        language = (getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE)[:2]
        page = UNAVAILABLE_PAGE.format(
            lang=escape(language),
            title=escape(_("Temporarily unavailable")),
            message=escape(message),
            path=escape(request.get_full_path()),
            again=escape(_("Try again")),
        )
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = retry_after()
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. No database, no templates."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Readiness: every configured database answers `SELECT 1`."""
    checks = {}
    ready = True
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            checks[alias] = "ok"
        except DatabaseError as exc:
            logger.warning("readyz: database %r unreachable: %s", alias, exc)
            checks[alias] = "unreachable"
            ready = False
    if ready:
        return JsonResponse({"status": "ok", "database": checks})
    response = JsonResponse({"status": "unavailable", "database": checks}, status=503)
    response["Retry-After"] = retry_after()
    return response
