"""Request-pipeline pieces for reliability and security.

DatabaseUnavailableMiddleware  a lost database gives a 503 with Retry-After, not a 500
                               with a traceback; the next request after the database
                               returns gets a fresh connection, so no restart is needed.
NulBytePathMiddleware          a path with a NUL byte (%00) names nothing here: 404, before
                               any view hands it to PostgreSQL, which refuses NUL in text.
api_exception_handler          the API's exception handler, except that outages are left
                               to the middleware (503, not the API's generic 500).
RequestOnlyAxesBackend         django-axes' login throttling for every login that comes
                               with a request (the admin's form).
"""

import logging

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.module_loading import import_string

from .health import api_error, database_unavailable_response, is_api_request

logger = logging.getLogger(__name__)

# OperationalError covers "connection refused", "server closed the connection" and
# "terminating connection due to administrator command"; InterfaceError "connection
# already closed". Integrity and programming errors are bugs and stay 500s.
OUTAGE_ERRORS = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            logger.error("Database unavailable while serving %s: %s", request.path, exception)
            return database_unavailable_response(request)
        return None


class NulBytePathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            if is_api_request(request):
                return api_error(404, "not_found", "No API resource at this address; see /api/v1/.")
            raise Http404("No page at this address.")  # the site's own 404 page
        return self.get_response(request)


def api_exception_handler(exc, context):
    """Let database outages through to DatabaseUnavailableMiddleware; the rest to the API's handler."""
    if isinstance(exc, OUTAGE_ERRORS):
        return None  # REST framework re-raises it; the middleware answers 503
    return import_string(settings.API_EXCEPTION_HANDLER)(exc, context)


class RequestOnlyAxesBackend(AxesStandaloneBackend):
    """Throttle logins that come through a request; let request-less calls pass on.

    Web logins (the admin) always pass the request, so they are throttled. A call
    without one (`authenticate()` in a shell, the test client's `login()`) has no
    client address to throttle and would otherwise be refused by django-axes outright.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
