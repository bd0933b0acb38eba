"""The cache-miss runs' cache (bench/cache.py) hides whole pages and nothing else."""

import os

from bench.cache import PagesAlwaysMiss


def bench_cache() -> PagesAlwaysMiss:
    # A Redis database and prefix of this test's own: the rest of the suite never sees it.
    location = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return PagesAlwaysMiss(location, {"KEY_PREFIX": f"bench-cache-test-{os.getpid()}"})


def test_stored_pages_are_never_found_but_everything_below_them_is():
    cache = bench_cache()
    try:
        for key in ("prep:page:1", "prep:api:2", "prep:session-page:3", "prep:candidate-page:4"):
            cache.set(key, "stored page")
            assert cache.get(key) is None
            assert cache.get_many([key]) == {}
        cache.set("prep:guide-version:okx", "v1")
        cache.set("prep:guide-derived:okx:facets", "index")
        assert cache.get("prep:guide-version:okx") == "v1"
        assert cache.get_many(["prep:guide-version:okx", "prep:page:1"]) == {
            "prep:guide-version:okx": "v1"
        }
        assert cache.get("prep:guide-derived:okx:facets") == "index"
    finally:
        cache.delete_many(
            ["prep:page:1", "prep:api:2", "prep:session-page:3", "prep:candidate-page:4"]
            + ["prep:guide-version:okx", "prep:guide-derived:okx:facets"]
        )
