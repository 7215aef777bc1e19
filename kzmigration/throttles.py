"""Who a client is, and how often it may ask: one answer for the API's throttle, the pages'
throttle and the admin's lockout (django-axes).

Behind KB_TRUSTED_PROXIES reverse proxies the client is the address the outermost trusted proxy
saw: the n-th address from the right of X-Forwarded-For (what a client writes itself stands to
the left and is never believed). With no trusted proxy it is REMOTE_ADDR. Counts live in the
default cache: shared by every worker and instance when REDIS_URL is set.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


def client_address(request):
    """The client's address, as far as the trusted proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.KB_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]


class ApiThrottle(AnonRateThrottle):
    """Anonymous API clients, per client address (DJANGO_API_THROTTLE_ANON)."""

    def get_ident(self, request):
        return client_address(request)


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
