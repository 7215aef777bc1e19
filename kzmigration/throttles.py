"""The pages' throttle, per client address (core.clients), counted in the default cache: shared
by every worker and instance when REDIS_URL is set. The API throttles itself (api.throttles)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

from core.clients import client_address


class PageThrottle(SimpleRateThrottle):
    """HTML pages, per client address (DJANGO_PAGE_THROTTLE)."""

    scope = "pages"

    def get_rate(self):
        return settings.KB_PAGE_THROTTLE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class PageThrottleMiddleware:
    """429 with Retry-After for a client past the pages' rate. The API throttles itself (DRF),
    static files are not counted, and answers served from the response cache (earlier in the
    chain) cost nothing and are not counted either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.KB_PAGE_THROTTLE and not request.path.startswith(("/api/", "/static/", "/healthz", "/readyz")):
            throttle = PageThrottle()
            if not throttle.allow_request(request, None):
                wait = max(1, round(throttle.wait() or 1))
                response = HttpResponse(
                    _("Too many requests. Please wait %(seconds)d seconds.") % {"seconds": wait},
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
