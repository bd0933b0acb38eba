"""The mail server is down while someone signs up or resets a password: the page still answers.

Account e-mails go over SMTP when the request's transaction commits. With the server refusing
connections (a closed port: nothing mocked), sign-up and password reset answer exactly as they
do when the mail goes out, the failure is logged, and asking for the e-mail again works as soon
as the server is back, instead of waiting out the per-address interval.
"""

import logging
import socket

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.models import User

PASSWORD = "a long unusual passphrase 42"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""


def signup(client, email: str = "dana@example.com"):
    return client.post(
        reverse("accounts:signup"),
        {
            "email": email,
            "display_name": "Dana",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": "UTC",
        },
        follow=True,
    )


@pytest.mark.django_db(transaction=True)
def test_sign_up_answers_normally_and_the_link_can_be_sent_again_at_once(
    client, mail_server_down, caplog
):
    with caplog.at_level(logging.WARNING):
        response = signup(client)

    assert response.status_code == 200
    assert "We sent an e-mail to dana@example.com" in response.content.decode()
    dana = User.objects.get(email="dana@example.com")
    assert "Could not send the confirm e-mail" in caplog.text

    # The server is back: "Send the link again" sends it now, not in five minutes.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        client.force_login(dana)
        again = client.post(reverse("accounts:resend_confirmation"), follow=True)
    assert f"We sent a new confirmation link to {dana.email}" in again.content.decode()
    assert [m.to for m in mail.outbox] == [["dana@example.com"]]


@pytest.mark.django_db(transaction=True)
def test_sign_up_with_a_taken_address_answers_the_same_while_mail_is_down(
    client, alice, mail_server_down
):
    response = signup(client, email=alice.email)
    assert response.status_code == 200
    assert f"We sent an e-mail to {alice.email}" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_password_reset_answers_normally_and_can_be_asked_again_at_once(
    client, alice, mail_server_down, caplog
):
    with caplog.at_level(logging.WARNING):
        response = client.post(
            reverse("accounts:password_reset"), {"email": alice.email}, follow=True
        )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_done")
    assert "Could not send a password reset e-mail" in caplog.text

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert [m.to for m in mail.outbox] == [[alice.email]]


@pytest.mark.django_db(transaction=True)
def test_resending_while_mail_is_down_says_so_instead_of_an_error_page(client, mail_server_down):
    dana = User.objects.create_user(email="dana@example.com", password=PASSWORD)
    client.force_login(dana)
    response = client.post(reverse("accounts:resend_confirmation"), follow=True)
    assert response.status_code == 200
    assert "We could not send the e-mail just now" in response.content.decode()
