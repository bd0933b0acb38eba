"""System checks for how Prep is deployed, run by `manage.py check --deploy`."""

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import CheckMessage, Error, Tags, register

_SHARED = (
    "Use Redis (REDIS_URL) or the database cache (CACHE_BACKEND=database, the default without "
    "Redis): every web worker, the Celery worker and management commands must share one cache."
)


@register(Tags.caches, deploy=True)
def check_cache_is_shared(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production runs several processes; a cache of their own serves stale and unpublished pages.

    The page cache trusts the content and candidate versions it reads: with a per-process cache,
    a recruiter's edit moves the version in one worker only, and the others keep serving what was
    there before (an unpublished guide, an old ETag, a dashboard without the latest tick). API
    throttles and e-mail cooldowns would also count per process, or not at all.
    """
    if settings.DEBUG:
        return []
    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        return [
            Error(
                "The default cache is each process's own memory (LocMemCache): other workers "
                "keep serving pages, API answers and dashboards that an edit has made stale, and "
                "throttles count per process.",
                hint=_SHARED,
                id="prep.E001",
            )
        ]
    if isinstance(backend, DummyCache):
        return [
            Error(
                "The default cache stores nothing (DummyCache): API throttles and e-mail "
                "cooldowns never apply.",
                hint=_SHARED,
                id="prep.E002",
            )
        ]
    return []
