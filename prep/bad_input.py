"""One site-wide answer to NUL bytes: 400 before any view, form or query sees them.

PostgreSQL cannot store NUL in text, and psycopg2 refuses to send it, so a NUL that reaches a query
turns into a 500 wherever a value skips a form (URL converters, list filters, `next` fields, the
admin's own parameters). No legitimate address, query string, cookie or form field contains one.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MESSAGE = "The request contains a NUL character (%00), which no address or form field may hold."


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
        return True
    # The API reads JSON only (its parser refuses NUL): parsing a form body here would use up
    # the stream, and the API would see an empty body (400 "required") instead of answering 415.
    if (
        request.method == "POST"
        and request.content_type in FORM_TYPES
        and not request.path_info.startswith("/api/")
    ):
        # Parsed here rather than by the view: CsrfViewMiddleware reads request.POST anyway.
        return any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.POST.lists()
        )
    return False


class RejectNulMiddleware:
    """Answer 400 to a NUL byte in the path, query string, cookies or a form field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return bad_request(request)
        return self.get_response(request)


def _query_fields_with_nul(request: HttpRequest) -> dict[str, list[str]]:
    """The query parameters holding a NUL, named so an API client can point at its input."""
    return {
        name: ["Null characters are not allowed."]
        for name, values in request.GET.lists()
        if "\x00" in name or any("\x00" in value for value in values)
    }


def bad_request(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        from .api_errors import problem_response

        fields = _query_fields_with_nul(request)
        return problem_response(request, "invalid", MESSAGE, fields=fields)
    return render(request, "400.html", {"message": MESSAGE}, status=400)
