"""Pages for signed-in candidates, and what happens when a session ends in the middle of one.

Django's login_required sends anyone signed out to the login page and back to the same address.
For a form posted after the session ended (a logout in another tab, a laptop left open for two
weeks) that lost what was typed, and after logging in the candidate landed on an address that
only takes a form: an empty 405. The autosave script, following the redirect to the login page,
got a 200 and said "Saved.".

Here a signed-out POST goes back, after the login, to the page the form was on (the Referer), and
a view can keep what was posted (`keep_post`) for that page to fill in again (`kept_post`). A
request from a script (autosave) gets a 403 in JSON it can show.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "kept_post"
# What a session may hold of a form: a practice note is at most 10,000 characters.
KEPT_MAX_CHARS = 64_000
SESSION_ENDED = "Not saved: your session has ended. Copy your text, then log in again."
KEPT_MESSAGE = (
    "Your session had ended, so what you sent was not saved yet. Log in and it is filled in "
    "again for you to save."
)
LOST_MESSAGE = "Your session had ended, so that was not saved. Log in, then try again."


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or bool(
        request.headers.get("X-Prep-Autosave")
    )


def _page_of_form(request: HttpRequest) -> str:
    """Where the posted form was: the Referer on this site, else the home page."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _keep(request: HttpRequest) -> bool:
    data = {name: values for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"}
    if sum(len(value) for values in data.values() for value in values) > KEPT_MAX_CHARS:
        return False
    request.session[SESSION_KEY] = {"path": request.path, "data": data}
    return True


def kept_post(request: HttpRequest, path: str) -> dict[str, str] | None:
    """What was posted to `path` when the session had ended, once; None if nothing was."""
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("path") != path:
        return None
    del request.session[SESSION_KEY]
    return {name: values[-1] for name, values in kept.get("data", {}).items() if values}


def login_required(view: Callable | None = None, *, keep_post: bool = False) -> Callable:
    """Like Django's, for a session that may end while a form is open (see the module)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            if _wants_json(request):
                return JsonResponse({"saved": False, "message": SESSION_ENDED}, status=403)
            if request.method != "POST":
                return redirect_to_login(request.get_full_path())
            kept = keep_post and _keep(request)
            messages.warning(request, KEPT_MESSAGE if kept else LOST_MESSAGE)
            login = redirect_to_login(_page_of_form(request))
            if request.headers.get("HX-Request") == "true":
                # htmx would follow the redirect and swap the whole login page into the form's
                # place; the browser goes to it instead.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = login["Location"]
                return response
            return login

        return wrapper

    return decorate(view) if view is not None else decorate
