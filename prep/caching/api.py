"""Public API answers kept rendered, for callers the page cache does not serve whole."""

from typing import Any

from django.core.cache import cache
from rest_framework.response import Response

from .pages import (
    PAGE_TIMEOUT,
    current_versions,
    page_key,
    rebuild_claimed,
    rebuild_done,
    version_keys,
)


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
    key = page_key("api", request)
    keys = version_keys(request._request)
    found = cache.get_many([*keys, key])
    versions = current_versions(found, keys)
    entry = found.get(key)
    if entry is not None:
        # A stale answer goes out while one request rebuilds it (stale-while-revalidate).
        if entry[0] == versions or not rebuild_claimed(key):
            _, body, content_type = entry
            return StoredAnswer(body, content_type)
        request._prep_rebuilding = key
    request._prep_answer_slot = (key, versions)
    return None


def store_public_answer(request: Any, response: Any) -> None:
    """Keep a rendered 200 answer for `stored_public_answer`."""
    slot = getattr(request, "_prep_answer_slot", None)
    stored = slot is not None and response.status_code == 200 and not response.exception
    if stored:
        key, versions = slot
        cache.set(key, (versions, response.content, response["Content-Type"]), PAGE_TIMEOUT)
    rebuilding = getattr(request, "_prep_rebuilding", None)
    if rebuilding is not None:
        rebuild_done(rebuilding, stored=stored)


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
