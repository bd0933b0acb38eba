"""After an unpublish or a delete, no stale copy goes out, not even while another request holds
the rebuild lock: every request after the change gets the 404 (issue 10, point 8). Ordinary edits
keep stale-while-revalidate (tests/perf/test_guide_versions.py)."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from prep.caching.pages import REBUILD_LOCK_SECONDS, page_key
from questions.models import Question
from rounds.models import Guide, GuideStatus, Round
from tests.factories import build_guide


@pytest.fixture
def okx(db):
    return build_guide(company="OKX", slug="okx")


@pytest.fixture
def another_worker_rebuilds():
    """Hold the rebuild lock of a URL's cached page (and API answer), as a worker busy on it."""
    held = []

    def hold(url: str) -> None:
        request = RequestFactory().get(url)
        for key in (page_key("page", request), page_key("api", request, "application/json")):
            cache.set(f"{key}:rebuilding", 1, REBUILD_LOCK_SECONDS)
            held.append(f"{key}:rebuilding")

    yield hold
    cache.delete_many(held)


def _question_url(question: Question) -> str:
    return reverse("questions:detail", args=[question.guide.slug, question.slug])


@pytest.mark.django_db
def test_an_unpublished_guide_answers_404_while_another_request_rebuilds_its_page(
    okx, visitor, another_worker_rebuilds
):
    pages = [okx.get_absolute_url(), reverse("questions:list", args=[okx.slug])]
    for url in pages:
        assert visitor.get(url).status_code == 200

    okx.status = GuideStatus.DRAFT
    okx.save()
    for url in pages:
        another_worker_rebuilds(url)

    assert [visitor.get(url).status_code for url in pages] == [404, 404]
    assert [visitor.get(url).status_code for url in pages] == [404, 404]


@pytest.mark.django_db
def test_a_guide_unpublished_by_the_bulk_action_answers_404_at_once(
    okx, visitor, another_worker_rebuilds
):
    url = okx.get_absolute_url()
    visitor.get(url)

    Guide.objects.filter(pk=okx.pk).update(status=GuideStatus.DRAFT)
    another_worker_rebuilds(url)

    assert visitor.get(url).status_code == 404


@pytest.mark.django_db
def test_an_unpublished_guide_leaves_the_home_page_and_the_api_at_once(
    okx, visitor, another_worker_rebuilds
):
    build_guide(company="Bigco", slug="bigco")
    urls = ["/", "/api/v1/guides/", "/api/v1/guides/okx/"]
    for url in urls:
        assert "/guides/okx/" in visitor.get(url).content.decode()

    okx.status = GuideStatus.DRAFT
    okx.save()
    for url in urls:
        another_worker_rebuilds(url)

    assert "/guides/okx/" not in visitor.get("/").content.decode()
    assert "/guides/okx/" not in visitor.get("/api/v1/guides/").content.decode()
    assert visitor.get("/api/v1/guides/okx/").status_code == 404


@pytest.mark.django_db
def test_a_signed_in_api_caller_gets_404_for_an_unpublished_guide_while_it_is_rebuilt(
    okx, alice, another_worker_rebuilds
):
    # Token and session callers skip the page cache; the API keeps its own rendered answers.
    api = Client()
    api.force_login(alice)
    url = "/api/v1/guides/okx/"
    assert api.get(url).status_code == 200

    Guide.objects.filter(pk=okx.pk).update(status=GuideStatus.DRAFT)
    another_worker_rebuilds(url)

    assert api.get(url).status_code == 404


@pytest.mark.django_db
def test_a_deleted_guide_answers_404_while_another_request_rebuilds_its_page(
    okx, visitor, another_worker_rebuilds
):
    url = okx.get_absolute_url()
    visitor.get(url)

    Guide.objects.get(pk=okx.pk).delete()
    another_worker_rebuilds(url)

    assert visitor.get(url).status_code == 404


@pytest.mark.django_db
def test_an_unpublished_question_answers_404_and_leaves_its_bank_at_once(
    okx, visitor, another_worker_rebuilds
):
    question = Question.objects.filter(guide=okx).first()
    question.text = "Walk us through the outage you are least proud of."
    question.save()
    url, bank = _question_url(question), reverse("questions:list", args=[okx.slug])
    api_url = f"/api/v1/questions/{question.pk}/"
    for page in (url, bank, api_url):
        assert visitor.get(page).status_code == 200

    question.is_published = False
    question.save()
    for page in (url, bank, api_url):
        another_worker_rebuilds(page)

    assert visitor.get(url).status_code == 404
    assert visitor.get(api_url).status_code == 404
    assert "least proud of" not in visitor.get(bank).content.decode()


@pytest.mark.django_db
def test_a_question_unpublished_by_the_bulk_action_answers_404_at_once(
    okx, visitor, another_worker_rebuilds
):
    question = Question.objects.filter(guide=okx).first()
    url = _question_url(question)
    visitor.get(url)

    Question.objects.filter(pk=question.pk).update(is_published=False)
    another_worker_rebuilds(url)

    assert visitor.get(url).status_code == 404


@pytest.mark.django_db
def test_a_deleted_round_answers_404_while_another_request_rebuilds_its_page(
    okx, visitor, another_worker_rebuilds
):
    round_ = Round.objects.filter(guide=okx).first()
    url = reverse("rounds:detail", args=[okx.slug, round_.slug])
    visitor.get(url)

    round_.delete()
    another_worker_rebuilds(url)

    assert visitor.get(url).status_code == 404


@pytest.mark.django_db
def test_a_question_given_a_new_address_no_longer_answers_at_the_old_one(
    okx, visitor, another_worker_rebuilds
):
    question = Question.objects.filter(guide=okx).first()
    old_url = _question_url(question)
    visitor.get(old_url)

    question.slug = "renamed-question"
    question.save()
    another_worker_rebuilds(old_url)

    assert visitor.get(old_url).status_code == 404


@pytest.mark.django_db
def test_an_ordinary_edit_is_still_served_stale_while_another_request_rebuilds(
    okx, visitor, django_assert_num_queries, another_worker_rebuilds
):
    url = okx.get_absolute_url()
    visitor.get(url)

    okx.summary = "A freshly rewritten summary."
    okx.save()
    another_worker_rebuilds(url)

    with django_assert_num_queries(0):
        stale = visitor.get(url)
    assert stale.status_code == 200
    assert "freshly rewritten" not in stale.content.decode()
