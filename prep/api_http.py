"""HTTP behaviour shared by every API view: pagination, public access and conditional requests."""

import hashlib
import json
from typing import Any

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import parse_etags
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .api_errors import PreconditionFailed
from .caching import store_public_answer, stored_public_answer


class PagePagination(PageNumberPagination):
    """`?page=2&page_size=50`; every list is ordered by a unique key, so pages never overlap.

    Unlike DRF's default, a malformed `page` or `page_size` is a 400 with a message rather than
    silently replaced, so a client's bug shows up instead of returning the wrong page.
    """

    page_size_query_param = "page_size"
    page_size_query_description = "Results per page (1-100)."
    max_page_size = 100

    def _positive_int(self, request: Request, name: str, maximum: int | None = None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1 or (maximum is not None and value > maximum):
            limit = f" from 1 to {maximum}" if maximum else " of 1 or more"
            raise ValidationError({name: [f"Use a whole number{limit}."]})
        return value

    def get_page_size(self, request: Request) -> int:
        size = self._positive_int(request, self.page_size_query_param, self.max_page_size)
        return size or self.page_size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self._positive_int(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response["Link"] = self.link_header()
        return response

    def link_header(self) -> str:
        """RFC 8288 links to the first, previous, next and last pages (the body has next/prev)."""
        url = self.request.build_absolute_uri()
        first = remove_query_param(url, self.page_query_param)
        last_number = self.page.paginator.num_pages
        last = (
            replace_query_param(url, self.page_query_param, last_number)
            if last_number > 1
            else first
        )
        links = [(first, "first")]
        if self.page.has_previous():
            links.append((self.get_previous_link(), "prev"))
        if self.page.has_next():
            links.append((self.get_next_link(), "next"))
        links.append((last, "last"))
        return ", ".join(f'<{target}>; rel="{rel}"' for target, rel in links)

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class PublicContentMixin:
    """Read-only content anyone may see, with an ETag so clients can revalidate cheaply.

    The ETag hashes the rendered body rather than timestamps: criteria and variants have no
    `updated_at`, and a deleted row changes no timestamp, but both change the body.
    """

    permission_classes = [AllowAny]
    conditional_get = True

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        # Published content is the same for every caller: the rendered answer comes from the
        # cache until a recruiter edits (prep.caching); throttling still runs each time.
        stored = stored_public_answer(request)
        if stored is not None:
            return stored
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            # Ends a stale answer's rebuild that did not produce one (prep.caching).
            store_public_answer(request, response)
            return response
        response.render()
        store_public_answer(request, response)
        set_response_etag(response)
        # Shared caches may keep the body but must ask again each time; the ETag makes that cheap.
        patch_cache_control(response, public=True, no_cache=True)
        return get_conditional_response(request, etag=response["ETag"], response=response)


def representation_etag(data: Any) -> str:
    """A strong ETag of a serialized object: changes whenever what a client reads changes."""
    body = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


def check_if_match(request: Request, current: str | None) -> None:
    """Refuse a write whose If-Match names another version than `current` (None: no object).

    If-Match is optional, so clients written before it keep working; sending it is how two
    devices editing the same notes learn that the other one saved first (RFC 9110 13.1.1:
    strong comparison, so weak ETags never match; `*` matches any existing object).
    """
    header = request.headers.get("If-Match")
    if header is None:
        return
    wanted = parse_etags(header)
    if current is not None and ("*" in wanted or current in wanted):
        return
    raise PreconditionFailed(
        "This changed since you read it (another device or tab saved first): read it "
        "again, merge your change and retry with the new ETag."
        if current is not None
        else "There is nothing here yet for If-Match to match."
    )
