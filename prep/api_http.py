"""HTTP behaviour shared by every API view: pagination, public access and conditional GETs."""

from typing import Any

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request


class PagePagination(PageNumberPagination):
    """`?page=2&page_size=50`; every list is ordered by a unique key, so pages never overlap."""

    page_size_query_param = "page_size"
    page_size_query_description = "Results per page (1-100)."
    max_page_size = 100


class PublicContentMixin:
    """Read-only content anyone may see, with an ETag so clients can revalidate cheaply.

    The ETag hashes the rendered body rather than timestamps: criteria and variants have no
    `updated_at`, and a deleted row changes no timestamp, but both change the body.
    """

    permission_classes = [AllowAny]
    conditional_get = True

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        set_response_etag(response)
        # Shared caches may keep the body but must ask again each time; the ETag makes that cheap.
        patch_cache_control(response, public=True, no_cache=True)
        return get_conditional_response(request, etag=response["ETag"], response=response)
