import datetime
import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tasks import login_records_purge_task
from practice.models import QuestionProgress
from practice.services import question_practice
from reminders.models import ReminderDelivery
from studyplan.models import Enrolment, TaskProgress
from tests.factories import EnrolmentFactory, build_guide

PASSWORD = "correct horse battery staple"


@pytest.fixture
def alice_with_data(alice):
    guide = build_guide(slug="okx", rounds=1, blocks=2)
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    task = guide.study_blocks.first().tasks.first()
    TaskProgress.objects.create(enrolment=enrolment, task=task)
    question_practice(
        user=alice,
        question=guide.questions.first(),
        status="practised",
        answer_draft="My answer draft",
    )
    ReminderDelivery.objects.create(
        enrolment=enrolment, kind="week", week=1, due_at="2026-01-05T09:00:00Z"
    )
    return alice, enrolment, task


@pytest.mark.django_db
def test_export_is_a_json_download_with_everything(client, alice_with_data):
    alice, enrolment, task = alice_with_data
    client.force_login(alice)
    response = client.get(reverse("accounts:export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "alice@example.com"
    assert data["profile"]["time_zone"] == "Europe/London"
    assert data["profile"]["pending_email"] is None
    assert data["enrolments"][0]["guide_slug"] == "okx"
    assert data["enrolments"][0]["tasks_done"][0]["task"] == task.text
    note = data["question_notes"][0]
    assert note["answer_draft"] == "My answer draft"
    assert "star" not in note
    assert note["status"] == "practised"


@pytest.mark.django_db
def test_export_requires_login(client):
    assert client.get(reverse("accounts:export")).status_code == 302


@pytest.mark.django_db
def test_delete_with_wrong_password_deletes_nothing(client, alice_with_data):
    alice, _, _ = alice_with_data
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 400
    assert "That password is not right; nothing was deleted." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert QuestionProgress.objects.count() == 1


@pytest.mark.django_db
def test_delete_removes_account_progress_notes_and_reminders(client, alice_with_data, bob):
    alice, _, _ = alice_with_data
    bobs = EnrolmentFactory(user=bob, guide=Enrolment.objects.get().guide)
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD}, follow=True)
    assert "Your account, progress and notes are deleted" in response.content.decode()
    assert not User.objects.filter(pk=alice.pk).exists()
    assert list(Enrolment.objects.all()) == [bobs]
    assert not TaskProgress.objects.exists()
    assert not QuestionProgress.objects.exists()
    assert not ReminderDelivery.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_delete_page_asks_for_the_password(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert 'for="id_password"' in page
    assert "cannot be undone" in page


def log_in(address: str, password: str = PASSWORD, ip: str = "192.0.2.1") -> Client:
    browser = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT="Firefox on Alice's laptop")
    browser.post(reverse("accounts:login"), {"username": address, "password": password})
    return browser


@pytest.mark.django_db
def test_delete_removes_login_records_in_every_spelling(client, alice, bob):
    for spelling in ["alice@example.com", " ALICE@example.com", "Alice@Example.COM "]:
        log_in(spelling, password="wrong")
    log_in("alice@example.com")
    AccessAttempt.objects.create(
        username="ALICE@EXAMPLE.COM ", ip_address="192.0.2.9", failures_since_start=1
    )
    AccessFailureLog.objects.create(username=" Alice@example.com", ip_address="192.0.2.9")
    log_in("bob@example.com", password="wrong", ip="192.0.2.2")
    log_in("bob@example.com", ip="192.0.2.2")
    assert AccessLog.objects.filter(username="alice@example.com").exists()

    client.force_login(alice)
    client.post(reverse("accounts:delete"), {"password": PASSWORD})

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert set(model.objects.values_list("username", flat=True)) <= {"bob@example.com"}
    assert AccessLog.objects.filter(username="bob@example.com").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"],
)
def test_delete_ends_the_accounts_sessions_on_every_device(client, alice, bob, settings, engine):
    settings.SESSION_ENGINE = engine
    laptop, phone, bobs = (
        log_in("alice@example.com"),
        log_in("alice@example.com"),
        log_in("bob@example.com"),
    )
    phone_key = phone.session.session_key
    assert phone.get(reverse("accounts:settings")).status_code == 200

    laptop.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert not Session.objects.filter(session_key=phone_key).exists()
    assert cache.get(cached_db.KEY_PREFIX + phone_key) is None
    assert phone.get(reverse("accounts:settings")).status_code == 302
    assert [s.get_decoded()["_auth_user_id"] for s in Session.objects.all()] == [str(bob.pk)]
    assert bobs.get(reverse("accounts:settings")).status_code == 200


@pytest.mark.django_db
def test_old_login_records_are_purged_daily(alice, settings):
    log_in("alice@example.com")
    log_in("alice@example.com", password="wrong", ip="192.0.2.5")
    AccessLog.objects.update(attempt_time=timezone.now() - datetime.timedelta(days=31))
    recent = AccessLog.objects.create(username="bob@example.com", ip_address="192.0.2.2")

    login_records_purge_task()

    assert list(AccessLog.objects.all()) == [recent]
    # A failed attempt is kept while it can still lock the address.
    assert AccessAttempt.objects.count() == 1
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    login_records_purge_task()
    assert not AccessAttempt.objects.exists()
    assert settings.CELERY_BEAT_SCHEDULE["purge-login-records"]["task"] == (
        "accounts.tasks.login_records_purge_task"
    )


@pytest.mark.django_db
def test_export_has_review_cards_and_every_rating_and_delete_removes_them(client, alice, bob):
    from practice import review
    from practice.models import PracticeSettings, Review, ReviewCard
    from tests.factories import build_guide

    guide = build_guide(company="Rev", slug="rev", rounds=1, questions_per_round=1)
    question = guide.questions.filter(round__isnull=False).get()
    review.practice_settings_update(user=alice, desired_retention=0.8)
    review.review_submit(user=alice, question=question, rating=3)
    review.review_submit(user=alice, question=question, rating=1)
    review.review_submit(user=bob, question=question, rating=4)
    client.force_login(alice)
    data = client.get(reverse("accounts:export")).json()
    assert data["spaced_review"]["desired_retention"] == 0.8
    [card] = data["spaced_review"]["cards"]
    assert card["question"] == question.text
    assert [r["rating"] for r in card["reviews"]] == ["Good", "Again"]
    client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert not ReviewCard.objects.filter(user_id=alice.pk).exists()
    assert not Review.objects.filter(user_id=alice.pk).exists()
    assert not PracticeSettings.objects.exists()
    assert Review.objects.filter(user=bob).count() == 1
