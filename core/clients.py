"""Who a client is: one answer for the API's throttles, the pages' throttle and the admin's
lockout (django-axes).

Behind KB_TRUSTED_PROXIES reverse proxies the client is the address the outermost trusted proxy
saw: the n-th address from the right of X-Forwarded-For (what a client writes itself stands to
the left and is never believed). With no trusted proxy it is REMOTE_ADDR.
"""

from django.conf import settings


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
