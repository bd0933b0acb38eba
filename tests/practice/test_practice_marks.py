import pytest
from django.urls import reverse

from practice.services import question_practice
from tests.factories import build_guide


def bank_url(guide) -> str:
    return reverse("questions:list", kwargs={"guide_slug": guide.slug})


@pytest.mark.django_db
def test_question_bank_marks_what_the_candidate_practised(client, alice, charlie, guide):
    practised, confident, fresh = guide.questions.filter(round__order=1)[:3]
    question_practice(user=alice, question=practised, status="practised")
    question_practice(user=alice, question=confident, status="confident")
    question_practice(user=alice, question=fresh, status="new", answer_draft="draft")
    client.force_login(alice)
    page = client.get(bank_url(guide)).content.decode()
    assert page.count('class="chip chip--practice">Practised<') == 1
    assert page.count('class="chip chip--practice">Confident<') == 1
    client.force_login(charlie)
    assert "chip--practice" not in client.get(bank_url(guide)).content.decode()


@pytest.mark.django_db
def test_round_page_marks_what_the_candidate_practised(client, alice, guide):
    rnd = guide.rounds.get(order=1)
    question_practice(user=alice, question=rnd.questions.first(), status="confident")
    client.force_login(alice)
    page = client.get(rnd.get_absolute_url()).content.decode()
    assert page.count('class="chip chip--practice">Confident<') == 1


@pytest.mark.django_db
@pytest.mark.parametrize("per_round,practised", [(2, 1), (6, 12)])
def test_question_bank_adds_fixed_queries_for_candidates(
    client, alice, django_assert_num_queries, per_round, practised
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    guide = build_guide(slug="sized-bank", rounds=3, questions_per_round=per_round)
    for question in guide.questions.all()[:practised]:
        question_practice(user=alice, question=question, status="practised")
    with CaptureQueriesContext(connection) as anonymous:
        client.get(bank_url(guide))
    client.force_login(alice)
    # session and user, then the statuses of the questions listed and the candidate's region.
    with django_assert_num_queries(len(anonymous) + 4):
        response = client.get(bank_url(guide))
    assert response.content.decode().count("chip--practice") == practised
