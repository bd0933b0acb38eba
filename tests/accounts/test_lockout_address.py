"""The login lockout sees the same client address as the API throttles (prep/client_ip.py)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

PASSWORD = "correct horse battery staple"
LOGIN = reverse("accounts:login")


@pytest.mark.django_db
def test_forging_a_new_forwarded_address_per_attempt_does_not_escape_the_lockout(client, alice):
    for n in range(1, 6):
        client.post(
            LOGIN,
            {"username": "alice@example.com", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": "alice@example.com", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@pytest.mark.django_db
def test_behind_one_proxy_the_lockout_records_the_address_the_proxy_saw(client, alice, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    client.post(
        LOGIN,
        {"username": "alice@example.com", "password": "guess"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7",
    )
    # A request that skipped the proxy with a header that is no address at all.
    response = client.post(
        LOGIN,
        {"username": "alice@example.com", "password": "guess"},
        REMOTE_ADDR="10.0.0.3",
        HTTP_X_FORWARDED_FOR="not-an-address",
    )

    assert response.status_code == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "203.0.113.7",
        "10.0.0.3",
    }
