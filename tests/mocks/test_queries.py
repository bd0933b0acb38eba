"""Mock, history, story list and coverage pages cost the same queries at two sizes."""

import pytest
from django.urls import reverse

from mocks import services
from stories.models import Story
from tests.factories import EnrolmentFactory, build_guide

# Counted once and pinned: a page whose count grows with the candidate's history fails here.
# Each includes the session and the user.
MOCK_QUESTION_QUERIES = 6
MOCK_NOT_STARTED_QUERIES = 5
MOCK_GRADE_QUERIES = 6
HISTORY_QUERIES = 4
INDEX_QUERIES = 4
STORY_LIST_QUERIES = 3
COVERAGE_QUERIES = 8


def fill(user, guide, size: int) -> None:
    """`size` stories, each linked to a question of every round, and `size` graded mocks."""
    rounds = list(guide.rounds.order_by("order"))
    questions = [rnd.questions.order_by("pk").first() for rnd in rounds]
    criteria = list(guide.criteria.all())
    for n in range(size):
        story = Story.objects.create(user=user, title=f"Story {n}")
        story.questions.set(questions)
        story.criteria.set(criteria)
    for _ in range(size):
        mock = services.mock_start(user=user, rnd=rounds[1], questions=4, minutes=5)
        for answer in mock.answers.all():
            services.answer_save(user=user, answer=answer, notes="n")
        services.mock_grade(
            user=user,
            mock=mock,
            grades=[(3, "ok")] * len(services.criteria_for(rounds[1])),
            outcomes={a.pk: "nailed" for a in mock.answers.all()},
        )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_mock_and_story_pages_queries_do_not_grow(client, alice, size, django_assert_num_queries):
    guide = build_guide(company="Scale", slug="scale", rounds=6, questions_per_round=8, blocks=1)
    for n in range(2, 6):
        guide.criteria.create(order=n, title=f"Criterion {n}")
    EnrolmentFactory(user=alice, guide=guide)
    fill(alice, guide, size)
    rnd = guide.rounds.get(order=2)
    mock = services.mock_start(user=alice, rnd=rnd, questions=4, minutes=5)
    client.force_login(alice)

    with django_assert_num_queries(MOCK_QUESTION_QUERIES):
        page = client.get(mock.get_absolute_url())
    assert "question 1 of 4" in page.content.decode()
    mock.answers.filter(position=1).update(shown_at=None)  # a clock that never started
    with django_assert_num_queries(MOCK_NOT_STARTED_QUERIES):
        page = client.get(mock.get_absolute_url())
    assert "Start question 1" in page.content.decode()
    for answer in mock.answers.all():
        services.answer_save(user=alice, answer=answer, notes="n")
    with django_assert_num_queries(MOCK_GRADE_QUERIES):
        page = client.get(mock.get_absolute_url())
    assert "Grade your mock" in page.content.decode()
    with django_assert_num_queries(HISTORY_QUERIES):
        page = client.get(reverse("mocks:history", args=[guide.slug, rnd.slug]))
    assert page.content.decode().count('class="score-chart__point"') == size
    with django_assert_num_queries(INDEX_QUERIES):
        page = client.get(reverse("mocks:index"))
    assert "Resume the mock" in page.content.decode()
    with django_assert_num_queries(STORY_LIST_QUERIES):
        page = client.get(reverse("stories:list"))
    assert f"Story {size - 1}" in page.content.decode()
    with django_assert_num_queries(COVERAGE_QUERIES):
        page = client.get(reverse("stories:coverage", args=[guide.slug]))
    assert "Every criterion and round has at least one story." in page.content.decode()
