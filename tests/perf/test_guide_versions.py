"""An edit to one guide rebuilds that guide's pages and the lists, not every guide's; stale pages
are served while one request rebuilds them; tracking parameters do not split the cache."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from prep.caching.pages import page_key
from questions.models import Question
from rounds.models import GuideStatus
from tests.factories import TagFactory, build_guide


def _bank(guide) -> str:
    return reverse("questions:list", args=[guide.slug])


@pytest.fixture
def two_guides(db):
    return build_guide(company="OKX", slug="okx"), build_guide(company="Bigco", slug="bigco")


@pytest.mark.django_db
def test_an_edit_to_one_guide_leaves_the_other_guides_pages_cached(
    two_guides, visitor, django_assert_num_queries
):
    okx, bigco = two_guides
    visitor.get(_bank(okx))
    visitor.get(bigco.get_absolute_url())

    question = Question.objects.filter(guide=okx).first()
    question.text = "How would you rebuild the matching engine?"
    question.save()

    assert "rebuild the matching engine" in visitor.get(_bank(okx)).content.decode()
    with django_assert_num_queries(0):
        assert visitor.get(bigco.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_lists_show_an_edit_to_any_guide_at_once(two_guides, visitor):
    okx, _ = two_guides
    visitor.get(reverse("rounds:home"))

    okx.company = "OKX Global"
    okx.save()

    assert "OKX Global" in visitor.get(reverse("rounds:home")).content.decode()


@pytest.mark.django_db
def test_a_bulk_update_moves_only_the_touched_guides_pages(
    two_guides, visitor, django_assert_num_queries
):
    okx, bigco = two_guides
    visitor.get(_bank(okx))
    visitor.get(bigco.get_absolute_url())

    Question.objects.filter(guide=okx).update(text="Bulk-edited question")

    assert "Bulk-edited question" in visitor.get(_bank(okx)).content.decode()
    with django_assert_num_queries(0):
        visitor.get(bigco.get_absolute_url())


@pytest.mark.django_db
def test_a_new_tag_shows_on_every_guides_bank(two_guides, visitor):
    okx, bigco = two_guides
    bank = reverse("questions:list", args=[bigco.slug])
    visitor.get(bank)

    # Tags are shared by all guides: adding one through the tag's side may touch any guide.
    TagFactory(name="fintech").questions.add(Question.objects.filter(guide=bigco).first())

    assert "fintech" in visitor.get(bank).content.decode()


@pytest.mark.django_db
def test_a_renamed_guide_no_longer_answers_at_its_old_address(two_guides, visitor):
    okx, _ = two_guides
    old_url = okx.get_absolute_url()
    assert visitor.get(old_url).status_code == 200

    okx.slug = "okx-renamed"
    okx.save()

    assert visitor.get(old_url).status_code == 404


@pytest.mark.django_db
def test_tracking_parameters_get_the_cached_page_without_them(
    two_guides, visitor, django_assert_num_queries
):
    okx, _ = two_guides
    bank = reverse("questions:list", args=[okx.slug])
    visitor.get(bank, {"kind": "behavioural"})

    with django_assert_num_queries(0):
        tracked = visitor.get(bank, {"kind": "behavioural", "utm_source": "newsletter"})
    fresh = visitor.get(bank, {"utm_campaign": "spring", "kind": "technical", "ref": "alice"})

    assert tracked.status_code == 200
    assert "utm_" not in fresh.content.decode()
    assert "alice" not in fresh.content.decode()


@pytest.mark.django_db
def test_a_stale_page_is_served_while_another_request_rebuilds_it(
    two_guides, visitor, rf, django_assert_num_queries
):
    okx, _ = two_guides
    url = _bank(okx)
    visitor.get(url)
    Question.objects.filter(guide=okx).update(text="Freshly edited question")
    # Another worker has claimed the rebuild.
    cache.add(f"{page_key('page', rf.get(url))}:rebuilding", 1, 10)

    with django_assert_num_queries(0):
        stale = visitor.get(url)
    cache.delete(f"{page_key('page', rf.get(url))}:rebuilding")
    fresh = visitor.get(url)

    assert "Freshly edited question" not in stale.content.decode()
    assert "Freshly edited question" in fresh.content.decode()


@pytest.mark.django_db
def test_an_unpublished_guide_is_not_served_stale_after_its_rebuild(two_guides, visitor):
    okx, _ = two_guides
    visitor.get(okx.get_absolute_url())

    okx.status = GuideStatus.DRAFT
    okx.save()

    assert visitor.get(okx.get_absolute_url()).status_code == 404
    assert visitor.get(okx.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_api_filter_choices_over_all_guides_are_built_once_per_edit(
    two_guides, client, django_assert_num_queries
):
    okx, _ = two_guides
    client.get("/api/v1/questions/")

    # Another address: the answer is built, but the choices of every guide are not (count, the
    # page's ids, its rows, their tags).
    with django_assert_num_queries(4):
        client.get("/api/v1/questions/", {"page": "1"})
    TagFactory(name="latency", slug="latency").questions.add(
        Question.objects.filter(guide=okx).first()
    )

    assert client.get("/api/v1/questions/", {"tag": "latency"}).status_code == 200
