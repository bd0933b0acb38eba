"""The dashboard, review queue and question page cost the same queries at 0 and 300 practised."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from practice import review
from practice.models import QuestionProgress, Review, ReviewCard
from practice.review_models import Rating
from tests.factories import EnrolmentFactory, build_guide

# Counted once and pinned: a page whose count grows with the candidate's history fails here. The
# dashboard: the 14 of tests/studyplan/test_dashboard.py (the plan's periods and round dates too).
DASHBOARD_QUERIES = 14
# With nothing due the queue needs neither the count nor the method for the question's kind, but
# looks for the next day reviews fall due (one more query to count them when there is one).
QUEUE_QUERIES = {0: 4, 300: 5}
QUESTION_QUERIES = 11


@pytest.fixture
def big_guide(db):
    return build_guide(company="Scale", slug="scale-guide", rounds=10, questions_per_round=30)


def practise_all(user, guide, count: int) -> None:
    """`count` practised questions, each rated once and due for review today or earlier."""
    questions = list(guide.questions.filter(round__isnull=False).order_by("pk")[:count])
    if not questions:
        return
    now = timezone.now()
    sample = review.review_submit(user=user, question=questions[0], rating=Rating.GOOD)
    rest = questions[1:]
    QuestionProgress.objects.bulk_create(
        QuestionProgress(
            user=user,
            question=q,
            guide=guide,
            guide_title=guide.title,
            question_text=q.text,
            status="practised",
            last_practised_at=now - datetime.timedelta(days=i % 80),
        )
        for i, q in enumerate(rest)
    )
    cards = ReviewCard.objects.bulk_create(
        ReviewCard(
            user=user,
            question=q,
            state=2,
            due=now - datetime.timedelta(days=i % 5),
            last_review=now - datetime.timedelta(days=i % 80),
            fsrs_card=sample.card.fsrs_card,
        )
        for i, q in enumerate(rest)
    )
    Review.objects.bulk_create(
        Review(
            card=card,
            user=user,
            rating=3,
            reviewed_at=card.last_review,
            state_after=2,
            due_after=card.due,
            interval_days=2,
        )
        for card in cards
    )
    ReviewCard.objects.filter(user=user).update(due=now - datetime.timedelta(days=1))


@pytest.mark.django_db
@pytest.mark.parametrize("practised", [0, 300])
def test_review_pages_queries_do_not_grow_with_practice(
    client, alice, big_guide, practised, django_assert_num_queries
):
    EnrolmentFactory(user=alice, guide=big_guide)
    practise_all(alice, big_guide, practised)
    assert ReviewCard.objects.filter(user=alice).count() == practised
    question = big_guide.questions.filter(round__isnull=False).order_by("pk").first()
    client.force_login(alice)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        page = client.get(reverse("studyplan:dashboard"))
    assert f"Due for review today: {practised}" in page.content.decode()
    with django_assert_num_queries(QUEUE_QUERIES[practised]):
        page = client.get(reverse("practice:review_queue"))
    assert page.status_code == 200
    with django_assert_num_queries(QUESTION_QUERIES):
        page = client.get(question.get_absolute_url())
    assert "How did it go?" in page.content.decode()
