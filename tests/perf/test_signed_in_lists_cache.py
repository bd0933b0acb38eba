"""A signed-in candidate's question lists and review queue come from a cache of their own that
follows their practice, their ratings and recruiters' edits at once."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice.review import review_submit
from practice.services import question_practice
from tests.factories import build_guide


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _row(page: str, text: str) -> str:
    start = page.index(text)
    return page[start : page.index("</li>", start)]


@pytest.fixture
def guide(db):
    return build_guide(slug="okx", rounds=2, questions_per_round=3)


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", ["bank", "round"])
def test_a_repeat_visit_costs_only_the_session_and_user_queries(
    alice, guide, django_assert_num_queries, page_name
):
    url = {
        "bank": reverse("questions:list", args=[guide.slug]) + "?status=new",
        "round": guide.rounds.get(order=1).get_absolute_url(),
    }[page_name]
    client = _signed_in(alice)
    first = client.get(url)

    with django_assert_num_queries(2):
        again = client.get(url)

    assert again.content == first.content


@pytest.mark.django_db
def test_my_practice_and_a_recruiters_edit_show_on_the_next_visit(alice, guide):
    question = guide.questions.order_by("pk").first()
    bank = reverse("questions:list", args=[guide.slug])
    client = _signed_in(alice)
    assert ">New</span>" in _row(client.get(bank).content.decode(), question.text)

    question_practice(user=alice, question=question, status="confident")
    row = _row(client.get(bank).content.decode(), question.text)
    assert ">Confident</span>" in row
    assert "Practised today" in row

    question.text = "How would you run an incident review?"
    question.save()
    assert "How would you run an incident review?" in client.get(bank).content.decode()


@pytest.mark.django_db
def test_another_candidate_never_gets_my_cached_list(alice, charlie, guide):
    question = guide.questions.order_by("pk").first()
    question_practice(user=alice, question=question, status="confident")
    bank = reverse("questions:list", args=[guide.slug])
    assert ">Confident</span>" in _signed_in(alice).get(bank).content.decode()

    page = _signed_in(charlie).get(bank).content.decode()

    assert ">Confident</span>" not in page
    assert ">New</span>" in _row(page, question.text)


@pytest.mark.django_db
def test_a_rating_moves_the_review_queue_on_at_once(alice, guide):
    first, second = guide.questions.order_by("pk")[:2]
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    for question in (first, second):
        # Again, three days ago: due the next day, so both are overdue today.
        review_submit(user=alice, question=question, rating=1, now=three_days_ago)
    client = _signed_in(alice)
    queue = reverse("practice:review_queue")
    page = client.get(queue).content.decode()
    shown = first if first.text in page else second

    review_submit(user=alice, question=shown, rating=4)  # Easy: days away

    other = second if shown == first else first
    page = client.get(queue).content.decode()
    assert other.text in page
    assert shown.text not in page
