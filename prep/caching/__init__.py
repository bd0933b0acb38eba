"""Caching of published content and of each candidate's dashboard, and its invalidation.

Every cached entry is stored with the version(s) it was built from, and read in the same cache
round trip as the current versions: an entry built from an older version is simply ignored. So an
edit invalidates everything it may touch by writing one key, with no list of pages to purge.

- Content version: one for all published content. Recruiters edit rarely and readers read often,
  so throwing every page away on any edit costs little and can never miss a page that shows the
  edited row (a guide's title appears on the home page, search, dashboards, the API...).
- Candidate version: one per user, for the pages that show their own data.

Versions change through model signals rather than explicit calls in each service: content is
written by the admin (forms, inlines, deletes with cascades), the YAML import and services owned by
other areas, and a signal catches every one of those paths, including ones added later. The one
path signals miss, `QuerySet.update()`, goes through `content_changed()` explicitly (the admin's
bulk actions, via the content querysets' `update`).
"""

from .api import StoredAnswer, store_public_answer, stored_public_answer
from .pages import PageCacheMiddleware, cache_candidate_page, cache_public_page
from .versions import (
    CONTENT_VERSION_KEY,
    cached_for_content,
    cached_for_guide,
    candidate_changed,
    connect_signals,
    content_changed,
)

__all__ = [
    "CONTENT_VERSION_KEY",
    "PageCacheMiddleware",
    "StoredAnswer",
    "cache_candidate_page",
    "cache_public_page",
    "cached_for_content",
    "cached_for_guide",
    "candidate_changed",
    "connect_signals",
    "content_changed",
    "store_public_answer",
    "stored_public_answer",
]
