"""The cache of the cache-miss runs: production's Redis cache, but whole pages are never found.

A run that cycles through a URL list only measures misses while no URL comes round again. There
are 100 guide pages and 600 round pages, and a fast page goes through its list several times in a
round, so most of its requests would be hits. With this backend every request builds its page (and
stores it, as a miss does); everything below the page (content versions, each guide's facet index,
the API's filter choices, sessions) is cached as in production, so URLs that share them share them.
"""

from django.core.cache.backends.redis import RedisCache

# Keys of whole stored pages and API answers (prep.caching.pages.page_key and its callers).
PAGE_PREFIXES = ("prep:page:", "prep:api:", "prep:session-page:", "prep:candidate-page:")


class PagesAlwaysMiss(RedisCache):
    def get(self, key, default=None, version=None):
        if key.startswith(PAGE_PREFIXES):
            return default
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        return super().get_many([key for key in keys if not key.startswith(PAGE_PREFIXES)], version)
