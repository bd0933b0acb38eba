"""Nobody can fill an inbox by pressing an account e-mail button in a loop."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

RESET = reverse("accounts:password_reset")
PASSWORD = "correct horse battery staple"


def reset(address: str, ip: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=ip).post(RESET, {"email": address}, follow=True)


def visible(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.django_db
def test_four_reset_requests_send_one_email_and_look_the_same(alice):
    responses = [reset(spelling) for spelling in ["alice@example.com", "ALICE@example.com"] * 2]

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    # The visitor cannot tell a sent e-mail from a held-back one, or from an unknown address.
    assert len({visible(r) for r in responses + [reset("nobody@example.com")]}) == 1
    assert "at most one e-mail every 5 minutes" in visible(responses[0])


@pytest.mark.django_db
def test_reset_can_be_asked_again_after_the_interval(alice, settings):
    settings.ACCOUNT_MAIL_INTERVAL_MINUTES = 0  # a zero timeout: the claim expires at once
    reset("alice@example.com")
    reset("alice@example.com")
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_one_client_gets_a_few_emails_an_hour_whatever_the_addresses(settings):
    settings.ACCOUNT_MAIL_PER_IP_PER_HOUR = 3
    people = [UserFactory(email=f"person{n}@example.com") for n in range(5)]

    for person in people[:4]:
        reset(person.email, ip="198.51.100.1")
    assert len(mail.outbox) == 3

    # Another client is not held back by the first one's flood, and the fourth address, refused
    # above, still gets its e-mail.
    reset(people[3].email, ip="198.51.100.2")
    reset(people[4].email, ip="198.51.100.2")
    assert [m.to[0] for m in mail.outbox[3:]] == ["person3@example.com", "person4@example.com"]


@pytest.mark.django_db
def test_signup_with_a_taken_address_sends_its_owner_one_email(
    alice, django_capture_on_commit_callbacks
):
    data = {
        "email": "alice@example.com",
        "password1": "a long unusual passphrase 42",
        "password2": "a long unusual passphrase 42",
        "time_zone": "UTC",
    }
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(reverse("accounts:signup"), data)
        assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "already has a Prep account" in mail.outbox[0].body


@pytest.mark.django_db
def test_change_of_address_links_are_throttled_too(
    client, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:change_email"), {"email": "alice@new.example", "password": PASSWORD}
        )
    response = client.post(reverse("accounts:resend_email_change"), follow=True)

    assert [m.to for m in mail.outbox] == [["alice@new.example"]]
    page = response.content.decode()
    assert "We sent the link to alice@new.example a few minutes ago" in page
    assert "You can ask again after" in page


@pytest.mark.django_db
def test_a_flooding_client_is_told_to_wait_an_hour(client, settings):
    settings.ACCOUNT_MAIL_PER_IP_PER_HOUR = 1
    dana = UserFactory(email="dana@example.com", email_confirmed_at=None)
    reset("someone@example.com", ip="127.0.0.1")
    client.force_login(dana)

    response = client.post(reverse("accounts:resend_confirmation"), follow=True)

    assert "Please try again in an hour" in response.content.decode()
    assert not mail.outbox
