"""Nothing a signed-in candidate is shown may be kept by a shared cache or the browser's disk."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.api_tokens import api_token_create
from practice.models import QuestionProgress
from tests.factories import EnrolmentFactory, build_guide

from .urlwalk import all_routes

# Published content, the same for everyone: the API marks it public itself (revalidated by ETag).
PUBLIC_API = {
    "api:root",
    # ReDoc's script, the same bytes for everyone and cached a day.
    "api:redoc-bundle",
    "api:schema",
    "api:guide-list",
    "api:guide-detail",
    "api:round-list",
    "api:round-detail",
    "api:variant-list",
    "api:variant-detail",
    "api:block-list",
    "api:region-list",
    "api:region-detail",
    "api:question-list",
    "api:question-detail",
    "api:tag-list",
}


@pytest.fixture
def candidate_site(alice):
    guide = build_guide(company="OKX", slug="okx-head-of-engineering", rounds=1, regions=1)
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    question = guide.questions.first()
    QuestionProgress.objects.create(
        user=alice, question=question, guide=guide, question_text=question.text
    )
    return {
        "guide_slug": guide.slug,
        "round_slug": "round-1",
        "region_slug": "region-0",
        "question_slug": question.slug,
        "enrolment_id": str(enrolment.pk),
        "pk": str(enrolment.pk),
        "token": alice.calendar_token,
    }


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def _site_routes():
    return [route for route in all_routes() if not route.name.startswith(("admin:", "api:"))]


def test_every_page_a_candidate_opens_is_private_and_not_stored(candidate_site, alice):
    client = Client()
    client.force_login(alice)
    checked, failures = [], []
    for route in _site_routes():
        try:
            url = route.url(candidate_site)
        except KeyError:
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue
        checked.append(route.name)
        if route.name == "studyplan:calendar":
            # Fetched by calendar apps without a session; the secret address is the key.
            expected = {"private"}
        else:
            expected = {"private", "no-store"}
        if not expected <= _directives(response):
            failures.append((route.name, response.get("Cache-Control")))
    # A second visit, served from the candidate's page cache, too.
    again = client.get("/dashboard/")

    assert {"studyplan:dashboard", "practice:notes", "accounts:settings", "accounts:export"} <= (
        set(checked)
    )
    assert {"studyplan:settings", "rounds:guide", "accounts:api_tokens"} <= set(checked)
    assert failures == []
    assert {"private", "no-store"} <= _directives(again)


def test_every_candidate_api_answer_is_private_and_not_stored(candidate_site, alice):
    client = APIClient()
    _, key = api_token_create(user=alice, name="Phone")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    checked, failures = [], []
    for route in all_routes():
        if not route.name.startswith("api:") or route.name in PUBLIC_API:
            continue
        try:
            url = route.url(candidate_site | {"task_id": "1"})
        except KeyError:
            continue
        response = client.get(url)
        checked.append(route.name)
        if not {"private", "no-store"} <= _directives(response):
            failures.append((route.name, response.status_code, response.get("Cache-Control")))

    assert {"api:profile", "api:export", "api:enrolment-list", "api:practice-list"} <= set(checked)
    assert failures == []


@pytest.mark.django_db
def test_public_pages_keep_their_caching_for_visitors():
    guide = build_guide(company="OKX", slug="okx-head-of-engineering", rounds=1)
    visitor = Client()

    page = visitor.get(guide.get_absolute_url())
    api = visitor.get(f"/api/v1/guides/{guide.slug}/")

    assert "Cache-Control" not in page
    assert _directives(api) == {"public", "no-cache"}
