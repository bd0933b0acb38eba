"""Intent survives sign-up: "sign up to follow this plan" ends on that guide's enrol form."""

import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tokens import make_confirmation_token
from studyplan.progress import local_today_for, next_monday
from tests.factories import build_guide

SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")
PASSWORD = "a long unusual passphrase 42"


def signup_data(**overrides) -> dict:
    return {
        "email": "dana@example.com",
        "display_name": "Dana",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "time_zone": "Asia/Singapore",
        **overrides,
    }


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", message.body).group(1)


def messages_on(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def guide(db):
    return build_guide(slug="okx-head-of-engineering", rounds=2, questions_per_round=2)


@pytest.fixture
def enrol_path(guide) -> str:
    return reverse("studyplan:enrol", args=[guide.slug])


@pytest.mark.django_db
def test_guide_page_sign_up_and_log_in_links_carry_the_enrol_page(client, guide, enrol_path):
    page = client.get(guide.get_absolute_url()).content.decode()
    assert f'href="{SIGNUP}?next={quote(enrol_path)}"' in page
    assert f'href="{LOGIN}?next={quote(enrol_path)}"' in page


@pytest.mark.django_db
def test_question_page_sign_up_link_carries_the_question(client, guide):
    question = guide.questions.filter(round__isnull=False).first()
    page = client.get(question.get_absolute_url()).content.decode()
    assert f'href="{SIGNUP}?next={quote(question.get_absolute_url())}"' in page


@pytest.mark.django_db
def test_sign_up_confirm_and_log_in_land_on_the_enrol_form_prefilled(
    client, guide, enrol_path, django_capture_on_commit_callbacks
):
    form = client.get(SIGNUP, {"next": enrol_path}).content.decode()
    assert f'name="next" value="{enrol_path}"' in form
    assert f'href="{LOGIN}?next={quote(enrol_path)}"' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, {**signup_data(), "next": enrol_path}, follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next={quote(enrol_path, safe='')}"
    assert f'name="next" value="{enrol_path}"' in response.content.decode()

    [message] = mail.outbox
    confirmed = client.get(confirmation_path(message), follow=True)
    assert confirmed.redirect_chain[-1][0] == f"{LOGIN}?next={quote(enrol_path, safe='')}"
    assert messages_on(confirmed) == [
        "Thank you: dana@example.com is confirmed. Log in to continue."
    ]
    page = confirmed.content.decode()
    assert page.count("is confirmed") == 1
    assert f'name="next" value="{enrol_path}"' in page

    landed = client.post(
        LOGIN,
        {"username": "dana@example.com", "password": PASSWORD, "next": enrol_path},
        follow=True,
    )
    assert landed.redirect_chain[-1][0] == enrol_path
    assert "Enrol in" in landed.content.decode()
    form = landed.context["form"]
    today = local_today_for("Asia/Singapore")
    assert form["start_date"].value() == next_monday(today)
    assert form["time_zone"].value() == "Asia/Singapore"
    assert messages_on(landed) == []


@pytest.mark.django_db
def test_confirming_while_signed_in_lands_on_the_page_with_one_message(
    client, guide, enrol_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, {**signup_data(), "next": enrol_path}, follow=True)
    client.post(LOGIN, {"username": "dana@example.com", "password": PASSWORD})

    response = client.get(confirmation_path(mail.outbox[0]), follow=True)

    assert response.redirect_chain[-1][0] == enrol_path
    assert messages_on(response) == ["Thank you: dana@example.com is confirmed."]
    assert response.content.decode().count("is confirmed") == 1


@pytest.mark.django_db
def test_confirming_while_signed_in_without_a_destination_says_it_once(client):
    dana = User.objects.create_user(email="dana@example.com", password=PASSWORD)
    client.force_login(dana)
    response = client.get(
        reverse("accounts:confirm_email", args=[make_confirmation_token(dana)]), follow=True
    )
    assert response.status_code == 200
    assert response.content.decode().count("is confirmed") == 1


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "/guides/\n/",
        "/" + "a" * 600,
    ],
)
@pytest.mark.django_db
def test_a_next_to_another_site_is_dropped_everywhere(
    client, target, django_capture_on_commit_callbacks
):
    form = client.get(SIGNUP, {"next": target}).content.decode()
    assert 'name="next"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, {**signup_data(), "next": target}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    confirmed = client.get(confirmation_path(mail.outbox[0]))
    assert confirmed.url == LOGIN


@pytest.mark.django_db
def test_a_forged_next_in_a_signed_link_is_still_checked(client):
    dana = User.objects.create_user(email="dana@example.com", password=PASSWORD)
    token = make_confirmation_token(dana, next_url="https://evil.example/")
    response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert response.url == LOGIN
    dana.refresh_from_db()
    assert dana.email_confirmed_at is not None


@pytest.mark.django_db
def test_signed_in_candidate_opening_sign_up_goes_where_they_were_going(client, alice, enrol_path):
    client.force_login(alice)
    assert client.get(SIGNUP, {"next": enrol_path}).url == enrol_path
    assert client.get(SIGNUP).url == reverse("studyplan:dashboard")
