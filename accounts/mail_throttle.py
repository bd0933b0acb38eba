"""How often Prep may e-mail an address, and how many e-mails one client may cause.

Every account e-mail that anyone can trigger without being signed in as the address's owner
(sign-up confirmation and its resend, password reset, the "you already have an account" notice,
the confirmation of a new address) goes through `mail_allowed`. Without it, anyone could fill a
stranger's inbox by pressing a button in a loop.

The counters live in Django's default cache, so they hold across web processes only when that cache
is shared (Redis in production). `cache.add` and `cache.incr` are atomic there, so two requests
racing for the same address send one e-mail, not two. Addresses are stored only as digests.
"""

import datetime
import hashlib
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

KEY_PREFIX = "accounts:mail"


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the login lockout sees it, so both count the same client."""
    if request is None:
        return None
    return get_client_ip_address(request)


def _address_key(kind: str, address: str) -> str:
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{kind}:{digest}"


def _ip_key(ip: str, window: int) -> str:
    return f"{KEY_PREFIX}:ip:{ip}:{window}"


def mail_allowed(*, kind: str, address: str, ip: str | None) -> bool:
    """Claim the right to send one `kind` e-mail to `address` now, on behalf of client `ip`.

    At most one per address and kind every ACCOUNT_MAIL_INTERVAL_MINUTES, and at most
    ACCOUNT_MAIL_PER_IP_PER_HOUR e-mails caused by one client in a clock hour.
    """
    interval = settings.ACCOUNT_MAIL_INTERVAL_MINUTES * 60
    address_key = _address_key(kind, address)
    if not cache.add(address_key, time.time() + interval, interval):
        return False
    if ip:
        window = int(time.time() // 3600)
        ip_key = _ip_key(ip, window)
        cache.add(ip_key, 0, 3600)
        try:
            sent = cache.incr(ip_key)
        except ValueError:  # expired between add and incr: this is the window's first
            cache.add(ip_key, 1, 3600)
            sent = 1
        if sent > settings.ACCOUNT_MAIL_PER_IP_PER_HOUR:
            # Give the address its turn back: the owner asking from another client is not to
            # blame for this one's flood.
            cache.delete(address_key)
            return False
    return True


def mail_release(*, kind: str, address: str) -> None:
    """Give back a claim whose e-mail could not be sent, so asking again works at once."""
    cache.delete(_address_key(kind, address))


def mail_retry_at(*, kind: str, address: str) -> datetime.datetime | None:
    """When the next `kind` e-mail to `address` may be sent; None when it may be sent now."""
    until = cache.get(_address_key(kind, address))
    if until is None or until <= time.time():
        return None
    return datetime.datetime.fromtimestamp(until, tz=datetime.UTC)
