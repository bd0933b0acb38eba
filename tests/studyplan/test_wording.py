"""Words that fit the moment: greetings, tenses of dates, "just now"."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_send_confirmation
from practice.models import QuestionProgress
from rounds.templatetags.prep_text import ago
from tests.factories import EnrolmentFactory, UserFactory
from tests.pages.pagetext import page_text
from tests.studyplan.conftest import days_ago, local_today


@pytest.fixture
def nameless(db):
    """A candidate who gave no display name: their address's local part is not their name."""
    return UserFactory(email="dsmith42@example.com", display_name="", time_zone="Europe/London")


@pytest.mark.django_db
def test_dashboard_greets_by_display_name_or_not_at_all(client, alice, nameless):
    client.force_login(alice)
    assert "Hello, Alice" in page_text(client.get(reverse("studyplan:dashboard")))

    client.force_login(nameless)
    text = page_text(client.get(reverse("studyplan:dashboard")))
    assert "Your dashboard" in text
    assert "Hello" not in text
    assert "dsmith42" not in text


@pytest.mark.django_db
def test_emails_greet_by_display_name_or_not_at_all(nameless):
    nameless.email_confirmed_at = None
    user_send_confirmation(user=nameless)
    [message] = mail.outbox
    assert message.body.startswith("Hello,\n")
    assert "dsmith42," not in message.body


@pytest.mark.parametrize(
    ("offset", "wording"),
    [(7, "Your plan starts on"), (0, "Your plan started on"), (-7, "started")],
)
@pytest.mark.django_db
def test_plan_settings_speak_of_a_future_start_in_the_future(client, alice, guide, offset, wording):
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, -offset))
    client.force_login(alice)
    text = page_text(client.get(reverse("studyplan:settings", args=[enrolment.pk])))
    assert wording in text
    assert f"{enrolment.start_date:%A} {enrolment.start_date.day}" in text
    if offset > 0:
        assert "started" not in text
    assert local_today(alice)  # the day is the candidate's, not the server's


@pytest.mark.django_db
def test_just_practised_says_just_now(client, alice, guide):
    question = guide.questions.filter(round__isnull=False).first()
    client.force_login(alice)
    client.post(
        reverse("practice:question", args=[guide.slug, question.slug]), {"status": "practised"}
    )
    text = page_text(client.get(question.get_absolute_url()))
    assert "Last practised just now" in text
    assert "0 minutes" not in text

    QuestionProgress.objects.filter(user=alice).update(
        last_practised_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert "Last practised 5 minutes ago" in page_text(client.get(question.get_absolute_url()))


def test_ago_reads_as_a_person_says_it():
    now = timezone.now()
    assert ago(now) == "just now"
    assert ago(now + datetime.timedelta(seconds=20)) == "just now"  # a clock slightly ahead
    assert ago(now - datetime.timedelta(hours=3, minutes=1)) == "3\xa0hours ago"
    assert ago(None) == ""
