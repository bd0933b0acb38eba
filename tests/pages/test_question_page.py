import datetime

import pytest

from questions.models import QuestionKind
from rounds.models import GuideStatus
from tests.factories import QuestionFactory, RegionFactory, TagFactory, build_guide
from tests.pages.pagetext import page_text
from tests.pages.sizes import grow_site


@pytest.fixture
def question(okx):
    q = QuestionFactory(
        guide=okx,
        round=okx.rounds.get(order=2),
        region=RegionFactory(slug="region-0"),
        kind=QuestionKind.SYSTEM_DESIGN,
        text="Design a high-throughput trading system.",
        slug="design-trading",
        guidance="Start from the order book.\n\nThen discuss latency.",
        last_reviewed=datetime.date(2026, 4, 10),
    )
    q.tags.add(TagFactory(name="scale"), TagFactory(name="latency"))
    return q


@pytest.mark.django_db
def test_question_page_shows_text_kind_round_region_tags_guidance(client, question):
    response = client.get(question.get_absolute_url())

    text = page_text(response)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Design a high-throughput trading system." in text
    assert "Kind System design" in text
    assert "Round Round 2" in text
    assert "Region Region 0" in text
    assert "Tags #latency #scale" in text
    assert "Start from the order book. Then discuss latency." in text
    assert "Content last checked 10 April 2026" in text
    assert 'href="/guides/okx-head-of-engineering/questions/?tag=scale"' in body
    assert 'href="/guides/okx-head-of-engineering/questions/?kind=system_design"' in body
    assert 'href="/guides/okx-head-of-engineering/rounds/round-2/"' in body
    assert 'href="/guides/okx-head-of-engineering/regions/region-0/"' in body


@pytest.mark.django_db
def test_question_without_review_date_says_not_reviewed_yet(client, okx):
    question = okx.questions.first()

    assert "Content not checked yet" in page_text(client.get(question.get_absolute_url()))


@pytest.mark.django_db
def test_question_breadcrumbs_lead_through_guide_and_round(client, question):
    body = client.get(question.get_absolute_url()).content.decode()

    assert '<a href="/guides/okx-head-of-engineering/">Head of Engineering at OKX</a>' in body
    assert '<a href="/guides/okx-head-of-engineering/rounds/round-2/">Round 2</a>' in body
    assert '<span aria-current="page">Design a high-throughput trading system.</span>' in body
    assert "<title>Design a high-throughput trading system. — Head of Engineering" in body


@pytest.mark.django_db
def test_unpublished_question_is_404_for_visitors_and_bannered_for_staff(
    client, question, alice, recruiter
):
    question.is_published = False
    question.save()

    assert client.get(question.get_absolute_url()).status_code == 404
    client.force_login(alice)
    assert client.get(question.get_absolute_url()).status_code == 404
    client.force_login(recruiter)
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert "Draft — not visible to candidates: this question is only shown to staff." in (
        page_text(response)
    )


@pytest.mark.django_db
def test_question_of_a_draft_guide_is_404(client):
    draft = build_guide(status=GuideStatus.DRAFT)

    assert client.get(draft.questions.first().get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_question_slug_of_another_guide_is_404(client, okx, question):
    other = build_guide(company="Other", slug="other")

    assert client.get(f"/guides/{other.slug}/questions/{question.slug}/").status_code == 404
    assert client.get(f"/guides/{okx.slug}/questions/no-such-question/").status_code == 404


@pytest.mark.django_db
def test_question_page_query_count_is_fixed(client, question, big_guide, django_assert_num_queries):
    many_tags = big_guide.questions.first()
    for n in range(20):
        many_tags.tags.add(TagFactory(name=f"topic{n}"))
    grow_site(10)

    with django_assert_num_queries(4):
        client.get(question.get_absolute_url())
    with django_assert_num_queries(4):
        response = client.get(many_tags.get_absolute_url())
    assert "#topic19" in page_text(response)


@pytest.mark.django_db
def test_question_page_links_to_the_previous_and_next_question_of_its_round(client, okx):
    first, second, third = okx.rounds.get(order=1).questions.all()[:3]

    body = client.get(second.get_absolute_url()).content.decode()
    first_page = page_text(client.get(first.get_absolute_url()))

    assert f'href="{first.get_absolute_url()}" rel="prev"' in body
    assert f'href="{third.get_absolute_url()}" rel="next"' in body
    assert f"Next question {second.text}" in first_page
    assert "Previous question" not in first_page


@pytest.mark.django_db
def test_question_neighbours_skip_unpublished_questions_for_visitors(client, okx):
    first, second, third = okx.rounds.get(order=1).questions.all()[:3]
    second.is_published = False
    second.save()

    body = client.get(first.get_absolute_url()).content.decode()

    assert f'href="{third.get_absolute_url()}" rel="next"' in body


@pytest.mark.django_db
def test_guide_wide_questions_lead_to_each_other(client, okx):
    one = QuestionFactory(guide=okx, text="Why this company?")
    two = QuestionFactory(guide=okx, text="Why now?")

    body = client.get(one.get_absolute_url()).content.decode()

    assert f'href="{two.get_absolute_url()}" rel="next"' in body
    assert 'rel="prev"' not in body
