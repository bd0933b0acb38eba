import pytest
from django.test import Client

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
