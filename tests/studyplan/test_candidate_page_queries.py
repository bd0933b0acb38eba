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
    # session, user, regions, desired retention
    with django_assert_num_queries(4):
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
    # ...then the review setting and review cards (their ratings are one more when there are any).
    with django_assert_num_queries(8):
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
    with django_assert_num_queries(8):
        response = client.get(reverse("api:export"))
    assert response.status_code == 200
    assert len(response.json()["enrolments"]) == guides


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", SIZES)
def test_calendar_feed_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    # user by token, enrolments with guides, blocks, user's reminder data
    with django_assert_num_queries(4):
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
