import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_signup_login import page_text

PASSWORD = "correct horse battery staple"
SETTINGS = reverse("accounts:settings")
CHANGE = reverse("accounts:change_email")
LOGIN = reverse("accounts:login")


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/\S+)", message.body).group(1)


def ask_to_change(client, new: str, password: str = PASSWORD, capture=None):
    if capture is None:
        return client.post(CHANGE, {"email": new, "password": password}, follow=True)
    with capture(execute=True):
        return client.post(CHANGE, {"email": new, "password": password}, follow=True)


def can_log_in(address: str, password: str = PASSWORD) -> bool:
    response = Client().post(LOGIN, {"username": address, "password": password})
    return response.status_code == 302


@pytest.mark.django_db
def test_change_needs_the_current_password(client, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    response = ask_to_change(
        client, "alice@new.example", "not my password", django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert "That password is not right; your address is unchanged." in response.content.decode()
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice@example.com", "")
    assert not mail.outbox


@pytest.mark.django_db
def test_new_address_is_used_only_once_confirmed_and_the_old_one_is_told(
    client, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    response = ask_to_change(
        client, " Alice@New.Example ", capture=django_capture_on_commit_callbacks
    )

    page = response.content.decode()
    assert "We sent a link to alice@new.example" in page
    assert "until then you log in and get reminders at alice@example.com" in page
    assert [m.to for m in mail.outbox] == [["alice@new.example"]]
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice@example.com", "alice@new.example")
    assert alice.email_confirmed
    assert can_log_in("alice@example.com")
    assert not can_log_in("alice@new.example")

    with django_capture_on_commit_callbacks(execute=True):
        done = Client().get(link_in(mail.outbox[0]), follow=True)

    assert "Your address is now alice@new.example" in done.content.decode()
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice@new.example", "")
    assert alice.email_confirmed
    assert can_log_in("alice@new.example")
    assert not can_log_in("alice@example.com")
    notice = mail.outbox[1]
    assert notice.to == ["alice@example.com"]
    assert notice.subject == "Your Prep e-mail address was changed"
    assert "from alice@example.com to alice@new.example" in notice.body
    # The link works once.
    again = Client().get(link_in(mail.outbox[0]))
    assert again.status_code == 400


@pytest.mark.django_db
def test_a_taken_address_gets_the_same_answer_and_its_owner_is_told(
    client, alice, bob, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    free = ask_to_change(client, "free@example.com", capture=django_capture_on_commit_callbacks)
    taken = ask_to_change(client, "BOB@example.com", capture=django_capture_on_commit_callbacks)

    assert taken.status_code == free.status_code == 200
    assert "already" not in taken.content.decode()
    assert page_text(taken, "bob@example.com") == page_text(free, "free@example.com")
    to_bob = mail.outbox[-1]
    assert to_bob.to == ["bob@example.com"]
    assert "already has a Prep account" in to_bob.body
    assert "/accounts/email/" not in to_bob.body
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.email, bob.email) == ("alice@example.com", "bob@example.com")


@pytest.mark.django_db
@pytest.mark.parametrize("then", ["cancel", "new password", "another change"])
def test_a_pending_link_stops_working(client, alice, then, django_capture_on_commit_callbacks):
    client.force_login(alice)
    ask_to_change(client, "alice@new.example", capture=django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    if then == "cancel":
        response = client.post(reverse("accounts:cancel_email_change"), follow=True)
        assert "Cancelled: your address stays alice@example.com" in response.content.decode()
    elif then == "new password":
        alice.set_password("a brand new passphrase 7")
        alice.save()
    else:
        ask_to_change(client, "alice@other.example", capture=django_capture_on_commit_callbacks)

    response = Client().get(link)

    assert response.status_code == 400
    assert "cancelled, replaced or already made" in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


@pytest.mark.django_db
def test_owner_of_the_old_address_can_take_the_account_back(
    client, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)  # as whoever learned Alice's password
    ask_to_change(client, "mallory@example.com", capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        Client().get(link_in(mail.outbox[0]))
    undo = link_in(mail.outbox[1])
    assert "/accounts/email/undo/" in undo

    response = Client().get(undo, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:password_reset")
    assert "Your address is alice@example.com again" in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert not alice.has_usable_password()
    assert not can_log_in("mallory@example.com")
    # Whoever made the change is signed out.
    assert client.get(SETTINGS).status_code == 302


@pytest.mark.django_db
def test_settings_page_shows_the_pending_change(client, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    ask_to_change(client, "alice@new.example", capture=django_capture_on_commit_callbacks)
    page = client.get(SETTINGS).content.decode()
    assert "You asked to change your address to alice@new.example" in page
    assert reverse("accounts:resend_email_change") in page
    assert reverse("accounts:cancel_email_change") in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address,message",
    [
        ("a" * 243 + "@example.com", "at most 254 characters (it has 255)"),
        ("not-an-address", "Enter a valid email address."),
        ("alice@example.com", "That is already your address."),
    ],
)
def test_bad_new_address_gets_a_clear_message(client, alice, address, message):
    client.force_login(alice)
    response = ask_to_change(client, address)
    assert response.status_code == 400
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice@example.com", "")
    assert not mail.outbox


@pytest.mark.django_db
def test_wrong_passwords_here_count_towards_the_login_lockout(client, alice):
    client.force_login(alice)
    for _ in range(5):
        ask_to_change(client, "alice@new.example", "guess")
    response = client.post(CHANGE, {"email": "alice@new.example", "password": PASSWORD})
    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.pending_email == ""
    assert not can_log_in("alice@example.com")


@pytest.mark.django_db
def test_change_needs_login_and_csrf(alice):
    assert (
        Client().post(CHANGE, {"email": "x@example.com", "password": PASSWORD}).status_code == 302
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(CHANGE, {"email": "x@example.com", "password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.get(pk=alice.pk).pending_email == ""
