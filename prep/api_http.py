"""HTTP behaviour shared by every API view: pagination, public access and conditional GETs."""

from typing import Any

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

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
