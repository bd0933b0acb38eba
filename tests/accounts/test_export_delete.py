import json

import pytest
from django.urls import reverse

from accounts.models import User
from questions.models import QuestionProgress
from questions.services import question_practice
from studyplan.models import Enrolment, ReminderDelivery, TaskProgress
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
        star_situation="A situation",
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
    assert data["enrolments"][0]["guide_slug"] == "okx"
    assert data["enrolments"][0]["tasks_done"][0]["task"] == task.text
    note = data["question_notes"][0]
    assert note["answer_draft"] == "My answer draft"
    assert note["star"]["situation"] == "A situation"
    assert note["status"] == "practised"


@pytest.mark.django_db
def test_export_requires_login(client):
    assert client.get(reverse("accounts:export")).status_code == 302


@pytest.mark.django_db
def test_delete_with_wrong_password_deletes_nothing(client, alice_with_data):
    alice, _, _ = alice_with_data
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
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
