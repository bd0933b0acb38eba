"""Settings for `make bench`: production settings plus the bare baseline view's URLconf.

Everything else is exactly what production runs (DEBUG off, PostgreSQL, Redis cache, WhiteNoise),
so the pages are measured as users get them.
"""

import os

from prep.settings import *  # noqa: F403
from prep.settings import REST_FRAMEWORK

ROOT_URLCONF = "bench.urls"

# One load generator on loopback is one client address: the API's per-address throttle would turn
# most requests into 429s. Throttling guards capacity per client, not the cost of an answer, so the
# benchmark measures the API without it (README says so beside the figures).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}

# The cache-miss runs (bench/run.py): every request builds its page, see bench/cache.py.
if os.environ.get("BENCH_PAGES_ALWAYS_MISS") == "1":
    CACHES = {"default": {**CACHES["default"], "BACKEND": "bench.cache.PagesAlwaysMiss"}}  # noqa: F405
