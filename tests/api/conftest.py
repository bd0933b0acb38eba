import copy
import uuid

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.api_tokens import api_token_create


@pytest.fixture(autouse=True)
def fresh_throttles(settings):
    """Throttle counters and stored answers live in the cache; each test starts with none.

    A key prefix of its own rather than `cache.clear()`: with REDIS_URL that would FLUSHDB a
    Redis that other test runs and processes share.
    """
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-api-{uuid.uuid4().hex}"
    settings.CACHES = caches
    yield
    if caches["default"]["BACKEND"].endswith("LocMemCache"):
        cache.clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hashing alice's and charlie's passwords for real dominates these tests' run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def alice_api(alice):
    """Alice's API client, authenticated with her token as a mobile app would be."""
    client = APIClient()
    _, key = api_token_create(user=alice, name="Tests")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def charlie_api(charlie):
    client = APIClient()
    _, key = api_token_create(user=charlie, name="Tests")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def openapi(api):
    """The OpenAPI schema as the API serves it, as JSON."""
    return api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
