import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.services import user_send_confirmation
from accounts.tokens import make_confirmation_token

PASSWORD = "correct horse battery staple"


def mail_server_down(settings) -> None:
    """Point Django at a real SMTP connection that is refused: nothing listens on port 1."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    settings.EMAIL_TIMEOUT = 2


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.fixture
def dana(db):
    user = User.objects.create_user(email="dana@example.com", password=PASSWORD)
    return user


@pytest.mark.django_db
def test_confirmation_link_confirms_the_address(client, dana):
    user_send_confirmation(user=dana)
    response = client.get(link_in(mail.outbox[0]), follow=True)
    assert "is confirmed" in response.content.decode()
    dana.refresh_from_db()
    assert dana.email_confirmed


@pytest.mark.django_db
def test_forged_confirmation_link_is_refused(client, dana):
    token = make_confirmation_token(dana)[:-2] + "xx"
    response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    dana.refresh_from_db()
    assert not dana.email_confirmed


@pytest.mark.django_db
def test_link_to_an_old_address_stops_working_after_a_change(client, dana):
    token = make_confirmation_token(dana)
    dana.email = "dana@new.example.com"
    dana.save()
    response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 400
    assert "no longer on the account" in response.content.decode()


@pytest.mark.django_db
def test_confirmation_can_be_sent_again_from_settings(client, dana):
    client.force_login(dana)
    assert "is not confirmed yet" in client.get(reverse("accounts:settings")).content.decode()
    response = client.post(reverse("accounts:resend_confirmation"), follow=True)
    assert "We sent a new confirmation link" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_password_reset_email_arrives_and_works(client, alice):
    response = client.post(reverse("accounts:password_reset"), {"email": "ALICE@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Prep password"
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand new passphrase 77", "new_password2": "brand new passphrase 77"},
        follow=True,
    )
    assert "Your new password is set." in response.content.decode()
    login = client.post(
        reverse("accounts:login"),
        {"username": "alice@example.com", "password": "brand new passphrase 77"},
    )
    assert login.status_code == 302


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, alice):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.com"}, follow=True
    )
    assert "If an account uses that address" in response.content.decode()
    assert not mail.outbox


@pytest.mark.django_db
def test_used_reset_link_is_refused(client, alice):
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
    link = link_in(mail.outbox[0])
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "brand new passphrase 77", "new_password2": "brand new passphrase 77"},
    )
    again = client.get(link, follow=True)
    assert "This reset link is not valid any more" in again.content.decode()


@pytest.mark.django_db
def test_password_change(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another fine passphrase 9",
            "new_password2": "another fine passphrase 9",
        },
        follow=True,
    )
    assert "Your password is changed." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("another fine passphrase 9")


@pytest.mark.django_db
def test_guessing_the_old_password_counts_towards_the_login_lockout(client, alice):
    client.force_login(alice)
    attempt = {
        "new_password1": "another fine passphrase 9",
        "new_password2": "another fine passphrase 9",
    }
    for _ in range(4):
        response = client.post(
            reverse("accounts:password_change"), {**attempt, "old_password": "guess"}
        )
        assert "Your old password was entered incorrectly" in response.content.decode()
    client.post(reverse("accounts:password_change"), {**attempt, "old_password": "guess"})
    response = client.post(
        reverse("accounts:password_change"), {**attempt, "old_password": PASSWORD}
    )
    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.django_db
def test_signup_survives_a_mail_server_failure(
    client, settings, django_capture_on_commit_callbacks
):
    mail_server_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {
                "email": "erin@example.com",
                "password1": "a long unusual passphrase 42",
                "password2": "a long unusual passphrase 42",
                "time_zone": "UTC",
            },
        )
    assert response.status_code == 302
    assert User.objects.filter(email="erin@example.com").exists()


@pytest.mark.django_db
def test_resend_reports_a_mail_server_failure_plainly(client, settings, dana):
    mail_server_down(settings)
    client.force_login(dana)
    response = client.post(reverse("accounts:resend_confirmation"), follow=True)
    assert "We could not send the e-mail just now" in response.content.decode()


@pytest.mark.django_db
def test_resending_twice_sends_one_mail_and_says_when_to_ask_again(client, dana):
    client.force_login(dana)
    client.post(reverse("accounts:resend_confirmation"))
    response = client.post(reverse("accounts:resend_confirmation"), follow=True)
    page = response.content.decode()
    assert "We sent a confirmation link to dana@example.com a few minutes ago" in page
    assert "You can ask again after" in page
    assert "(in 5 minutes)" in page
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_overlong_address_on_the_reset_form_gets_a_clear_message(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "a" * 300 + "@x.test"})
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not mail.outbox
