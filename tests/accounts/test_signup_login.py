import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User

PASSWORD = "correct horse battery staple"
SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")


def page_text(response, address: str) -> str:
    """The page as the visitor sees it, with their address and the form's CSRF token left out."""
    page = response.content.decode().replace(address, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def signup_data(**overrides) -> dict:
    data = {
        "email": "Dana@Example.com",
        "display_name": "Dana",
        "password1": "a long unusual passphrase 42",
        "password2": "a long unusual passphrase 42",
        "time_zone": "Asia/Singapore",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_creates_account_and_sends_confirmation(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(), follow=True)
    user = User.objects.get()
    assert user.email == "dana@example.com"
    assert user.time_zone == "Asia/Singapore"
    assert user.email_confirmed_at is None
    assert response.redirect_chain[-1][0] == LOGIN
    assert "We sent an e-mail to dana@example.com" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@example.com"]
    assert "/accounts/confirm/" in mail.outbox[0].body
    # The password chosen at sign-up logs in at once; reminders wait for the confirmation.
    login = client.post(
        LOGIN, {"username": "dana@example.com", "password": signup_data()["password1"]}
    )
    assert login.status_code == 302


@pytest.mark.django_db
def test_signup_with_a_taken_address_answers_the_same_and_emails_the_owner(
    client, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(SIGNUP, signup_data(email="dana@example.com"), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        taken = Client().post(SIGNUP, signup_data(email=" Alice@EXAMPLE.com "), follow=True)

    assert taken.status_code == new.status_code == 200
    assert taken.redirect_chain == new.redirect_chain
    assert "already" not in taken.content.decode()
    assert page_text(taken, "alice@example.com") == page_text(new, "dana@example.com")
    assert User.objects.filter(email="alice@example.com").count() == 1
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    to_alice = [m for m in mail.outbox if m.to == ["alice@example.com"]]
    assert len(to_alice) == 1
    assert "already has a Prep account" in to_alice[0].body
    assert "/accounts/login/" in to_alice[0].body
    assert "/accounts/password/reset/" in to_alice[0].body
    assert "/accounts/confirm/" not in to_alice[0].body


@pytest.mark.django_db
def test_signup_page_has_labelled_fields(client):
    page = client.get(SIGNUP).content.decode()
    for field in ("email", "display_name", "password1", "password2", "time_zone"):
        assert f'for="id_{field}"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"email": "d" * 243 + "@example.com"}, "at most 254 characters (it has 255)"),
        ({"password2": "something else entirely"}, "The two passwords differ"),
        ({"password1": "123", "password2": "123"}, "This password is too short."),
        ({"time_zone": "Mars/Olympus_Mons"}, "is not a time zone we know"),
    ],
)
def test_bad_signup_gets_a_clear_message_and_creates_nothing(client, alice, overrides, message):
    response = client.post(SIGNUP, signup_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == 1
    assert not mail.outbox


@pytest.mark.django_db
def test_login_with_email_in_any_case(client, alice):
    response = client.post(LOGIN, {"username": "ALICE@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("studyplan:dashboard")


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_clear_message(client, alice):
    response = client.post(LOGIN, {"username": "alice@example.com", "password": "nope"})
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sixth_attempt_is_locked_out_even_with_the_right_password(client, alice):
    for _ in range(5):
        client.post(LOGIN, {"username": "alice@example.com", "password": "guess"})
    response = client.post(LOGIN, {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts to log in" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_one_lockout_per_account_whatever_the_spelling(client, alice):
    spellings = [
        "alice@example.com",
        "ALICE@EXAMPLE.COM",
        " alice@example.com ",
        "Alice@Example.Com",
    ]
    for spelling in spellings:
        response = client.post(LOGIN, {"username": spelling, "password": "guess"})
        assert response.status_code == 200
    # The fifth failure, in a fifth spelling, locks the account.
    response = client.post(LOGIN, {"username": "aLiCe@example.COM\t", "password": "guess"})
    assert response.status_code == 429
    for spelling in spellings:
        response = client.post(LOGIN, {"username": spelling, "password": PASSWORD})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
    # One record, under the address as login matches it.
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["alice@example.com"]


@pytest.mark.django_db
@pytest.mark.parametrize("length", [255, 321, 5000])
def test_overlong_address_at_login_gets_a_clear_message(client, alice, length):
    address = "a" * (length - len("@example.com")) + "@example.com"
    response = client.post(LOGIN, {"username": address, "password": PASSWORD})
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_lockout_is_per_address(client, alice, bob):
    for _ in range(5):
        client.post(LOGIN, {"username": "alice@example.com", "password": "guess"})
    response = client.post(LOGIN, {"username": "bob@example.com", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_logout_is_a_post_from_the_nav(client, alice):
    client.force_login(alice)
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in page
    assert "Log out" in page
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_nav_shows_login_and_signup_to_visitors(client, alice):
    page = client.get(LOGIN).content.decode()
    assert ">Log in<" in page
    assert ">Sign up<" in page
    assert ">Dashboard<" not in page


@pytest.mark.django_db
def test_nav_shows_admin_to_staff_only(client, alice, recruiter):
    client.force_login(alice)
    assert ">Admin<" not in client.get(reverse("studyplan:dashboard")).content.decode()
    client.force_login(recruiter)
    assert ">Admin<" in client.get(reverse("studyplan:dashboard")).content.decode()


@pytest.mark.django_db
def test_login_form_needs_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 403
