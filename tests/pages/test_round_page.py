import pytest
from django.urls import reverse

from rounds.models import GuideStatus
from tests.factories import QuestionFactory, TagFactory, build_guide
from tests.pages.pagetext import headings, page_text
from tests.pages.sizes import grow_site


def round_url(guide, slug: str) -> str:
    return reverse("rounds:detail", kwargs={"guide_slug": guide.slug, "round_slug": slug})


@pytest.fixture
def detailed_round(okx):
    rnd = okx.rounds.get(order=2)
    rnd.title = "Technical Leadership and System Design"
    rnd.summary = "Assesses technical leadership."
    rnd.description = "You'll be asked about architecture.\n\nExpect scenarios."
    rnd.what_interviewers_look_for = "Sound judgement\nClarity"
    rnd.evaluation_criteria = "Depth of design"
    rnd.preparation_tips = "Practise whiteboard designs"
    rnd.rejection_reasons = "Hand-waving about scale"
    rnd.save()
    return rnd


@pytest.mark.django_db
def test_round_page_shows_every_section(client, okx, detailed_round):
    response = client.get(round_url(okx, detailed_round.slug))

    text = page_text(response)
    assert response.status_code == 200
    assert "Round 2 of 4" in text
    assert "Technical Leadership and System Design" in headings(response)
    assert "Assesses technical leadership." in text
    assert "You'll be asked about architecture. Expect scenarios." in text
    assert "What Interviewers Look For Sound judgement Clarity" in text
    assert "Evaluation Criteria Depth of design" in text
    assert "Preparation Tips Practise whiteboard designs" in text
    assert "Common Reasons for Rejection Hand-waving about scale" in text
    assert "Not yet written" not in text


@pytest.mark.django_db
def test_questions_asked_link_to_their_pages(client, okx):
    rnd = okx.rounds.get(order=1)
    question = rnd.questions.first()

    response = client.get(round_url(okx, rnd.slug))

    assert "Questions Asked" in headings(response)
    assert question.text in page_text(response)
    assert f'href="{question.get_absolute_url()}"' in response.content.decode()


@pytest.mark.django_db
def test_empty_round_sections_are_listed_by_heading_for_staff(client, okx, recruiter):
    client.force_login(recruiter)
    response = client.get(round_url(okx, "round-1"))

    assert (
        "Not yet written for this round (only staff see this list): "
        "What Interviewers Look For · Evaluation Criteria · "
        "Preparation Tips · Common Reasons for Rejection"
    ) in page_text(response)
    assert "What Interviewers Look For" not in headings(response)
    assert "Questions Asked" in headings(response)


@pytest.mark.django_db
def test_previous_and_next_round_links(client, okx):
    first = client.get(round_url(okx, "round-1")).content.decode()
    middle = client.get(round_url(okx, "round-2")).content.decode()
    last = page_text(client.get(round_url(okx, "round-4")))

    assert 'rel="prev"' not in first
    assert 'href="/guides/okx-head-of-engineering/rounds/round-2/" rel="next"' in first
    assert 'href="/guides/okx-head-of-engineering/rounds/round-1/" rel="prev"' in middle
    assert 'href="/guides/okx-head-of-engineering/rounds/round-3/" rel="next"' in middle
    assert "Last round Back to the guide" in last


@pytest.mark.django_db
def test_unpublished_question_is_hidden_from_visitors_and_marked_for_staff(client, okx, recruiter):
    rnd = okx.rounds.get(order=1)
    QuestionFactory(guide=okx, round=rnd, text="Hidden question?", is_published=False)

    assert "Hidden question?" not in page_text(client.get(round_url(okx, rnd.slug)))
    client.force_login(recruiter)
    assert "Hidden question? Leadership Unpublished" in page_text(
        client.get(round_url(okx, rnd.slug))
    )


@pytest.mark.django_db
def test_unknown_round_and_draft_guide_are_404(client, okx):
    draft = build_guide(company="Drafty", slug="drafty", status=GuideStatus.DRAFT)

    assert client.get(round_url(okx, "no-such-round")).status_code == 404
    assert client.get(round_url(draft, "round-1")).status_code == 404
    assert client.get(round_url(okx, "round-1").replace("okx-head", "nope")).status_code == 404


@pytest.mark.django_db
def test_round_of_a_draft_guide_shows_staff_a_banner(client, recruiter):
    draft = build_guide(company="Drafty", slug="drafty", status=GuideStatus.DRAFT)
    client.force_login(recruiter)

    assert "Draft — not visible to candidates" in page_text(client.get(round_url(draft, "round-1")))


@pytest.mark.django_db
def test_round_page_has_breadcrumbs_and_title(client, okx):
    body = client.get(round_url(okx, "round-1")).content.decode()

    assert "<title>Round 1 — Head of Engineering at OKX · Prep</title>" in body
    assert '<a href="/guides/okx-head-of-engineering/">Head of Engineering at OKX</a>' in body
    assert '<span aria-current="page">Round 1: Round 1</span>' in body


@pytest.mark.django_db
def test_round_page_query_count_is_fixed(client, okx, big_guide, django_assert_num_queries):
    tag = TagFactory(name="extra")
    for question in big_guide.questions.all()[:50]:
        question.tags.add(tag)
    grow_site(10)

    with django_assert_num_queries(3):
        client.get(round_url(okx, "round-1"))
    with django_assert_num_queries(3):
        response = client.get(round_url(big_guide, "round-1"))
    assert "Round 1 of 8" in page_text(response)
