import pytest
from django.test import Client
from django.urls import reverse

from studyplan.models import EnrolmentStatus, TaskProgress
from tests.factories import build_guide
from tests.studyplan.conftest import all_tasks, tick


def toggle_url(enrolment, task) -> str:
    return reverse(
        "studyplan:task_toggle", kwargs={"enrolment_id": enrolment.pk, "task_id": task.pk}
    )


@pytest.mark.django_db
def test_tick_and_untick_are_idempotent(client, alice, alice_enrolment, guide):
    task = all_tasks(guide)[0]
    client.force_login(alice)
    for _ in range(2):
        client.post(toggle_url(alice_enrolment, task), {"done": "1"})
    assert TaskProgress.objects.filter(enrolment=alice_enrolment, task=task).count() == 1
    for _ in range(2):
        client.post(toggle_url(alice_enrolment, task), {"done": "0"})
    assert not TaskProgress.objects.filter(enrolment=alice_enrolment).exists()


@pytest.mark.django_db
def test_plain_post_redirects_back_with_a_message(client, alice, alice_enrolment, guide):
    task = all_tasks(guide)[0]
    client.force_login(alice)
    response = client.post(
        toggle_url(alice_enrolment, task),
        {"done": "1", "next": reverse("studyplan:dashboard")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("studyplan:dashboard")
    assert f"Done: {task.text}" in response.content.decode()


@pytest.mark.django_db
def test_next_pointing_elsewhere_is_ignored(client, alice, alice_enrolment, guide):
    client.force_login(alice)
    response = client.post(
        toggle_url(alice_enrolment, all_tasks(guide)[0]),
        {"done": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("studyplan:dashboard")


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["dashboard", "studyplan:dashboard", "javascript:alert(1)"])
def test_next_that_is_not_a_path_is_ignored(client, alice, alice_enrolment, guide, target):
    client.force_login(alice)
    response = client.post(
        toggle_url(alice_enrolment, all_tasks(guide)[0]), {"done": "1", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("studyplan:dashboard")


@pytest.mark.django_db
def test_htmx_request_gets_the_updated_item_only(client, alice, alice_enrolment, guide):
    task = all_tasks(guide)[0]
    client.force_login(alice)
    response = client.post(
        toggle_url(alice_enrolment, task), {"done": "1"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<li class="task task--done"')
    assert 'aria-pressed="true"' in body
    assert "Marked done" in body
    assert "<html" not in body


@pytest.mark.django_db
def test_missing_or_bad_done_value_changes_nothing(client, alice, alice_enrolment, guide):
    client.force_login(alice)
    response = client.post(
        toggle_url(alice_enrolment, all_tasks(guide)[0]), {"done": "maybe"}, follow=True
    )
    assert "nothing was changed" in response.content.decode()
    assert not TaskProgress.objects.exists()


@pytest.mark.django_db
def test_task_of_another_guide_is_404(client, alice, alice_enrolment):
    other_task = all_tasks(build_guide(company="Acme", slug="acme", blocks=1))[0]
    client.force_login(alice)
    response = client.post(toggle_url(alice_enrolment, other_task), {"done": "1"})
    assert response.status_code == 404
    assert not TaskProgress.objects.exists()


@pytest.mark.django_db
def test_left_plan_cannot_be_ticked(client, alice, alice_enrolment, guide):
    alice_enrolment.status = EnrolmentStatus.LEFT
    alice_enrolment.save()
    client.force_login(alice)
    response = client.post(
        toggle_url(alice_enrolment, all_tasks(guide)[0]), {"done": "1"}, follow=True
    )
    assert "enrol again" in response.content.decode()
    assert not TaskProgress.objects.exists()


@pytest.mark.django_db
def test_tick_needs_a_csrf_token(alice, alice_enrolment, guide):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(toggle_url(alice_enrolment, all_tasks(guide)[0]), {"done": "1"})
    assert response.status_code == 403
    assert not TaskProgress.objects.exists()


@pytest.mark.django_db
def test_tick_works_with_the_token_from_the_page(alice, alice_enrolment, guide):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(reverse("studyplan:dashboard"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        toggle_url(alice_enrolment, all_tasks(guide)[3]),
        {"done": "1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert TaskProgress.objects.count() == 1


@pytest.mark.django_db
def test_htmx_tick_on_dashboard_updates_progress_and_behind_notice(
    client, alice, alice_enrolment, guide
):
    first_block = all_tasks(guide)[:3]
    tick(alice_enrolment, first_block[:2])
    client.force_login(alice)
    response = client.post(
        toggle_url(alice_enrolment, first_block[2]),
        {"done": "1"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/dashboard/"},
    )
    body = response.content.decode()
    assert f'id="progress-{alice_enrolment.pk}" hx-swap-oob="true"' in body
    assert "(3 of 12 tasks)" in body
    assert f'id="behind-{alice_enrolment.pk}" hx-swap-oob="true"' in body
    assert "You are behind schedule" not in body


@pytest.mark.django_db
def test_htmx_tick_on_dashboard_starts_the_streak_in_place(client, alice, alice_enrolment, guide):
    # The dashboard said "No streak yet: ... tick a task to start one" right after a tick.
    client.force_login(alice)
    before = client.get("/dashboard/").content.decode()
    assert "No streak yet" in before
    response = client.post(
        toggle_url(alice_enrolment, all_tasks(guide)[0]),
        {"done": "1"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/dashboard/"},
    )
    body = response.content.decode()
    assert 'id="activity" aria-labelledby="activity-heading" hx-swap-oob="true"' in body
    assert "1-day streak" in body
    assert "No streak yet" not in body
    # The heatmap's days are the candidate's own (Alice is in London).
    assert "that day (Europe/London)" in body


@pytest.mark.django_db
def test_htmx_tick_elsewhere_swaps_only_the_task(client, alice, alice_enrolment, guide):
    client.force_login(alice)
    response = client.post(
        toggle_url(alice_enrolment, all_tasks(guide)[0]),
        {"done": "1"},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://testserver/guides/{guide.slug}/plan/",
        },
    )
    assert "hx-swap-oob" not in response.content.decode()
