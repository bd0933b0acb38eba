import pytest


def forget_mail_throttles() -> None:
    """Forget who was e-mailed when: the counters live in the cache, which outlives a test.

    Only these keys on Redis: clear() would FLUSHDB a database other test runs share.
    """
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from accounts.mail_throttle import KEY_PREFIX

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*:{KEY_PREFIX}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def fresh_mail_throttles():
    forget_mail_throttles()
    yield
    forget_mail_throttles()
