"""The anonymous API allowance belongs to the client's real address, whatever X-Forwarded-For says.

With TRUSTED_PROXY_COUNT=0 (the default: no proxy) only REMOTE_ADDR counts; with N proxies, the
N-th address from the right of X-Forwarded-For, the one the outermost trusted proxy wrote.
"""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from prep.client_ip import client_ip
from tests.factories import build_guide

GUIDES = "/api/v1/guides/"


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"}
    )
    # One moment for every request: these tests are about whose allowance is spent, not about
    # time passing. On the wall clock, a jump of the machine's clock (seen on test machines)
    # emptied the minute's window mid-test and let a request through.
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: 1_800_000_000.0)


@pytest.fixture
def one_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


@pytest.fixture
def guide(db):
    # A published guide, so the list is cacheable and the page cache's throttle check runs too.
    return build_guide(company="OKX", slug="okx-head-of-engineering")


def test_proxy_count_defaults_to_none_trusted(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


@pytest.mark.django_db
def test_a_new_forged_address_per_request_does_not_escape_the_throttle(api, low_rates, guide):
    statuses = [
        api.get(GUIDES, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(1, 6)
    ]

    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_nobody_can_spend_another_clients_allowance(api, low_rates, guide):
    victim = "203.0.113.7"
    for _ in range(4):
        api.get(GUIDES, REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR=victim)

    assert api.get(GUIDES, REMOTE_ADDR=victim).status_code == 200


@pytest.mark.django_db
def test_behind_one_proxy_the_right_most_address_counts(api, low_rates, one_proxy, guide):
    proxy = "10.0.0.2"
    # The client forges whatever it likes on the left; the proxy appends what it saw.
    statuses = [
        api.get(
            GUIDES, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7"
        ).status_code
        for n in range(1, 6)
    ]
    other_client = api.get(GUIDES, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert statuses == [200, 200, 200, 429, 429]
    assert other_client.status_code == 200


def test_client_address_rule(rf, settings):
    forged = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")

    assert client_ip(forged) == "10.0.0.2"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_ip(forged) == "203.0.113.7"
    assert client_ip(garbage) == "10.0.0.2"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 2}
    assert client_ip(forged) == "1.1.1.1"
