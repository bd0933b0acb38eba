"""Charlie must never read or change Alice's enrolment, progress, notes, export or calendar."""

import json

import pytest
from django.urls import reverse

from practice.models import QuestionProgress
from practice.services import question_practice
from studyplan.models import Enrolment, EnrolmentStatus, TaskProgress
from tests.studyplan.conftest import all_tasks, local_today, tick


@pytest.fixture
def alice_data(alice, alice_enrolment, guide):
    tick(alice_enrolment, all_tasks(guide)[:2])
    note = question_practice(
        user=alice,
        question=guide.questions.first(),
        status="practised",
        answer_draft="ALICE-SECRET-DRAFT",
    )
    return alice_enrolment, note


def snapshot(enrolment):
    enrolment.refresh_from_db()
    return (
        enrolment.status,
        enrolment.start_date,
        enrolment.target_interview_date,
        enrolment.reminders_enabled,
        sorted(TaskProgress.objects.values_list("task_id", flat=True)),
        list(QuestionProgress.objects.values_list("status", "answer_draft")),
    )


@pytest.mark.django_db
def test_charlie_gets_404_on_every_enrolment_url_of_alice(client, charlie, alice_data, guide):
    enrolment, _ = alice_data
    before = snapshot(enrolment)
    client.force_login(charlie)
    eid = enrolment.pk
    task = all_tasks(guide)[5]
    for name in ("pause", "resume", "leave"):
        assert client.post(reverse(f"studyplan:{name}", args=[eid])).status_code == 404
    for name in ("replan", "settings"):
        assert client.get(reverse(f"studyplan:{name}", args=[eid])).status_code == 404
    assert (
        client.post(
            reverse("studyplan:replan", args=[eid]),
            {"mode": "target", "target_interview_date": "2099-01-01"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("studyplan:settings", args=[eid]), {"reminders_enabled": ""}
        ).status_code
        == 404
    )
    for done in ("1", "0"):
        for t in (task, all_tasks(guide)[0]):
            url = reverse("studyplan:task_toggle", args=[eid, t.pk])
            assert client.post(url, {"done": done}).status_code == 404
    assert snapshot(enrolment) == before


@pytest.mark.django_db
def test_charlie_cannot_delete_alices_notes(client, charlie, alice_data):
    _, note = alice_data
    client.force_login(charlie)
    assert client.post(reverse("practice:note_delete", args=[note.pk])).status_code == 404
    assert QuestionProgress.objects.filter(pk=note.pk).exists()


@pytest.mark.django_db
def test_charlie_never_sees_alices_notes_or_progress(client, charlie, alice_data, guide):
    client.force_login(charlie)
    question = guide.questions.first()
    pages = [
        reverse("studyplan:dashboard"),
        reverse("practice:notes"),
        question.get_absolute_url(),
        reverse("studyplan:plan", args=[guide.slug]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert "ALICE-SECRET-DRAFT" not in page
        assert "Week 3 of 8" not in page
    export = json.loads(client.get(reverse("accounts:export")).content)
    assert export["profile"]["email"] == "charlie@example.com"
    assert export["enrolments"] == []
    assert export["question_notes"] == []


@pytest.mark.django_db
def test_charlie_practising_the_same_question_does_not_touch_alices_notes(
    client, charlie, alice_data, guide
):
    _, note = alice_data
    question = guide.questions.first()
    client.force_login(charlie)
    client.post(
        reverse("practice:question", args=[guide.slug, question.slug]),
        {"status": "confident", "answer_draft": "Charlie's", "user": note.user_id, "id": note.pk},
    )
    note.refresh_from_db()
    assert note.answer_draft == "ALICE-SECRET-DRAFT"
    assert QuestionProgress.objects.get(user=charlie).answer_draft == "Charlie's"


@pytest.mark.django_db
def test_forged_user_field_on_enrol_enrols_only_the_signed_in_candidate(
    client, alice, charlie, guide
):
    client.force_login(charlie)
    client.post(
        reverse("studyplan:enrol", args=[guide.slug]),
        {"start_date": local_today(charlie).isoformat(), "user": alice.pk, "user_id": alice.pk},
    )
    assert not Enrolment.objects.filter(user=alice).exists()
    assert Enrolment.objects.filter(user=charlie).exists()


@pytest.mark.django_db
def test_charlie_cannot_read_alices_calendar_with_his_token(client, alice, charlie, alice_data):
    feed = client.get(reverse("studyplan:calendar", args=[charlie.calendar_token]))
    assert feed.status_code == 200
    assert b"VEVENT" not in feed.content


@pytest.mark.django_db
def test_charlies_leave_does_not_affect_alices_same_guide(
    client, alice, charlie, alice_data, guide
):
    enrolment, _ = alice_data
    client.force_login(charlie)
    client.post(reverse("studyplan:enrol", args=[guide.slug]), {"start_date": enrolment.start_date})
    mine = Enrolment.objects.get(user=charlie)
    client.post(reverse("studyplan:leave", args=[mine.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
