"""A request the object's current state forbids answers 409 `conflict`, and changes nothing."""

import datetime

import pytest

from practice.models import QuestionProgress
from studyplan.models import Enrolment, EnrolmentStatus, StudyTask, TaskProgress
from tests.factories import EnrolmentFactory, QuestionFactory, build_guide


@pytest.fixture
def guide(db):
    return build_guide(slug="okx", blocks=1, tasks_per_block=2)


def _enrolment(alice, guide, status):
    return EnrolmentFactory(
        user=alice, guide=guide, start_date=datetime.date.today(), status=status
    )


@pytest.mark.parametrize(
    ("status", "action", "body", "says"),
    [
        (EnrolmentStatus.PAUSED, "pause/", None, "Only an active plan can be paused."),
        (EnrolmentStatus.LEFT, "pause/", None, "Only an active plan can be paused."),
        (EnrolmentStatus.ACTIVE, "resume/", None, "Only a paused plan can be resumed."),
        (EnrolmentStatus.LEFT, "resume/", None, "Only a paused plan can be resumed."),
        (EnrolmentStatus.LEFT, "leave/", None, "You have already left this guide."),
        (EnrolmentStatus.LEFT, "replan/", {"mode": "shift"}, "enrol again to plan it"),
    ],
)
def test_plan_actions_the_state_forbids_are_conflicts(
    alice_api, alice, guide, status, action, body, says
):
    enrolment = _enrolment(alice, guide, status)
    before = Enrolment.objects.values().get(pk=enrolment.pk)

    response = alice_api.post(f"/api/v1/enrolments/{enrolment.pk}/{action}", body, format="json")

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.data["code"] == response.data["error"]["code"] == "conflict"
    assert response.data["title"] == "Conflict with the current state"
    assert says in response.data["detail"]
    assert Enrolment.objects.values().get(pk=enrolment.pk) == before


def test_replanning_a_finished_plan_is_a_conflict(alice_api, alice, guide):
    enrolment = _enrolment(alice, guide, EnrolmentStatus.ACTIVE)
    for task in StudyTask.objects.filter(block__guide=guide):
        TaskProgress.objects.create(enrolment=enrolment, task=task)

    response = alice_api.post(
        f"/api/v1/enrolments/{enrolment.pk}/replan/", {"mode": "shift"}, format="json"
    )

    assert response.status_code == 409
    assert "nothing left to re-plan" in response.data["detail"]


def test_enrolling_twice_is_a_conflict_but_enrolling_after_leaving_is_not(alice_api, alice, guide):
    enrolment = _enrolment(alice, guide, EnrolmentStatus.PAUSED)

    twice = alice_api.post("/api/v1/enrolments/", {"guide": "okx"}, format="json")
    alice_api.post(f"/api/v1/enrolments/{enrolment.pk}/leave/")
    again = alice_api.post("/api/v1/enrolments/", {"guide": "okx"}, format="json")

    assert twice.status_code == 409
    assert again.status_code == 201


def test_ticking_a_task_of_a_plan_left_is_a_conflict(alice_api, alice, guide):
    enrolment = _enrolment(alice, guide, EnrolmentStatus.LEFT)
    task = StudyTask.objects.filter(block__guide=guide).first()

    response = alice_api.put(
        f"/api/v1/enrolments/{enrolment.pk}/tasks/{task.pk}/", {"done": True}, format="json"
    )

    assert response.status_code == 409
    assert not TaskProgress.objects.exists()


def test_changing_notes_of_an_unpublished_question_is_a_conflict(alice_api, alice, guide):
    question = QuestionFactory(guide=guide)
    notes = QuestionProgress.objects.create(
        user=alice, question=question, guide=guide, question_text=question.text
    )
    question.is_published = False
    question.save()

    response = alice_api.patch(
        f"/api/v1/practice/{notes.pk}/", {"answer_draft": "new"}, format="json"
    )

    assert response.status_code == 409
    assert response.data["detail"] == "This question is not available."
    notes.refresh_from_db()
    assert notes.answer_draft == ""


def test_the_site_still_shows_the_same_message_for_a_conflict(client, alice, guide):
    enrolment = _enrolment(alice, guide, EnrolmentStatus.PAUSED)
    client.force_login(alice)

    response = client.post(f"/enrolments/{enrolment.pk}/pause/", follow=True)

    assert "Only an active plan can be paused." in response.content.decode()
