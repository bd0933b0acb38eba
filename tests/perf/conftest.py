import pytest
from django.test import Client

# Autouse here too: each test starts with an empty cache of its own. Stored pages, versions and
# the anonymous API throttle's counters left by earlier tests (the URL walks in tests/http call
# the API anonymously hundreds of times) would otherwise answer 429 or a stale entry here.
from tests.api.conftest import fresh_throttles  # noqa: F401
from tests.factories import build_guide


@pytest.fixture
def guide(db):
    return build_guide(company="OKX", slug="okx-head-of-engineering")


@pytest.fixture
def visitor():
    """An anonymous browser: no session cookie, so public pages may come from the cache."""
    return Client()


@pytest.fixture
def recruiter_client(recruiter):
    client = Client()
    client.force_login(recruiter)
    return client
