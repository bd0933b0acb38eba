"""Addresses typed or pasted with capitals find their page.

Slugs are lower case, and people copy addresses from documents that capitalised them
(/guides/OKX-Head-Of-Engineering/): a 404 sent them away. A page that was not found, asked for
with capitals, is redirected once to the same address in lower case when that address is one of
the site's and names things by slug only; the lower-case page then answers for itself (a 404 if
it does not exist either).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

SKIPPED = ("/api/", "/admin/", "/static/")


class LowercasePathRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        lower = path.lower()
        if (
            response.status_code != 404
            or request.method not in ("GET", "HEAD")
            or lower == path
            or path.startswith(SKIPPED)
        ):
            return response
        try:
            match = resolve(lower)
        except Resolver404:
            return response
        # Only addresses made of slugs: a token (calendar, unsubscribe, password reset) is
        # case-sensitive, and a wrong one must stay a plain 404.
        if any(not name.endswith("slug") for name in match.kwargs):
            return response
        query = request.META.get("QUERY_STRING", "")
        target = request.path[: len(request.path) - len(path)] + lower
        return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))
