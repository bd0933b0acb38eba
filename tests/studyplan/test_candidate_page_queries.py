"""Every candidate page besides the dashboard costs a fixed number of queries, whatever it holds.

The sizes differ in enrolments, tasks, ticks and practised questions (the dashboard test's data).
"""

import json

import pytest
from django.urls import reverse

from accounts.api_tokens import api_token_create
from studyplan.models import Enrolment
from tests.factories import build_guide
from tests.studyplan.test_dashboard import _populate

SIZES = [(1, 1), (4, 6)]


def _latest_enrolment(user) -> Enrolment:
    return Enrolment.objects.filter(user=user).select_related("guide").order_by("-pk").first()


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_account_settings_page_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    client.force_login(alice)
    # session, user, regions, desired retention, plans with reminders off
    Enrolment.objects.filter(user=alice).update(reminders_enabled=False)
    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    assert "Time zone" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_api_tokens_page_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    for n in range(guides):
        api_token_create(user=alice, name=f"Device {n}")
    client.force_login(alice)
    with django_assert_num_queries(3):
        response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(f"Device {n}" in page for n in range(guides))


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_data_export_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    client.force_login(alice)
    # as before, plus each enrolment's study periods and round dates (prefetched), then the
    # review setting and review cards, then the candidate's stories and mocks.
    with django_assert_num_queries(12):
        response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    data = json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert len(data["enrolments"]) == guides


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_api_data_export_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    client.force_login(alice)
    # The same as the page's export (above).
    with django_assert_num_queries(12):
        response = client.get(reverse("api:export"))
    assert response.status_code == 200
    assert len(response.json()["enrolments"]) == guides


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_calendar_feed_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    # user by token, enrolments with guides, blocks, tasks, study periods, round dates
    with django_assert_num_queries(6):
        response = client.get(reverse("studyplan:calendar", kwargs={"token": alice.calendar_token}))
    assert response.status_code == 200
    assert response.content.decode().count("BEGIN:VEVENT") >= guides


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_enrolment_settings_page_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    enrolment = _latest_enrolment(alice)
    client.force_login(alice)
    with django_assert_num_queries(4):
        response = client.get(reverse("studyplan:settings", kwargs={"enrolment_id": enrolment.pk}))
    assert response.status_code == 200
    assert enrolment.guide.title in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_replan_page_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    enrolment = _latest_enrolment(alice)
    client.force_login(alice)
    with django_assert_num_queries(6):
        response = client.get(reverse("studyplan:replan", kwargs={"enrolment_id": enrolment.pk}))
    assert response.status_code == 200
    assert enrolment.guide.title in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_enrol_page_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    fresh = build_guide(company="Fresh", slug="fresh-guide", rounds=guides + 1, blocks=guides + 1)
    client.force_login(alice)
    with django_assert_num_queries(5):
        response = client.get(reverse("studyplan:enrol", kwargs={"guide_slug": fresh.slug}))
    assert response.status_code == 200
    assert "Start date" in response.content.decode()


def _book_every_round(enrolment) -> None:
    import datetime

    from studyplan.models import RoundBooking

    for n, rnd in enumerate(enrolment.guide.rounds.all()):
        RoundBooking.objects.create(
            enrolment=enrolment,
            round=rnd,
            date=datetime.date(2027, 1, 4) + datetime.timedelta(days=n),
            time_zone="Europe/London",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_replan_preview_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    import datetime

    _populate(alice, guides, practised)
    enrolment = _latest_enrolment(alice)
    client.force_login(alice)
    interview = enrolment.local_today() + datetime.timedelta(days=20)
    data = {"mode": "target", "target_interview_date": interview.isoformat()}
    # session, user, enrolment; preview: blocks, tasks, ticks; the page's progress: blocks,
    # tasks, ticks
    with django_assert_num_queries(9):
        response = client.post(
            reverse("studyplan:replan", kwargs={"enrolment_id": enrolment.pk}), data
        )
    assert "Check the new dates" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_round_dates_page_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    enrolment = _latest_enrolment(alice)
    _book_every_round(enrolment)
    client.force_login(alice)
    # session, user, enrolment, its round dates, the guide's rounds
    with django_assert_num_queries(5):
        response = client.get(
            reverse("studyplan:round_dates", kwargs={"enrolment_id": enrolment.pk})
        )
    assert response.content.decode().count("Remove this date") == enrolment.guide.rounds.count()


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_leave_confirmation_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    enrolment = _latest_enrolment(alice)
    client.force_login(alice)
    # session, user, enrolment
    with django_assert_num_queries(3):
        response = client.get(reverse("studyplan:leave", kwargs={"enrolment_id": enrolment.pk}))
    assert "Keep following it" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_dashboard_with_round_dates_and_fitted_plans_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    import datetime

    from studyplan.services import enrolment_replan

    _populate(alice, guides, practised)
    for enrolment in Enrolment.objects.filter(user=alice):
        _book_every_round(enrolment)
        enrolment_replan(
            enrolment=enrolment,
            mode="target",
            target_interview_date=enrolment.local_today() + datetime.timedelta(days=20),
        )
    client.force_login(alice)
    # As without them (tests/studyplan/test_dashboard.py): periods and round dates are prefetched.
    with django_assert_num_queries(14):
        response = client.get(reverse("studyplan:dashboard"))
    assert response.content.decode().count("Study period 1 of") == guides
