import pytest
from django.urls import reverse

from rounds.models import GuideStatus
from tests.factories import GuideFactory, StudyBlockFactory, StudyTaskFactory, build_guide
from tests.pages.pagetext import headings, page_text
from tests.pages.sizes import grow_site


def plan_url(guide) -> str:
    return reverse("studyplan:plan", kwargs={"guide_slug": guide.slug})


@pytest.mark.django_db
def test_plan_shows_each_block_with_its_weeks_text_and_checklist(client):
    guide = GuideFactory(company="OKX", slug="okx")
    block = StudyBlockFactory(
        guide=guide,
        start_week=3,
        end_week=4,
        title="Technical Leadership and Architecture",
        headline="Weeks 3-4: System Design, Distributed Systems, Cloud Architecture.",
        description="Weeks 3-4: Focus on technical leadership and system design.",
    )
    StudyTaskFactory(block=block, order=1, text="Review distributed systems.")
    StudyTaskFactory(block=block, order=2, text="Practise a design case study.")

    response = client.get(plan_url(guide))

    text = page_text(response)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<li class="plan__block card" id="weeks-3-4">' in body
    assert 'href="#weeks-3-4"' in body
    assert "Technical Leadership and Architecture" in headings(response)
    assert (
        "Weeks 3-4 Technical Leadership and Architecture "
        "Weeks 3-4: System Design, Distributed Systems, Cloud Architecture. "
        "Weeks 3-4: Focus on technical leadership and system design. "
        "Checklist Review distributed systems. Practise a design case study."
    ) in text


@pytest.mark.django_db
def test_plan_blocks_are_in_week_order(client, okx):
    text = page_text(client.get(plan_url(okx)))

    assert text.index("Weeks 1-2 Block") < text.index("Weeks 3-4 Block")
    assert text.index("Weeks 5-6 Block") < text.index("Weeks 7-8 Block")
    assert "8 weeks to prepare, in 4 blocks with 12 tasks to tick off." in text


@pytest.mark.django_db
def test_plan_without_blocks_says_it_is_not_written_yet(client):
    guide = GuideFactory()

    text = page_text(client.get(plan_url(guide)))

    assert "This guide's study plan is not written yet." in text


@pytest.mark.django_db
def test_plan_of_a_draft_guide_is_hidden_from_visitors(client, alice, recruiter):
    draft = build_guide(status=GuideStatus.DRAFT)

    assert client.get(plan_url(draft)).status_code == 404
    client.force_login(alice)
    assert client.get(plan_url(draft)).status_code == 404
    client.force_login(recruiter)
    assert "Draft — not visible to candidates" in page_text(client.get(plan_url(draft)))


@pytest.mark.django_db
def test_unknown_guide_plan_is_404(client):
    assert client.get("/guides/nope/plan/").status_code == 404


@pytest.mark.django_db
def test_plan_query_count_is_fixed(client, okx, big_guide, django_assert_num_queries):
    grow_site(10)

    with django_assert_num_queries(3):
        client.get(plan_url(okx))
    with django_assert_num_queries(3):
        response = client.get(plan_url(big_guide))
    assert "with 80 tasks" in page_text(response)
