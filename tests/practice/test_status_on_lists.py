"""Every list of questions shows a signed-in candidate their own status on each row."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice.models import QuestionProgress
from practice.services import question_practice
from questions.models import QuestionKind
from tests.factories import QuestionFactory, build_guide

THREE_DAYS_AGO = "Practised 3\xa0days ago"


@pytest.fixture
def listed(db):
    """A guide whose three marked questions appear on every kind of list."""
    guide = build_guide(slug="okx", rounds=1, questions_per_round=0, regions=1)
    rnd, region = guide.rounds.get(), guide.regional_variants.get().region
    guide.questions.all().delete()
    common = dict(guide=guide, round=rnd, region=region)
    practised = QuestionFactory(**common, text="Zebra practised question?")
    confident = QuestionFactory(**common, text="Zebra confident question?")
    fresh = QuestionFactory(**common, text="Zebra fresh question?")
    # Guide-wide questions are the guide page's "commonly asked" list; coding ones its DSA list.
    QuestionFactory(guide=guide, text="Zebra common question?")
    QuestionFactory(guide=guide, round=rnd, kind=QuestionKind.CODING, text="Zebra coding?")
    return guide, practised, confident, fresh


def list_urls(guide) -> dict[str, str]:
    rnd, region = guide.rounds.get(), guide.regional_variants.get().region
    return {
        "round": rnd.get_absolute_url(),
        "bank": reverse("questions:list", args=[guide.slug]),
        "search": reverse("rounds:search") + "?q=zebra",
        "region": reverse("rounds:region", args=[guide.slug, region.slug]),
        "guide": guide.get_absolute_url(),
    }


def practise(user, question, status: str, days_ago: float = 0) -> None:
    question_practice(user=user, question=question, status=status)
    if days_ago:
        QuestionProgress.objects.filter(user=user, question=question).update(
            last_practised_at=timezone.now() - datetime.timedelta(days=days_ago)
        )


def row_of(page: str, text: str) -> str:
    """The markup of the list row holding `text`, up to the end of its item."""
    # Search results highlight the searched word, "Zebra": look for the rest of the text.
    start = page.index(text.removeprefix("Zebra "))
    end = min(i for i in (page.find("</li>", start), len(page)) if i != -1)
    return page[start:end]


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", ["round", "bank", "search", "region"])
def test_each_list_shows_my_status_and_when_i_last_practised(client, alice, listed, page_name):
    guide, practised, confident, fresh = listed
    practise(alice, practised, "practised", days_ago=3)
    practise(alice, confident, "confident")
    client.force_login(alice)
    page = client.get(list_urls(guide)[page_name]).content.decode()
    assert ">Practised</span>" in row_of(page, practised.text)
    assert THREE_DAYS_AGO in row_of(page, practised.text)
    assert ">Confident</span>" in row_of(page, confident.text)
    assert "Practised today" in row_of(page, confident.text)
    assert ">New</span>" in row_of(page, fresh.text)
    assert "Practised" not in row_of(page, fresh.text)


@pytest.mark.django_db
def test_guide_page_lists_show_my_status(client, alice, listed):
    guide, *_ = listed
    common = guide.questions.get(text="Zebra common question?")
    coding = guide.questions.get(text="Zebra coding?")
    practise(alice, coding, "confident", days_ago=1)
    client.force_login(alice)
    page = client.get(guide.get_absolute_url()).content.decode()
    assert ">New</span>" in row_of(page, common.text)
    assert ">Confident</span>" in row_of(page, coding.text)
    assert "Practised yesterday" in row_of(page, coding.text)


@pytest.mark.django_db
def test_a_question_set_back_to_new_shows_new_without_a_date(client, alice, listed):
    guide, practised, *_ = listed
    practise(alice, practised, "practised", days_ago=3)
    practise(alice, practised, "new")
    client.force_login(alice)
    row = row_of(client.get(list_urls(guide)["bank"]).content.decode(), practised.text)
    assert ">New</span>" in row
    assert "ago" not in row


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", ["round", "bank", "search", "region", "guide"])
def test_charlie_never_sees_alices_status(alice, charlie, listed, page_name):
    """Alice's page first, then Charlie's and a visitor's: public pages are cached for visitors,
    so this also shows that a signed-in page is never stored and served to someone else."""
    guide, practised, confident, _ = listed
    practise(alice, practised, "practised", days_ago=3)
    practise(alice, confident, "confident")
    practise(alice, guide.questions.get(kind=QuestionKind.CODING), "confident")
    url = list_urls(guide)[page_name]
    as_alice, as_charlie, visitor = Client(), Client(), Client()
    as_alice.force_login(alice)
    as_charlie.force_login(charlie)
    assert ">Confident</span>" in as_alice.get(url).content.decode()
    for client in (as_charlie, visitor, as_charlie):
        page = client.get(url).content.decode()
        assert ">Confident</span>" not in page
        assert "Practised 3" not in page
    assert "chip--practice" not in visitor.get(url).content.decode()
    assert ">New</span>" in as_charlie.get(url).content.decode()
