"""The unsubscribe link: no login, one click from the mail client, tamper-proof."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from reminders.delivery import unsubscribe_token_make
from tests.factories import EnrolmentFactory, build_guide

from .conftest import SPRING_MONDAY


def url_for(token: str) -> str:
    return reverse("reminders:unsubscribe", kwargs={"token": token})


def link(enrolment) -> str:
    return url_for(unsubscribe_token_make(enrolment_id=enrolment.pk))


@pytest.fixture
def bob_enrolment(bob, guide):
    return EnrolmentFactory(user=bob, guide=guide, start_date=SPRING_MONDAY)


@pytest.mark.django_db
def test_link_shows_a_confirmation_page_and_changes_nothing_yet(client, alice_enrolment):
    response = client.get(link(alice_enrolment))

    assert response.status_code == 200
    assert "Stop study reminders?" in response.text
    assert "Head of Engineering at OKX" in response.text
    assert '<button type="submit"' in response.text
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.reminders_enabled


@pytest.mark.django_db
def test_a_link_scanners_head_request_is_answered_and_changes_nothing(client, alice_enrolment):
    response = client.head(link(alice_enrolment))

    assert response.status_code == 200
    assert response.content == b""
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.reminders_enabled


@pytest.mark.django_db
def test_confirming_turns_reminders_off_for_that_enrolment_only(alice_enrolment, bob_enrolment):
    other_guide = build_guide(slug="second-guide", company="Acme")
    alices_other = EnrolmentFactory(
        user=alice_enrolment.user, guide=other_guide, start_date=SPRING_MONDAY
    )

    # No session, no CSRF cookie: as from a browser opened by the mail client.
    response = Client(enforce_csrf_checks=True).post(
        link(alice_enrolment), {"action": "unsubscribe"}
    )

    assert response.status_code == 200
    assert "Reminders stopped" in response.text
    assert "no more reminder e-mails for <strong>Head of Engineering at OKX" in response.text
    for enrolment, enabled in [
        (alice_enrolment, False),
        (alices_other, True),
        (bob_enrolment, True),
    ]:
        enrolment.refresh_from_db()
        assert enrolment.reminders_enabled is enabled


@pytest.mark.django_db
def test_rfc_8058_one_click_post_works_without_csrf_token(alice_enrolment):
    response = Client(enforce_csrf_checks=True).post(
        link(alice_enrolment),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    alice_enrolment.refresh_from_db()
    assert not alice_enrolment.reminders_enabled


@pytest.mark.django_db
def test_undo_turns_reminders_back_on(client, alice_enrolment):
    client.post(link(alice_enrolment))

    response = client.post(link(alice_enrolment), {"action": "resubscribe"})

    assert "Reminders are back on" in response.text
    assert "You will get the weekly e-mail" in response.text
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.reminders_enabled


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"user": {"reminders_enabled": False}}, "turned off for your whole account"),
        ({"enrolment": {"status": "paused"}}, "The plan is paused"),
        ({"enrolment": {"status": "left"}}, "you left this plan"),
    ],
    ids=["account-off", "paused", "left"],
)
def test_turning_reminders_back_on_says_why_none_will_come_yet(
    client, alice_enrolment, change, says
):
    alice_enrolment.reminders_enabled = False
    for field, value in change.get("enrolment", {}).items():
        setattr(alice_enrolment, field, value)
    alice_enrolment.save()
    for field, value in change.get("user", {}).items():
        setattr(alice_enrolment.user, field, value)
    alice_enrolment.user.save()

    response = client.post(link(alice_enrolment), {"action": "resubscribe"})

    assert "Reminders are back on" in response.text
    assert says in response.text
    assert "You will get the weekly e-mail" not in response.text


def altered(token: str) -> str:
    """The same token with one character of its signature changed."""
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forge",
    [
        lambda target, mine: altered(unsubscribe_token_make(enrolment_id=target.pk)),
        # Alice's own valid signature pasted onto a payload naming Bob's enrolment.
        lambda target, mine: (
            signing.dumps({"e": target.pk}, salt="other").split(":", 1)[0]
            + ":"
            + unsubscribe_token_make(enrolment_id=mine.pk).split(":", 1)[1]
        ),
        # Signed by this site, but for another purpose.
        lambda target, mine: signing.dumps({"e": target.pk}),
        lambda target, mine: "not-a-token",
    ],
    ids=["altered-signature", "swapped-payload", "other-salt", "garbage"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_or_altered_token_gets_a_clear_page_and_changes_nothing(
    client, alice_enrolment, bob_enrolment, forge, method
):
    token = forge(bob_enrolment, alice_enrolment)

    response = getattr(client, method)(url_for(token))

    assert response.status_code == 400
    assert "This unsubscribe link does not work" in response.text
    assert "nothing was changed" in response.text
    for enrolment in (alice_enrolment, bob_enrolment):
        enrolment.refresh_from_db()
        assert enrolment.reminders_enabled


@pytest.mark.django_db
def test_link_for_a_deleted_enrolment_gets_the_clear_page(client, alice_enrolment):
    url = link(alice_enrolment)
    alice_enrolment.delete()

    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400


@pytest.mark.django_db
def test_unsubscribe_pages_take_a_fixed_number_of_queries(client, django_assert_num_queries, alice):
    for size in (1, 6):
        guide = build_guide(slug=f"size-{size}", rounds=size, blocks=size, tasks_per_block=size)
        enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=SPRING_MONDAY)
        url = link(enrolment)
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(2):
            assert client.post(url).status_code == 200
