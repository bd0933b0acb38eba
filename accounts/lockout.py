"""The name django-axes counts failed logins under (AXES_USERNAME_CALLABLE)."""

from django.http import HttpRequest

from .services import MAX_EMAIL_LENGTH


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The address as login matches it: trimmed and lower-case, so every spelling shares a count.

    Cut to the address column's length: axes stores it, and a longer value would fail the insert
    on PostgreSQL (the login form refuses such addresses before axes sees them anyway).
    """
    if credentials is not None:
        username = credentials.get("username")
    else:
        username = request.POST.get("username")
    if not isinstance(username, str):
        return username
    return username.strip().lower()[:MAX_EMAIL_LENGTH]
