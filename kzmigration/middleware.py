"""Request-pipeline pieces for reliability and security.

DatabaseUnavailableMiddleware  a lost database gives a 503 with Retry-After, not a 500
                               with a traceback; the next request after the database
                               returns gets a fresh connection, so no restart is needed.
NulBytePathMiddleware          a path with a NUL byte (%00) names nothing here: 404, before
                               any view hands it to PostgreSQL, which refuses NUL in text.

The API's exception handler (api.errors) leaves outages to DatabaseUnavailableMiddleware.
"""

import logging

from django.http import Http404

from api.errors import OUTAGE_ERRORS, api_error

from .health import database_unavailable_response, is_api_request

logger = logging.getLogger(__name__)


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
