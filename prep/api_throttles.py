"""DRF's throttles, telling clients their allowance: RateLimit-Limit, -Remaining and -Reset.

The headers follow the IETF httpapi rate-limit draft's original fields, which GitHub, GitLab and
most client libraries read. Each throttle records its state in the WSGI environ (`request.META`),
not on the view, because the page cache runs the same throttles on a stored answer without any
view (prep.caching.pages); RateLimitHeadersMiddleware, outside the page cache, turns the record
into headers on whatever answer goes out, fresh or stored.
"""

import math
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework import throttling

ENVIRON_KEY = "prep.ratelimit"
HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


class RecordingThrottleMixin:
    """Records (limit, remaining, seconds to reset) of every throttle that applied."""

    def allow_request(self, request: Any, view: Any) -> bool:
        self.history: list[float] = []
        allowed = super().allow_request(request, view)  # type: ignore[misc]
        if self.rate is None or getattr(self, "key", None) is None:  # type: ignore[attr-defined]
            return allowed
        limit = self.num_requests  # type: ignore[attr-defined]
        remaining = max(limit - len(self.history), 0) if allowed else 0
        # The oldest counted request leaves the window first and frees the next request.
        oldest = self.history[-1] if self.history else self.now  # type: ignore[attr-defined]
        reset = max(math.ceil(self.duration - (self.now - oldest)), 0)  # type: ignore[attr-defined]
        request.META.setdefault(ENVIRON_KEY, []).append((limit, remaining, reset))
        return allowed


class AnonRateThrottle(RecordingThrottleMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(RecordingThrottleMixin, throttling.UserRateThrottle):
    pass


class RateLimitHeadersMiddleware:
    """Adds the tightest applicable allowance to API answers, including ones from the cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        records = request.META.get(ENVIRON_KEY)
        if records:
            limit, remaining, reset = min(records, key=lambda record: (record[1], -record[2]))
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(remaining)
            response["RateLimit-Reset"] = str(reset)
        return response
