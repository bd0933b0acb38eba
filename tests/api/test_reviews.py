import datetime

import pytest
from django.urls import reverse

from practice.models import QuestionProgress, Review, ReviewCard
from tests.factories import build_guide


@pytest.fixture
def guide(db):
    return build_guide(company="OKX", slug="okx", rounds=2, questions_per_round=3)


@pytest.fixture
def question(guide):
    return guide.questions.filter(round__isnull=False).order_by("pk").first()


def rate(client, question, rating=3, **headers):
    return client.post(
        reverse("api:review-card-list"),
        {"question": question.pk, "rating": rating},
        format="json",
        headers=headers,
    )


@pytest.mark.django_db
def test_rating_creates_card_schedules_it_and_points_to_it(alice_api, alice, question):
    response = rate(alice_api, question, 3)
    assert response.status_code == 201
    body = response.json()
    assert body["review"]["rating"] == 3 and body["review"]["state_before"] is None
    assert body["card"]["state"] == "review" and body["card"]["question"] == question.pk
    assert response["Location"].endswith(f"/review-cards/{body['card']['id']}/")
    due = datetime.date.fromisoformat(body["card"]["due_date"])
    assert (due - datetime.date.today()).days in (
        body["review"]["interval_days"],
        body["review"]["interval_days"] + 1,
        body["review"]["interval_days"] - 1,
    )
    assert QuestionProgress.objects.get(user=alice).status == "practised"


@pytest.mark.django_db
def test_bad_rating_is_a_400_and_saves_nothing(alice_api, question):
    for bad in (0, 5, "good", None):
        assert rate(alice_api, question, bad).status_code == 400
    response = alice_api.post(reverse("api:review-card-list"), {"rating": 3}, format="json")
    assert response.status_code == 400
    assert not ReviewCard.objects.exists() and not Review.objects.exists()


@pytest.mark.django_db
def test_unpublished_question_cannot_be_rated(alice_api, question):
    question.is_published = False
    question.save()
    assert rate(alice_api, question).status_code == 400
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_retried_rating_with_idempotency_key_counts_once(alice_api, question):
    first = rate(alice_api, question, 3, **{"Idempotency-Key": "rate-1"})
    again = rate(alice_api, question, 3, **{"Idempotency-Key": "rate-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Review.objects.count() == 1
    assert rate(alice_api, question, 1, **{"Idempotency-Key": "rate-1"}).status_code == 422


@pytest.mark.django_db
def test_queue_lists_due_cards_oldest_first_and_card_shows_history(alice_api, guide):
    q1, q2, q3 = guide.questions.filter(round__isnull=False).order_by("pk")[:3]
    for q in (q1, q2, q3):
        rate(alice_api, q, 3)
    ReviewCard.objects.filter(question=q2).update(due="2026-01-01T10:00:00Z")
    ReviewCard.objects.filter(question=q1).update(due="2026-01-02T10:00:00Z")
    queue = alice_api.get(reverse("api:review-queue")).json()
    assert [c["question"] for c in queue["results"]] == [q2.pk, q1.pk]
    card = ReviewCard.objects.get(question=q2)
    rate(alice_api, q2, 1)
    detail = alice_api.get(reverse("api:review-card-detail", args=[card.pk])).json()
    assert [r["rating"] for r in detail["reviews"]] == [1, 3]
    assert detail["reviews"][0]["state_before"] == "review"
    assert [
        c["question"] for c in alice_api.get(reverse("api:review-queue")).json()["results"]
    ] == [q1.pk]
    assert alice_api.get(reverse("api:review-card-list")).json()["count"] == 3


@pytest.mark.django_db
def test_activity_reports_streak_days_and_readiness(alice_api, alice, guide, question):
    from tests.factories import EnrolmentFactory

    EnrolmentFactory(user=alice, guide=guide)
    rate(alice_api, question, 3)
    body = alice_api.get(reverse("api:activity")).json()
    assert body["streak"] == 1 and body["active_today"] is True
    assert body["days"][-1]["reviewed"] == 1 and body["days"][-1]["practised"] == 0
    assert 78 <= len(body["days"]) <= 84
    assert body["readiness"][0]["rounds"][0]["ready"] == 1
    assert body["due_today"] == 0


@pytest.mark.django_db
def test_charlie_sees_none_of_alices_cards_or_reviews(alice_api, charlie_api, question):
    card_id = rate(alice_api, question, 1).json()["card"]["id"]
    ReviewCard.objects.update(due="2026-01-01T10:00:00Z")
    assert charlie_api.get(reverse("api:review-card-detail", args=[card_id])).status_code == 404
    assert charlie_api.get(reverse("api:review-card-list")).json()["count"] == 0
    assert charlie_api.get(reverse("api:review-queue")).json()["count"] == 0
    activity = charlie_api.get(reverse("api:activity")).json()
    assert activity["streak"] == 0 and not any(day["total"] for day in activity["days"])


@pytest.mark.django_db
def test_review_endpoints_need_a_signed_in_candidate(api):
    for name in ("api:review-queue", "api:review-card-list", "api:activity"):
        assert api.get(reverse(name)).status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("cards", [0, 30])
def test_review_lists_cost_the_same_queries_at_any_size(
    alice_api, guide, cards, django_assert_num_queries
):
    from tests.factories import QuestionFactory

    for _ in range(cards):
        rate(alice_api, QuestionFactory(guide=guide, round=guide.rounds.first()), 1)
    ReviewCard.objects.update(due="2026-01-01T10:00:00Z")
    # The token with its user, the count, then the page (skipped when the count is 0).
    expected = 3 if cards else 2
    with django_assert_num_queries(expected):
        assert alice_api.get(reverse("api:review-queue")).json()["count"] == cards
    with django_assert_num_queries(expected):
        alice_api.get(reverse("api:review-card-list"))


@pytest.mark.django_db
def test_readiness_names_guides_and_rounds_as_the_rest_of_the_api_does(alice_api, alice, guide):
    """Readiness gave a guide id (guides are addressed by slug) and round titles only."""
    from tests.factories import EnrolmentFactory

    EnrolmentFactory(user=alice, guide=guide)

    (readiness,) = alice_api.get(reverse("api:activity")).json()["readiness"]

    assert readiness["guide"] == "okx" and readiness["guide_id"] == guide.pk
    rounds = alice_api.get(f"/api/v1/guides/{readiness['guide']}/rounds/").json()["results"]
    assert [(r["id"], r["slug"], r["title"]) for r in readiness["rounds"]] == [
        (r["id"], r["slug"], r["title"]) for r in rounds
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("rating", ["3", 3.0, True, [3]])
def test_a_rating_of_another_json_type_is_refused_as_the_question_id_is(
    alice_api, question, rating
):
    """{"question": "9"} was refused as the wrong type while {"rating": "3"} was taken as 3."""
    response = rate(alice_api, question, rating)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["rating"]
    assert not Review.objects.exists()
