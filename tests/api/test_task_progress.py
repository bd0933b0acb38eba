import datetime

import pytest

from studyplan.models import StudyTask, TaskProgress
from tests.factories import EnrolmentFactory, build_guide


@pytest.fixture
def guide(db):
    return build_guide(slug="okx", blocks=2, tasks_per_block=2)


@pytest.fixture
def alices(alice, guide):
    return EnrolmentFactory(user=alice, guide=guide, start_date=datetime.date.today())


def _task(guide, block_index: int = 0, order: int = 1) -> StudyTask:
    return StudyTask.objects.filter(block__guide=guide).order_by("block__start_week", "order")[
        block_index * 2 + order - 1
    ]


def test_task_list_shows_the_plan_in_order_with_ticks(alice_api, alices, guide):
    ticked = _task(guide, 1, 2)
    TaskProgress.objects.create(enrolment=alices, task=ticked)

    response = alice_api.get(f"/api/v1/enrolments/{alices.pk}/tasks/")

    assert response.status_code == 200
    rows = response.data["results"]
    assert [(r["start_week"], r["order"]) for r in rows] == [(1, 1), (1, 2), (5, 1), (5, 2)]
    assert [r["done"] for r in rows] == [False, False, False, True]
    assert rows[3]["done_at"] is not None


def test_ticking_and_unticking_a_task(alice_api, alices, guide):
    task = _task(guide)
    url = f"/api/v1/enrolments/{alices.pk}/tasks/{task.pk}/"

    ticked = alice_api.put(url, {"done": True}, format="json")
    ticked_again = alice_api.put(url, {"done": True}, format="json")
    enrolment = alice_api.get(f"/api/v1/enrolments/{alices.pk}/")
    unticked = alice_api.put(url, {"done": False}, format="json")

    assert ticked.status_code == 200
    assert ticked.data["done"] is True
    assert ticked_again.status_code == 200
    assert enrolment.data["tasks_done"] == 1
    assert unticked.data["done"] is False
    assert not TaskProgress.objects.filter(enrolment=alices).exists()


def test_a_task_from_another_guide_is_not_found(alice_api, alices):
    other = build_guide(slug="other", blocks=1, tasks_per_block=1)
    foreign = StudyTask.objects.get(block__guide=other)

    response = alice_api.put(
        f"/api/v1/enrolments/{alices.pk}/tasks/{foreign.pk}/", {"done": True}, format="json"
    )

    assert response.status_code == 404
    assert not TaskProgress.objects.exists()


def test_ticking_needs_a_yes_or_no(alice_api, alices, guide):
    response = alice_api.put(
        f"/api/v1/enrolments/{alices.pk}/tasks/{_task(guide).pk}/", {"done": "maybe"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.data["error"]["fields"]) == ["done"]


def test_ticking_in_a_plan_the_candidate_left_is_refused(alice_api, alices, guide):
    alice_api.post(f"/api/v1/enrolments/{alices.pk}/leave/")

    response = alice_api.put(
        f"/api/v1/enrolments/{alices.pk}/tasks/{_task(guide).pk}/", {"done": True}, format="json"
    )

    assert response.status_code == 409
    assert "left this guide" in response.data["error"]["message"]
    assert not TaskProgress.objects.exists()


def test_another_candidate_cannot_see_or_tick_the_tasks(charlie_api, alices, guide):
    url = f"/api/v1/enrolments/{alices.pk}/tasks/{_task(guide).pk}/"

    assert charlie_api.get(url).status_code == 404
    assert charlie_api.put(url, {"done": True}, format="json").status_code == 404
    assert not TaskProgress.objects.exists()


def test_anonymous_visitors_cannot_tick(api, alices, guide):
    url = f"/api/v1/enrolments/{alices.pk}/tasks/{_task(guide).pk}/"

    assert api.put(url, {"done": True}, format="json").status_code == 401
    assert not TaskProgress.objects.exists()


def test_task_list_costs_the_same_queries_for_small_and_large_plans(
    alice_api, alice, django_assert_num_queries
):
    small = EnrolmentFactory(user=alice, guide=build_guide(slug="s", blocks=1, tasks_per_block=1))
    large = EnrolmentFactory(user=alice, guide=build_guide(slug="l", blocks=4, tasks_per_block=5))
    TaskProgress.objects.create(
        enrolment=large, task=StudyTask.objects.filter(block__guide__slug="l").first()
    )
    for enrolment in (small, large):
        # Token auth (user), enrolment with its blocks, study periods and round dates, count, page.
        with django_assert_num_queries(7):
            assert alice_api.get(f"/api/v1/enrolments/{enrolment.pk}/tasks/").status_code == 200


def test_one_task_shows_whether_it_is_done(alice_api, alices, guide):
    task = _task(guide, 0, 2)
    TaskProgress.objects.create(enrolment=alices, task=task)

    response = alice_api.get(f"/api/v1/enrolments/{alices.pk}/tasks/{task.pk}/")

    assert response.status_code == 200
    assert response.data["text"] == task.text
    assert response.data["done"] is True
    assert response.data["start_week"] == 1
