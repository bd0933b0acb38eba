"""Lists that show a candidate's status cost the same queries with 0 or 300 practised questions."""

import pytest
from django.db import connection
from django.urls import reverse

from practice.models import PracticeStatus, QuestionProgress
from questions.models import QuestionKind
from tests.factories import QuestionFactory, build_guide

# Each list's queries for a signed-in candidate: the page's own, the session and the user, the
# candidate's region where the page tailors to it, and one for their marks on the rows listed.
# The bank builds its guide's filter index (questions, tags, rounds, regions, tag names: five
# queries, then kept per guide version) and reads the ids its status filter matches (the index
# then counts the options and the results, so no COUNT query); search on
# PostgreSQL first looks up its words' corrections.
QUERIES = {
    "round": 8,
    "bank": 13,
    "search": 8 if connection.vendor == "postgresql" else 7,
    "region": 6,
    "guide": 12,
}


def practise_all(user, questions) -> None:
    QuestionProgress.objects.bulk_create(
        QuestionProgress(
            user=user,
            question=question,
            guide_id=question.guide_id,
            question_text=question.text,
            status=PracticeStatus.PRACTISED if n % 2 else PracticeStatus.CONFIDENT,
        )
        for n, question in enumerate(questions)
    )


def url_of(guide, page_name: str) -> str:
    region = guide.regional_variants.first().region
    return {
        "round": guide.rounds.get(order=1).get_absolute_url(),
        "bank": reverse("questions:list", args=[guide.slug]) + "?status=new",
        "search": reverse("rounds:search") + "?q=lead",
        "region": reverse("rounds:region", args=[guide.slug, region.slug]),
        "guide": guide.get_absolute_url(),
    }[page_name]


@pytest.mark.django_db
@pytest.mark.parametrize("practised", [0, 300])
@pytest.mark.parametrize("page_name", sorted(QUERIES))
def test_status_lists_cost_fixed_queries(
    client, alice, django_assert_num_queries, page_name, practised
):
    guide = build_guide(slug="big", rounds=10, questions_per_round=30, blocks=1)
    for _ in range(3):
        # The guide page's lists: guide-wide questions and coding ones.
        QuestionFactory(guide=guide)
        QuestionFactory(guide=guide, round=guide.rounds.get(order=2), kind=QuestionKind.CODING)
    practise_all(alice, guide.questions.order_by("-pk")[:practised])
    assert QuestionProgress.objects.filter(user=alice).count() == practised
    client.force_login(alice)
    url = url_of(guide, page_name)
    with django_assert_num_queries(QUERIES[page_name]):
        response = client.get(url)
    assert response.status_code == 200
    assert "chip--practice" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("practised", [0, 300])
def test_bank_reuses_its_guide_index_for_other_filters(
    client, alice, django_assert_num_queries, practised
):
    """Once a guide's index is built, another view of its bank costs five queries fewer, with
    the same counts (the candidate's statuses are read either way: "My status" is counted)."""
    guide = build_guide(slug="big", rounds=10, questions_per_round=30, blocks=1)
    practise_all(alice, guide.questions.order_by("-pk")[:practised])
    client.force_login(alice)
    bank = reverse("questions:list", args=[guide.slug])
    kind = guide.questions.first().kind
    assert client.get(bank + "?status=new").status_code == 200
    with django_assert_num_queries(QUERIES["bank"] - 5):
        page = client.get(bank + f"?kind={kind}").content.decode()
    shown = guide.questions.filter(kind=kind).count()
    assert f"{shown} question{'' if shown == 1 else 's'} match" in page
    assert f'All rounds <span class="count">({shown})</span>' in page
