"""The signed-in dashboard comes from a per-candidate cache that follows every change at once."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from studyplan.models import StudyTask
from tests.factories import EnrolmentFactory, build_guide

DASHBOARD = "/dashboard/"


def _this_monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def _signed_in(user, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def _first_task(guide) -> StudyTask:
    return StudyTask.objects.filter(block__guide=guide, block__start_week=1).order_by("order")[0]


def _toggle_url(enrolment, task) -> str:
    return reverse("studyplan:task_toggle", args=[enrolment.pk, task.pk])


@pytest.fixture
def plan(alice):
    guide = build_guide(slug="okx", company="OKX", blocks=2, tasks_per_block=3)
    return EnrolmentFactory(user=alice, guide=guide, start_date=_this_monday())


@pytest.mark.django_db
@pytest.mark.parametrize("tasks_per_block", [1, 30])
def test_a_repeat_visit_costs_only_the_session_and_user_queries(
    alice, django_assert_num_queries, tasks_per_block
):
    guide = build_guide(slug="sized", blocks=4, tasks_per_block=tasks_per_block)
    EnrolmentFactory(user=alice, guide=guide, start_date=_this_monday())
    client = _signed_in(alice)
    first = client.get(DASHBOARD)

    with django_assert_num_queries(2):
        again = client.get(DASHBOARD)

    assert again.status_code == 200
    assert again.content == first.content


@pytest.mark.django_db
def test_a_tick_shows_on_the_next_dashboard_at_once(plan, alice):
    client = _signed_in(alice)
    assert "(0 of 6 tasks)" in client.get(DASHBOARD).content.decode()

    client.post(_toggle_url(plan, _first_task(plan.guide)), {"done": "1"})
    client.get(DASHBOARD)  # shows the tick's message, so it is rendered afresh anyway

    assert "(1 of 6 tasks)" in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_a_tick_made_with_htmx_shows_on_the_next_dashboard(plan, alice):
    client = _signed_in(alice)
    assert "(0 of 6 tasks)" in client.get(DASHBOARD).content.decode()

    client.post(
        _toggle_url(plan, _first_task(plan.guide)), {"done": "1"}, headers={"HX-Request": "true"}
    )

    assert "(1 of 6 tasks)" in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_candidates_never_see_each_others_cached_dashboard(plan, alice, bob, charlie):
    EnrolmentFactory(user=bob, guide=plan.guide, start_date=_this_monday())
    alice_client = _signed_in(alice)
    alice_client.post(_toggle_url(plan, _first_task(plan.guide)), {"done": "1"})
    assert "Hello, Alice" in alice_client.get(DASHBOARD).content.decode()

    bob_page = _signed_in(bob).get(DASHBOARD).content.decode()
    charlie_page = _signed_in(charlie).get(DASHBOARD).content.decode()

    assert "Hello, Bob" in bob_page
    assert "(0 of 6 tasks)" in bob_page
    assert "Alice" not in bob_page
    assert "Hello, Charlie" in charlie_page
    assert "You are not following a plan yet" in charlie_page
    assert "Alice" not in charlie_page


@pytest.mark.django_db
def test_a_recruiter_renaming_the_guide_updates_cached_dashboards(plan, alice):
    client = _signed_in(alice)
    assert "Head of Engineering at OKX" in client.get(DASHBOARD).content.decode()

    plan.guide.company = "OKX Group"
    plan.guide.save()

    assert "Head of Engineering at OKX Group" in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_an_account_change_updates_the_cached_dashboard(plan, alice):
    client = _signed_in(alice)
    assert "Hello, Alice" in client.get(DASHBOARD).content.decode()

    alice.display_name = "Alice Liddell"
    alice.save()

    assert "Hello, Alice Liddell" in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_forms_on_a_cached_dashboard_still_pass_the_csrf_check(plan, alice):
    client = _signed_in(alice, enforce_csrf=True)
    client.get(DASHBOARD)
    cached = client.get(DASHBOARD).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached).group(1)

    response = client.post(
        _toggle_url(plan, _first_task(plan.guide)), {"done": "1", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert "(1 of 6 tasks)" in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_a_second_browser_gets_its_own_copy_with_its_own_tokens(plan, alice):
    laptop = _signed_in(alice, enforce_csrf=True)
    phone = _signed_in(alice, enforce_csrf=True)
    laptop.get(DASHBOARD)

    page = phone.get(DASHBOARD).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = phone.post(
        _toggle_url(plan, _first_task(plan.guide)), {"done": "1", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_a_message_after_an_action_is_shown_once_and_never_cached(plan, alice):
    client = _signed_in(alice)
    client.get(DASHBOARD)

    client.post(reverse("studyplan:pause", args=[plan.pk]))
    with_message = client.get(DASHBOARD).content.decode()
    after = client.get(DASHBOARD).content.decode()

    assert "is paused: no reminders until you resume it." in with_message
    assert "is paused: no reminders until you resume it." not in after
    assert "Paused" in after


@pytest.fixture
def cached_db_sessions(settings):
    """Production with Redis: sessions read from the cache, which enables the fast path."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.mark.django_db
@pytest.mark.parametrize("tasks_per_block", [1, 30])
def test_with_cached_sessions_a_repeat_visit_costs_no_queries(
    cached_db_sessions, alice, django_assert_num_queries, tasks_per_block
):
    guide = build_guide(slug="sized", blocks=4, tasks_per_block=tasks_per_block)
    EnrolmentFactory(user=alice, guide=guide, start_date=_this_monday())
    client = _signed_in(alice)
    client.get(DASHBOARD)
    first = client.get(DASHBOARD)

    with django_assert_num_queries(0):
        again = client.get(DASHBOARD)

    assert again.status_code == 200
    assert again.content == first.content
    assert again["X-Frame-Options"] == "DENY"
    assert "csrftoken" not in again.cookies


@pytest.mark.django_db
def test_a_logged_out_session_is_never_served_the_stored_page(cached_db_sessions, plan, alice):
    client = _signed_in(alice)
    client.get(DASHBOARD)
    assert "Hello, Alice" in client.get(DASHBOARD).content.decode()
    stolen = {name: morsel.value for name, morsel in client.cookies.items()}

    client.post(reverse("accounts:logout"))
    replay = Client()
    for name, value in stolen.items():
        replay.cookies[name] = value
    response = replay.get(DASHBOARD)

    assert response.status_code == 302
    assert "Alice" not in response.content.decode()


@pytest.mark.django_db
def test_a_password_change_elsewhere_ends_the_stored_page_too(cached_db_sessions, plan, alice):
    client = _signed_in(alice)
    client.get(DASHBOARD)
    assert "Hello, Alice" in client.get(DASHBOARD).content.decode()

    alice.set_password("a brand new passphrase 42")
    alice.save()

    assert client.get(DASHBOARD).status_code == 302


@pytest.mark.django_db
def test_with_cached_sessions_ticks_and_other_candidates_stay_correct(
    cached_db_sessions, plan, alice, bob
):
    EnrolmentFactory(user=bob, guide=plan.guide, start_date=_this_monday())
    alice_client, bob_client = _signed_in(alice), _signed_in(bob)
    for client in (alice_client, bob_client):
        client.get(DASHBOARD)
        client.get(DASHBOARD)

    alice_client.post(
        _toggle_url(plan, _first_task(plan.guide)), {"done": "1"}, headers={"HX-Request": "true"}
    )

    alice_page = alice_client.get(DASHBOARD).content.decode()
    bob_page = bob_client.get(DASHBOARD).content.decode()
    assert "(1 of 6 tasks)" in alice_page
    assert "Hello, Bob" in bob_page
    assert "(0 of 6 tasks)" in bob_page
    assert "Alice" not in bob_page


@pytest.mark.django_db
def test_with_cached_sessions_a_message_is_shown_once(cached_db_sessions, plan, alice):
    client = _signed_in(alice)
    client.get(DASHBOARD)
    client.get(DASHBOARD)

    client.post(reverse("studyplan:pause", args=[plan.pk]))

    assert "is paused" in client.get(DASHBOARD).content.decode()
    assert "is paused: no reminders" not in client.get(DASHBOARD).content.decode()
