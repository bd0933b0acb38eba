"""Forgetting what tests left in the cache, which outlives a test (and, on Redis, the run)."""


def forget_cache_keys(pattern: str = "*") -> None:
    """Delete this site's cache keys matching `pattern` (after the key prefix and version); on a
    cache other than Redis, everything.

    Only matching keys on Redis: clear() would FLUSHDB a database that other test runs and the
    Celery broker's queues share.
    """
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:{pattern}", count=1000))
    if keys:
        client.delete(*keys)
