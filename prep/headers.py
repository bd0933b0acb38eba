"""Cache-Control for anything answered to a signed-in browser or an API token."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateCacheControlMiddleware:
    """`Cache-Control: private, no-store` on every answer to a request that carries credentials.

    A session cookie or an Authorization header means the answer may hold that person's data
    (their dashboard, notes, settings, export, the API's /me/ and /enrolments/, or a public page
    with their name and enrolment in it), so no shared cache, browser disk or back-forward
    history may keep it. Decided from the request's headers, so it costs no query. Answers
    that set their own Cache-Control keep it: the API's published content is `public, no-cache`
    for everyone, signed in or not; the admin's is Django's own `never_cache`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response and (
            settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
