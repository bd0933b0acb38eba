"""Headers a client developer expects: Location on 201, Link for pages, RateLimit-*."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from practice.models import QuestionProgress
from studyplan.models import Enrolment
from tests.factories import QuestionFactory, build_guide


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"}
    )


@pytest.mark.django_db
def test_enrolling_answers_201_with_the_location_of_the_new_enrolment(alice_api, alice):
    build_guide(slug="okx")

    response = alice_api.post("/api/v1/enrolments/", {"guide": "okx"}, format="json")

    enrolment = Enrolment.objects.get(user=alice)
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/v1/enrolments/{enrolment.pk}/"
    assert alice_api.get(response["Location"]).data["id"] == enrolment.pk


@pytest.mark.django_db
def test_first_practice_answers_201_with_a_location_and_later_ones_200(alice_api, alice):
    question = QuestionFactory(guide=build_guide())

    first = alice_api.post("/api/v1/practice/", {"question": question.pk}, format="json")
    again = alice_api.post(
        "/api/v1/practice/", {"question": question.pk, "status": "practised"}, format="json"
    )

    notes = QuestionProgress.objects.get(user=alice)
    assert first.status_code == 201
    assert first["Location"] == f"http://testserver/api/v1/practice/{notes.pk}/"
    assert again.status_code == 200
    assert "Location" not in again


def _links(response) -> dict[str, str]:
    links = {}
    for part in response["Link"].split(", "):
        target, rel = part.split("; ")
        links[rel.removeprefix('rel="').removesuffix('"')] = target.strip("<>")
    return links


@pytest.mark.django_db
def test_lists_link_to_first_previous_next_and_last_pages(api):
    for number in range(5):
        build_guide(slug=f"guide-{number}")

    middle = api.get("/api/v1/guides/?page=2&page_size=2")
    first = api.get("/api/v1/guides/?page_size=2")
    only = api.get("/api/v1/guides/?page_size=50")

    base = "http://testserver/api/v1/guides/"
    assert _links(middle) == {
        "first": f"{base}?page_size=2",
        "prev": f"{base}?page_size=2",
        "next": f"{base}?page=3&page_size=2",
        "last": f"{base}?page=3&page_size=2",
    }
    assert _links(middle)["next"] == middle.data["next"]
    assert set(_links(first)) == {"first", "next", "last"}
    assert _links(only) == {"first": f"{base}?page_size=50", "last": f"{base}?page_size=50"}


@pytest.mark.django_db
def test_link_headers_survive_the_cache_for_signed_in_callers(alice_api):
    for number in range(3):
        build_guide(slug=f"guide-{number}")

    fresh = alice_api.get("/api/v1/guides/?page_size=2")
    stored = alice_api.get("/api/v1/guides/?page_size=2")

    assert stored["Link"] == fresh["Link"]
    assert 'rel="next"' in stored["Link"]


@pytest.mark.django_db
def test_answers_tell_the_remaining_allowance_and_when_it_resets(api, low_rates):
    build_guide()

    answers = [api.get("/api/v1/guides/") for _ in range(4)]

    # The first answer is rendered, the next two come from the page cache: all count.
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert {a["RateLimit-Limit"] for a in answers} == {"3"}
    assert 0 < int(answers[0]["RateLimit-Reset"]) <= 60
    assert answers[3].status_code == 429
    assert int(answers[3]["Retry-After"]) > 0


@pytest.mark.django_db
def test_a_candidates_allowance_is_their_own(alice_api, charlie_api, low_rates):
    alice_answers = [alice_api.get("/api/v1/me/") for _ in range(2)]
    charlies = charlie_api.get("/api/v1/me/")

    assert [a["RateLimit-Remaining"] for a in alice_answers] == ["4", "3"]
    assert alice_answers[0]["RateLimit-Limit"] == "5"
    assert charlies["RateLimit-Remaining"] == "4"


@pytest.mark.django_db
def test_pages_of_the_site_carry_no_rate_limit_headers(client):
    build_guide()

    assert "RateLimit-Limit" not in client.get("/")
