"""Where a visitor was going when a page asked them to sign up or log in.

"Sign up to follow this plan" and "log in to practise" links carry the page the visitor wanted
(`?next=/guides/…/enrol/`) through sign-up, the confirmation e-mail and login, so the first thing
they see after proving who they are is that page, not a dashboard telling them to find it again.
"""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_FIELD = "next"
# A path on this site is short; anything longer is not a link we made.
MAX_NEXT_LENGTH = 500


def safe_next(request: HttpRequest, value: str | None) -> str:
    """`value` when it is a path on this site, else "" (never a redirect to another site)."""
    value = (value or "").strip()
    if (
        not value
        or len(value) > MAX_NEXT_LENGTH
        # Only a path: "//evil.example" and "/\evil.example" are other hosts to a browser.
        or not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or any(ord(char) < 32 or char == "\\" for char in value)
    ):
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value


def requested_next(request: HttpRequest) -> str:
    """The safe `next` a form was posted with, or the page was opened with."""
    return safe_next(request, request.POST.get(NEXT_FIELD) or request.GET.get(NEXT_FIELD))


def with_next(url: str, next_url: str) -> str:
    """`url` carrying `next_url` along, when there is one."""
    return f"{url}?{urlencode({NEXT_FIELD: next_url})}" if next_url else url
