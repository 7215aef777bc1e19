"""The API's throttles, per client address (core.clients), counted in the default cache: shared
by every worker and instance when REDIS_URL is set."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from core.clients import client_address


class ApiThrottle(AnonRateThrottle):
    """Anonymous API clients, per client address (DJANGO_API_THROTTLE_ANON)."""

    def get_ident(self, request):
        return client_address(request)


class ExportThrottle(SimpleRateThrottle):
    """Full CSV exports, which read every matching row: a rate of their own (DJANGO_EXPORT_THROTTLE),
    on top of the API's."""

    scope = "exports"

    def get_rate(self):
        return settings.KB_EXPORT_THROTTLE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
