"""Whole pages from the cache: published pages for visitors, a candidate's own dashboard."""

import datetime
import hashlib
import re
import zoneinfo
from collections.abc import Callable
from functools import wraps
from http.cookies import SimpleCookie
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

from accounts.models import User

from .versions import (
    CONTENT_VERSION_KEY,
    SHARED_VERSION_KEY,
    candidate_version_key,
    current_version,
    guide_version_key,
    visibility_key,
)

# A safety net only: every edit already invalidates through the version.
PAGE_TIMEOUT = 60 * 60
CANDIDATE_PAGE_TIMEOUT = 60 * 60
# How long one request may take to rebuild a stale page while the others are served the stale
# copy; if it dies, another request rebuilds after this.
REBUILD_LOCK_SECONDS = 10
# A page's own guide, from its address: /guides/<slug>/... and /api/v1/guides/<slug>/...
_GUIDE_PAGE = re.compile(r"^/(?:api/v1/)?guides/(?P<slug>[-\w]+)/")

View = Callable[..., HttpResponse]


def _is_anonymous_visit(request: HttpRequest) -> bool:
    """A GET from someone with no session and no pending messages, decided without a query."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _left_no_trace(request: HttpRequest) -> bool:
    """True when rendering wrote nothing visitor-specific: no CSRF token, session or message."""
    session = getattr(request, "session", None)
    storage = getattr(request, "_messages", None)
    return (
        not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not (storage is not None and getattr(storage, "_queued_messages", None))
    )


def version_keys(request: HttpRequest) -> list[str]:
    """The versions a published page is built from: its guide's (and the shared rows'), or, for
    pages listing several guides, the content version that any edit moves."""
    match = _GUIDE_PAGE.match(request.path_info)
    if match:
        return [SHARED_VERSION_KEY, guide_version_key(match["slug"])]
    return [CONTENT_VERSION_KEY]


def read_keys(keys: list[str]) -> list[str]:
    """`keys` and their visibility twins, to read in the same round trip as an entry."""
    return [*keys, *map(visibility_key, keys)]


Versions = tuple[tuple[str, str], ...]


def current_versions(found: dict[str, Any], keys: list[str]) -> Versions:
    """Each version of `keys` with its visibility twin, from `found` (read with `read_keys`)."""
    return tuple(
        (current_version(found, key), current_version(found, visibility_key(key))) for key in keys
    )


def may_serve_stale(stored: Any, current: Versions) -> bool:
    """Whether an entry built from `stored` may go out while it is rebuilt: only if what it
    shows was edited since, never unpublished, deleted or moved (the visibility twins agree)."""
    return (
        isinstance(stored, tuple)
        and len(stored) == len(current)
        and all(
            isinstance(old, tuple) and len(old) == 2 and old[1] == now[1]
            for old, now in zip(stored, current, strict=True)
        )
    )


def rebuild_claimed(key: str) -> bool:
    """Whether this request rebuilds the stale entry `key`; False while another one does."""
    return cache.add(f"{key}:rebuilding", 1, REBUILD_LOCK_SECONDS)


def rebuild_done(key: str, *, stored: bool) -> None:
    # A page that is no longer a 200 (unpublished, deleted) must not be served stale any more.
    if not stored:
        cache.delete(key)
    cache.delete(f"{key}:rebuilding")


def normalise_query(request: HttpRequest, reads: tuple[str, ...]) -> None:
    """Keep only the query parameters the view reads, so `?utm_source=…` or `?ref=…` is the same
    page (and cache entry) as the bare address, and no visitor's tracking tag ends up in the links
    of a page served to others."""
    if not request.META.get("QUERY_STRING"):
        return
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in reads:
            kept.setlist(name, values)
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def _view_reads(request: HttpRequest) -> tuple[str, ...] | None:
    """The query parameters a public page's view reads (None for views not marked public)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "_prep_reads", None)


def page_key(prefix: str, request: HttpRequest, *parts: object) -> str:
    # The host is part of the key: API answers carry absolute links.
    raw = "\n".join([request.build_absolute_uri(), *map(str, parts)])
    return f"prep:{prefix}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def cache_public_page(view: View | None = None, *, reads: tuple[str, ...] = ()) -> Any:
    """Mark a view's page as published content, the same for every anonymous visitor.

    PublicPageCacheMiddleware stores and serves only pages whose view carries this mark. `reads`
    names the query parameters the view uses; any other is dropped before the view runs, so it
    neither splits the cache nor shows up in the page.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            request._prep_public_page = "page"  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped._prep_reads = tuple(reads)  # type: ignore[attr-defined]
        return wrapped

    return decorate(view) if view is not None else decorate


class PageCacheMiddleware:
    """Serve anonymous visitors pages of published content from the cache.

    It sits right after SecurityMiddleware and WhiteNoise, so a hit skips the session, CSRF,
    authentication and message layers, as Django's own cache middleware does; a stored response
    has already passed through them, so it carries their headers. Signed-in visitors (and staff
    previewing drafts) always get a fresh page: only requests with no session cookie, no pending
    messages and no API token are served or stored, and only 200 responses of views marked with
    @cache_public_page that set no cookie (so no CSRF token, session or message) are stored. An
    unpublished guide's pages therefore stop being served the moment the content version moves.
    """

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_anonymous_visit(request):
            hit = _session_page_hit(request)
            if hit is not None:
                return hit
            response = self.get_response(request)
            _store_session_page(request, response)
            return response
        if request.META.get("QUERY_STRING") and not request.path_info.startswith("/api/"):
            reads = _view_reads(request)
            if reads is not None:
                normalise_query(request, reads)
        key = page_key("page", request)
        keys = version_keys(request)
        found = cache.get_many([*read_keys(keys), key])
        versions = current_versions(found, keys)
        entry = found.get(key)
        rebuilding = False
        if entry is not None:
            kind, stored, accept = entry[1], entry[2], entry[3]
            allowed = kind == "page" or _api_hit_allowed(request, accept)
            if allowed and entry[0] == versions:
                return stored
            # Stale-while-revalidate: one request rebuilds, the others get the stale copy
            # meanwhile, so an edit never makes every visitor wait for the database at once.
            # After an unpublish or a delete every request builds afresh (and gets its 404).
            if (
                allowed
                and may_serve_stale(entry[0], versions)
                and not (rebuilding := rebuild_claimed(key))
            ):
                return stored
        stored_now = False
        try:
            response = self.get_response(request)
            kind = getattr(request, "_prep_public_page", None)
            if (
                kind
                and response.status_code == 200
                and not response.streaming
                and not response.cookies
                and _left_no_trace(request)
            ):
                accept = request.META.get("HTTP_ACCEPT", "")
                cache.set(key, (versions, kind, response, accept), PAGE_TIMEOUT)
                stored_now = True
        finally:
            if rebuilding:
                rebuild_done(key, stored=stored_now)
        return response


def _api_hit_allowed(request: HttpRequest, stored_accept: str) -> bool:
    """Whether a stored API answer may go out: same Accept, the throttles agree, no ETag asked.

    The API negotiates its answer from the Accept header (406 for a type it cannot render, JSON
    indented on request), so a stored answer only goes to a request that asked the same way; any
    other goes through the view, whose own cache is keyed by the negotiated type. The throttles
    are DRF's own, run against the same counters the views use, so an anonymous client's
    allowance is spent the same whether its answer came from the cache or not. When one refuses,
    or the client revalidates with If-None-Match, the request goes through the view, which
    answers 429 or 304 exactly as it always does.
    """
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.settings import api_settings

    if "HTTP_IF_NONE_MATCH" in request.META:
        return False
    if request.META.get("HTTP_ACCEPT", "") != stored_accept:
        return False
    caller = SimpleNamespace(user=AnonymousUser(), META=request.META, headers=request.headers)
    return all(
        throttle().allow_request(caller, None) for throttle in api_settings.DEFAULT_THROTTLE_CLASSES
    )


# Paths this process has stored a signed-in page for: other signed-in requests skip the lookup.
_session_page_paths: set[str] = set()


def _session_page_key(request: HttpRequest, session_key: str, csrf_secret: str) -> str:
    return page_key("session-page", request, session_key, csrf_secret)


def _session_store_class() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _session_page_candidate(request: HttpRequest) -> tuple[str, str] | None:
    """The session key and CSRF secret a signed-in page may be cached under, if any."""
    if (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_ENGINE != "django.contrib.sessions.backends.cached_db"
        or "messages" in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    ):
        return None
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    csrf_secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not session_key or not csrf_secret:
        return None
    return session_key, csrf_secret


def _session_page_hit(request: HttpRequest) -> HttpResponse | None:
    """A signed-in candidate's own page without loading the session, user or view.

    Only with cached_db sessions: the session itself is read from the cache in the same round
    trip and must still exist and name the same user with the same password hash, so a logout, an
    expired session or a password change is never served a stored page. The content version, the
    candidate's own version and their local hour must all still match too.
    """
    if request.path not in _session_page_paths:
        return None
    found_keys = _session_page_candidate(request)
    if found_keys is None:
        return None
    session_key, csrf_secret = found_keys
    session_cache_key = _session_store_class()(session_key).cache_key
    key = _session_page_key(request, session_key, csrf_secret)
    found = cache.get_many([session_cache_key, CONTENT_VERSION_KEY, key])
    session, entry = found.get(session_cache_key), found.get(key)
    if not session or entry is None:
        return None
    versions, user_id, user_hash, time_zone, local_hour, response = entry
    if (
        session.get(SESSION_KEY) != str(user_id)
        or session.get(HASH_SESSION_KEY) != user_hash
        or "_messages" in session
        or found.get(CONTENT_VERSION_KEY) != versions[0]
        or _local_hour(time_zone) != local_hour
        or cache.get(candidate_version_key(user_id)) != versions[1]
    ):
        return None
    return response


def _store_session_page(request: HttpRequest, response: HttpResponse) -> None:
    slot = getattr(request, "_prep_session_slot", None)
    found_keys = _session_page_candidate(request)
    if slot is None or found_keys is None or response.status_code != 200 or response.streaming:
        return
    session_key, csrf_secret = found_keys
    session = request.session  # type: ignore[attr-defined]
    # The page's CSRF tokens were made from the secret in this cookie, and the session was not
    # changed (no message stored in it, no new key) while it was rendered.
    if (
        request.META.get("CSRF_COOKIE") != csrf_secret
        or session.session_key != session_key
        or session.modified
    ):
        return
    versions, user_id, time_zone, local_hour = slot
    cookies = response.cookies
    # Cookies (the renewed CSRF cookie) belong to this response only, never to a stored copy.
    response.cookies = SimpleCookie()
    try:
        entry = (
            versions,
            user_id,
            session.get(HASH_SESSION_KEY),
            time_zone,
            local_hour,
            response,
        )
        cache.set(
            _session_page_key(request, session_key, csrf_secret), entry, CANDIDATE_PAGE_TIMEOUT
        )
    finally:
        response.cookies = cookies
    _session_page_paths.add(request.path)


def _csrf_secret_digest(request: HttpRequest) -> str:
    # The page holds CSRF tokens masked from this browser's secret, so it is only reused for the
    # same secret; the digest keeps the secret itself out of cache keys.
    get_token(request)
    secret = request.META.get("CSRF_COOKIE", "")
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def cache_candidate_page(view: View) -> View:
    """Serve a signed-in candidate their own page from the cache until their data changes.

    Keyed by the user, the browser's CSRF secret and the candidate's local hour (weeks, "starts in
    N days" and the next reminder all turn over on the hour in their time zone); stored with the
    content version and the candidate's own version, so a tick, an enrolment change, an account
    change or a recruiter's edit shows at once. A request with messages waiting renders fresh, so
    a one-off message is never stored or shown twice. Put it inside `login_required`.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if request.method not in ("GET", "HEAD") or not isinstance(user, User):
            return view(request, *args, **kwargs)
        if len(get_messages(request)):
            return view(request, *args, **kwargs)
        local_hour = _local_hour(user.time_zone)
        key = page_key("candidate-page", request, user.pk, _csrf_secret_digest(request), local_hour)
        user_key = candidate_version_key(user.pk)
        found = cache.get_many([CONTENT_VERSION_KEY, user_key, key])
        versions = (current_version(found, CONTENT_VERSION_KEY), current_version(found, user_key))
        # PageCacheMiddleware keeps the finished page under the session for the next visit.
        request._prep_session_slot = (versions, user.pk, user.time_zone, local_hour)  # type: ignore[attr-defined]
        entry = found.get(key)
        if entry is not None and entry[0] == versions:
            return entry[1]
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (versions, response), CANDIDATE_PAGE_TIMEOUT)
        return response

    return wrapped


def _local_hour(time_zone: str) -> str:
    now = datetime.datetime.now(datetime.UTC).astimezone(zoneinfo.ZoneInfo(time_zone))
    return now.strftime("%Y-%m-%dT%H")
