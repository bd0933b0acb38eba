import pytest
from django.urls import reverse

from studyplan.models import TaskProgress
from tests.factories import EnrolmentFactory, build_guide
from tests.studyplan.conftest import all_tasks, days_ago, tick


def plan_url(guide) -> str:
    return reverse("studyplan:plan", kwargs={"guide_slug": guide.slug})


@pytest.mark.django_db
def test_enrolled_candidate_ticks_tasks_on_the_plan_page(client, alice, alice_enrolment, guide):
    tasks = all_tasks(guide)
    tick(alice_enrolment, tasks[:1])
    client.force_login(alice)
    page = client.get(plan_url(guide)).content.decode()
    assert page.count('aria-pressed="true"') == 1
    assert page.count('aria-pressed="false"') == len(tasks) - 1
    toggle = reverse(
        "studyplan:task_toggle",
        kwargs={"enrolment_id": alice_enrolment.pk, "task_id": tasks[5].pk},
    )
    assert f'hx-post="{toggle}"' in page
    response = client.post(toggle, {"done": "1", "next": plan_url(guide)}, follow=True)
    assert response.redirect_chain[-1][0] == plan_url(guide)
    assert response.content.decode().count('aria-pressed="true"') == 2


@pytest.mark.django_db
def test_visitor_sees_plain_checklist_and_an_invitation(client, guide):
    page = client.get(plan_url(guide)).content.decode()
    assert "aria-pressed" not in page
    assert "to follow this plan week by week" in page


@pytest.mark.django_db
def test_signed_in_candidate_not_enrolled_is_offered_enrolment(client, charlie, guide):
    client.force_login(charlie)
    page = client.get(plan_url(guide)).content.decode()
    assert "Enrol to follow this plan" in page
    assert "aria-pressed" not in page


@pytest.mark.django_db
def test_plan_page_never_shows_someone_elses_ticks(client, alice, charlie, alice_enrolment, guide):
    tick(alice_enrolment, all_tasks(guide))
    EnrolmentFactory(user=charlie, guide=guide, start_date=days_ago(charlie, 0))
    client.force_login(charlie)
    page = client.get(plan_url(guide)).content.decode()
    assert 'aria-pressed="true"' not in page
    assert f"/enrolments/{alice_enrolment.pk}/" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("blocks,tasks_per_block,ticked", [(2, 2, 1), (8, 6, 20)])
def test_plan_page_adds_a_fixed_number_of_queries_when_enrolled(
    client, alice, django_assert_num_queries, blocks, tasks_per_block, ticked
):
    guide = build_guide(slug="sized", blocks=blocks, tasks_per_block=tasks_per_block)
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, 0))
    tick(enrolment, all_tasks(guide)[:ticked])
    client.force_login(alice)
    # 3 for the public page, session + user, then the enrolment, its study periods and ticks.
    with django_assert_num_queries(8):
        response = client.get(plan_url(guide))
    assert response.content.decode().count('aria-pressed="true"') == ticked
    assert TaskProgress.objects.count() == ticked


@pytest.mark.django_db
def test_plan_page_tells_the_candidate_their_week(client, alice, alice_enrolment, guide):
    client.force_login(alice)
    assert "Week 3 of 8" in client.get(plan_url(guide)).content.decode()


@pytest.mark.django_db
def test_reordering_tasks_keeps_ticks(alice, alice_enrolment, guide):
    block = guide.study_blocks.get(start_week=1)
    first, second, third = block.tasks.all()
    tick(alice_enrolment, [first])
    for task, order in ((first, 30), (third, 1), (first, 3)):
        task.order = order
        task.save()
    assert list(TaskProgress.objects.values_list("task_id", flat=True)) == [first.pk]


@pytest.mark.django_db
def test_tick_survives_guide_edits_that_keep_the_task(alice, alice_enrolment, guide):
    task = all_tasks(guide)[4]
    tick(alice_enrolment, [task])
    task.text = "Reworded task"
    task.save()
    guide.summary = "Edited"
    guide.save()
    assert TaskProgress.objects.get().task.text == "Reworded task"
