"""Authentication backends."""

from axes.backends import AxesStandaloneBackend


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
