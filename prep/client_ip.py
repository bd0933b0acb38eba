"""The client's address, by one rule for every per-address limit (API throttles, login lockout)."""

import ipaddress

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_ip(request: HttpRequest) -> str:
    """The address the API throttles count: REMOTE_ADDR, or the one the last trusted proxy saw.

    DRF's rule, driven by REST_FRAMEWORK["NUM_PROXIES"] (TRUSTED_PROXY_COUNT): with N proxies the
    N-th address from the right of X-Forwarded-For, since everything left of it was written by the
    client. django-axes calls this too (AXES_CLIENT_IP_CALLABLE), so the login lockout cannot be
    dodged by a header the API ignores. A value that is no address at all (a client that reached
    the app without passing the proxy) falls back to REMOTE_ADDR: axes stores it in an address
    column, which PostgreSQL would refuse.
    """
    ident = BaseThrottle().get_ident(request)
    try:
        ipaddress.ip_address(ident)
    except ValueError:
        return request.META.get("REMOTE_ADDR", "")
    return ident
