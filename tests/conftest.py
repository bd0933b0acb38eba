import copy
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tests.cache_keys import forget_cache_keys
from tests.factories import UserFactory, make_recruiter

# Without Redis the settings pick the database cache, which every process shares. A test run is a
# single process (the browser suite's live server is a thread of it), so its own memory is shared
# enough, and the query counts the tests assert stay the app's queries, not the cache's.
# tests/perf/test_several_workers.py serves real gunicorn processes on the database cache.
if settings.CACHE_BACKEND == "database":
    override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ).enable()

# Under pytest-xdist (`make test` runs two workers) each worker has its own test database, so
# its cache must be its own too: the cache-version keys, cached pages and throttle counters of
# one worker's guides must never answer the other's, and clearing "this run's keys" must not
# empty the other's. Exported too, so the Celery workers and gunicorn processes the tests start
# share the prefix of the worker that started them.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if XDIST_WORKER and "KEY_PREFIX" in settings.CACHES["default"]:
    _caches = copy.deepcopy(settings.CACHES)
    _caches["default"]["KEY_PREFIX"] = f"{_caches['default']['KEY_PREFIX']}-{XDIST_WORKER}"
    os.environ["CACHE_KEY_PREFIX"] = _caches["default"]["KEY_PREFIX"]
    override_settings(CACHES=_caches).enable()

# Every password in the suite is a test's own: hashing each at full strength (PBKDF2 with a
# million rounds, about half a second here) made creating users the largest cost of the run.
override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()


def forget_mail_throttles() -> None:
    """Forget who was e-mailed when: a test that e-mails an address was refused on the next run
    within the interval, since the counters outlive the run in Redis."""
    from accounts.mail_throttle import KEY_PREFIX

    forget_cache_keys(f"*:{KEY_PREFIX}:*")


@pytest.fixture(autouse=True)
def fresh_mail_throttles():
    forget_mail_throttles()
    yield
    forget_mail_throttles()


@pytest.fixture
def alice(db):
    """A confirmed candidate."""
    return UserFactory(email="alice@example.com", display_name="Alice", time_zone="Europe/London")


@pytest.fixture
def bob(db):
    """A second confirmed candidate, in another time zone."""
    return UserFactory(email="bob@example.com", display_name="Bob", time_zone="Asia/Singapore")


@pytest.fixture
def charlie(db):
    """A candidate who must never see Alice's or Bob's data."""
    return UserFactory(email="charlie@example.com", display_name="Charlie")


@pytest.fixture
def recruiter(db):
    """Rita, a recruiter."""
    return make_recruiter("rita@example.com", "Rita")


@pytest.fixture
def rita(recruiter):
    return recruiter


@pytest.fixture
def sam(db):
    """A second recruiter, the reviewer."""
    return make_recruiter("sam@example.com", "Sam")


@pytest.fixture
def tess(db):
    """A third recruiter."""
    return make_recruiter("tess@example.com", "Tess")


def pytest_configure(config):
    if config.getoption("numprocesses", None) and not hasattr(config, "workerinput"):
        # The controller of an xdist run: see clear_stale_failure_screenshots in tests/e2e.
        for stale in (Path(__file__).parent / "artifacts").glob("FAILED-*.png"):
            stale.unlink(missing_ok=True)


def pytest_collection_modifyitems(items):
    # Browser tests last: Playwright's sync API keeps an event loop running in this thread for
    # the rest of the session once the browser starts, and async views called through the test
    # client (django-health-check's readiness view) refuse to run beside it. They are also the
    # slowest, so every other failure is reported first. Under pytest-xdist (`--dist load`) each
    # worker is handed tests in this order, so on each worker too the browser tests come last.
    items.sort(key=lambda item: "tests/e2e/" in str(item.fspath))
