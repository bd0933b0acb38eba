"""Public API answers kept rendered, for callers the page cache does not serve whole."""

from typing import Any

from django.core.cache import cache
from rest_framework.response import Response

from .pages import (
    PAGE_TIMEOUT,
    current_versions,
    may_serve_stale,
    page_key,
    read_keys,
    rebuild_claimed,
    rebuild_done,
    version_keys,
)

# Response headers that belong to the answer itself, stored and served with its body.
KEPT_HEADERS = ("Link",)


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
    keys = version_keys(request._request)
    found = cache.get_many([*read_keys(keys), key])
    versions = current_versions(found, keys)
    entry = found.get(key)
    if entry is not None:
        _, body, content_type, *headers = entry
        answer = StoredAnswer(body, content_type, headers[0] if headers else {})
        if entry[0] == versions:
            return answer
        # A stale answer goes out while one request rebuilds it (stale-while-revalidate), unless
        # something it showed was unpublished or deleted since: then every request rebuilds.
        if may_serve_stale(entry[0], versions):
            if not rebuild_claimed(key):
                return answer
            request._prep_rebuilding = key
    request._prep_answer_slot = (key, versions)
    return None


def store_public_answer(request: Any, response: Any) -> None:
    """Keep a rendered 200 answer for `stored_public_answer`."""
    slot = getattr(request, "_prep_answer_slot", None)
    stored = slot is not None and response.status_code == 200 and not response.exception
    if stored:
        key, versions = slot
        # Link (pagination) is part of the answer; rate-limit headers are not, they are per caller.
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        entry = (versions, response.content, response["Content-Type"], headers)
        cache.set(key, entry, PAGE_TIMEOUT)
    rebuilding = getattr(request, "_prep_rebuilding", None)
    if rebuilding is not None:
        rebuild_done(rebuilding, stored=stored)


class StoredAnswer(Response):
    """An API answer rendered earlier: DRF's pipeline runs, the renderer does not."""

    def __init__(
        self,
        body: bytes = b"",
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(headers=headers)
        self._stored_body = body
        self._stored_content_type = content_type

    @property
    def rendered_content(self) -> bytes:
        self["Content-Type"] = self._stored_content_type
        return self._stored_body
