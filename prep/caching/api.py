"""Public API answers kept rendered, for callers the page cache does not serve whole."""

from typing import Any

from django.core.cache import cache
from rest_framework.response import Response

from .pages import PAGE_TIMEOUT, page_key
from .versions import CONTENT_VERSION_KEY, current_version


def stored_public_answer(request: Any) -> Any:
    """A public API answer's rendered bytes, from the cache while published content is unchanged.

    The API serves only published content and the same bytes to every caller, so answers are
    shared by all; authentication and throttling still run on every request, only serializing
    and rendering are skipped. On a miss, returns None and remembers where the answer goes, for
    `store_public_answer` once it is rendered.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    # PageCacheMiddleware may keep the whole answer for anonymous callers.
    request._request._prep_public_page = "api"
    # Negotiation has run: the same URL renders differently per accepted type (indent=4...).
    key = page_key("api", request, request.accepted_media_type)
    found = cache.get_many([CONTENT_VERSION_KEY, key])
    version = current_version(found, CONTENT_VERSION_KEY)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        _, body, content_type = entry
        return StoredAnswer(body, content_type)
    request._prep_answer_slot = (key, version)
    return None


def store_public_answer(request: Any, response: Any) -> None:
    """Keep a rendered 200 answer for `stored_public_answer`."""
    slot = getattr(request, "_prep_answer_slot", None)
    if slot is not None and response.status_code == 200 and not response.exception:
        key, version = slot
        cache.set(key, (version, response.content, response["Content-Type"]), PAGE_TIMEOUT)


class StoredAnswer(Response):
    """An API answer rendered earlier: DRF's pipeline runs, the renderer does not."""

    def __init__(self, body: bytes = b"", content_type: str = "application/json") -> None:
        super().__init__()
        self._stored_body = body
        self._stored_content_type = content_type

    @property
    def rendered_content(self) -> bytes:
        self["Content-Type"] = self._stored_content_type
        return self._stored_body
