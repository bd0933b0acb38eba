"""A page for a 405: an address that takes a form, opened as a page.

Django's require_POST answers a GET with an empty 405, which browsers show as their own blank
error page. People do open such addresses: a bookmark, the browser's history, a link shared from
the address bar after a form was sent. They get a page saying what happened and where to go.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or response.content
            or request.method == "HEAD"
            or request.path_info.startswith(("/api/", "/admin/"))
        ):
            return response
        page = HttpResponse(render_to_string("405.html", request=request), status=405)
        page["Allow"] = response.get("Allow", "")
        return page
