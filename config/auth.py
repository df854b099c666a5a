"""Admin login throttling (django-axes): which address a login comes from, and logins without a request."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a web login while its account or address is locked out.

    A login without a request (a script, a test's `client.login`) has no address to throttle and never
    meets a guesser: it goes straight to the next backend instead of failing on the missing request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The visitor's address for login throttling: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the
    address the outermost trusted proxy saw (the client can forge the entries to its left, not that one)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count and _is_address(hops[-count]):
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def _is_address(value):
    """Only an IP address may reach axes' inet column: "unknown" or "1.2.3.4:80" would be a 500."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
