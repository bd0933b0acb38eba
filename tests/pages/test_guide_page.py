import datetime
import re

import pytest
from django.urls import reverse

from questions.models import QuestionKind
from rounds.models import GuideStatus
from tests.factories import (
    CriterionFactory,
    GuideFactory,
    QuestionFactory,
    RegionFactory,
    RoundFactory,
    build_guide,
)
from tests.pages.pagetext import headings, page_text
from tests.pages.sizes import grow_site


def guide_url(guide) -> str:
    return reverse("rounds:guide", kwargs={"guide_slug": guide.slug})


@pytest.mark.django_db
def test_guide_shows_metadata_at_a_glance_as_the_seed_writes_it(client, okx):
    body = client.get(guide_url(okx)).content.decode()

    pairs = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", body))
    assert pairs["Rounds"] == "4"
    assert pairs["Duration"] == "~14 days"
    assert pairs["Experience"] == "8 - 15 yrs"
    assert pairs["Salary"] == "US$180,000 – US$250,000"
    assert pairs["Interview time"] == "225 min"


@pytest.mark.django_db
def test_guide_shows_summary_category_and_criteria(client):
    guide = build_guide(company="OKX", summary="Assesses leadership at scale.")
    CriterionFactory(guide=guide, order=2, title="Cultural Alignment", description="Why OKX.")

    response = client.get(guide_url(guide))

    text = page_text(response)
    assert "Assesses leadership at scale." in text
    assert "Software Engineering Manager" in text
    assert "Overall Evaluation Criteria" in headings(response)
    assert "Cultural Alignment" in headings(response)
    assert "Why OKX." in text


@pytest.mark.django_db
def test_interview_rounds_sub_line_counts_the_rounds(client):
    guide = build_guide(rounds=3)

    response = client.get(guide_url(guide))

    text = page_text(response)
    assert (
        "Process Timeline Interview Rounds 3-step process with detailed breakdown for each round"
    ) in text
    assert "Interview Rounds" in headings(response)


@pytest.mark.django_db
def test_the_timeline_is_the_one_list_of_rounds(client, okx):
    body = client.get(guide_url(okx)).content.decode()

    for rnd in okx.rounds.all():
        assert body.count(f'href="{rnd.get_absolute_url()}"') == 1, rnd.title


@pytest.mark.django_db
def test_process_timeline_lists_rounds_in_order_with_question_counts_and_links(client, okx):
    rnd = okx.rounds.get(order=2)
    rnd.summary = "Assesses system design."
    rnd.save()
    QuestionFactory(guide=okx, round=rnd, is_published=False)

    response = client.get(guide_url(okx))

    body = response.content.decode()
    text = page_text(response)
    timeline = text[text.index("Interview Rounds") :]
    assert timeline.index("Round 1") < timeline.index("Round 2") < timeline.index("Round 4")
    assert "Round 2: Round 2 Assesses system design. 5 questions" in timeline
    assert f'href="{rnd.get_absolute_url()}"' in body


@pytest.mark.django_db
def test_commonly_asked_questions_are_the_guide_level_non_coding_ones(client, okx):
    QuestionFactory(guide=okx, text="Why do you want to join?")
    QuestionFactory(guide=okx, text="Reverse a linked list.", kind=QuestionKind.CODING)

    response = client.get(guide_url(okx))

    text = page_text(response)
    common = text[text.index("Commonly Asked Questions") :]
    assert "Why do you want to join?" in common
    assert "Question number" not in common.split("Location-Based Differences")[0]
    dsa = text[text.index("Commonly Asked DSA Questions") :]
    assert dsa.startswith(
        "Commonly Asked DSA Questions Frequently asked coding questions at OKX "
        "Show the 1 question Reverse a linked list."
    )


@pytest.mark.django_db
def test_regions_link_to_their_pages_with_question_counts(client, okx):
    body = client.get(guide_url(okx)).content.decode()
    text = page_text(client.get(guide_url(okx)))

    assert "Location-Based Differences" in text
    assert 'href="/guides/okx-head-of-engineering/regions/region-0/"' in body
    assert "Region 0 1 question" in text


@pytest.mark.django_db
def test_study_plan_overview_shows_blocks_and_links_to_the_plan(client, okx):
    response = client.get(guide_url(okx))

    text = page_text(response)
    assert "Study Plan" in headings(response)
    assert "Weeks 1-2" in text
    assert "Weeks 7-8" in text
    assert "Weeks 1-2: the headline." in text
    assert 'href="/guides/okx-head-of-engineering/plan/"' in response.content.decode()
    assert 'href="/guides/okx-head-of-engineering/questions/"' in response.content.decode()


@pytest.mark.django_db
def test_empty_sections_are_listed_for_staff_not_shown_as_empty_boxes(client, recruiter):
    guide = GuideFactory(company="OKX")
    RoundFactory(guide=guide, order=1)
    client.force_login(recruiter)

    response = client.get(guide_url(guide))

    text = page_text(response)
    assert (
        "Not yet written for this guide (only staff see this list): "
        "Overall Evaluation Criteria · Preparation Tips"
    ) in text
    assert (
        "Study Plan · Commonly Asked Questions · Location-Based Differences · "
        "Commonly Asked DSA Questions (Frequently asked coding questions at OKX)"
    ) in text
    for empty in ["Overall Evaluation Criteria", "Preparation Tips", "Study Plan"]:
        assert empty not in headings(response)
    assert "Interview Rounds" in headings(response)


@pytest.mark.django_db
def test_preparation_tips_are_listed_one_per_line(client):
    guide = build_guide(preparation_tips="Know the product.\n\nPractise STAR stories.")

    response = client.get(guide_url(guide))

    assert "Preparation Tips" in headings(response)
    assert "Know the product. Practise STAR stories." in page_text(response)


@pytest.mark.django_db
def test_last_reviewed_date_or_not_reviewed_yet(client, okx):
    assert "Content not checked yet" in page_text(client.get(guide_url(okx)))

    okx.last_reviewed = datetime.date(2026, 5, 1)
    okx.save()

    assert "Content last checked 1 May 2026" in page_text(client.get(guide_url(okx)))


@pytest.mark.django_db
def test_draft_guide_is_hidden_from_visitors(client, alice):
    guide = build_guide(status=GuideStatus.DRAFT)

    assert client.get(guide_url(guide)).status_code == 404
    client.force_login(alice)
    assert client.get(guide_url(guide)).status_code == 404


@pytest.mark.django_db
def test_staff_see_a_draft_guide_with_a_banner(client, recruiter):
    guide = build_guide(status=GuideStatus.DRAFT)
    client.force_login(recruiter)

    response = client.get(guide_url(guide))

    assert response.status_code == 200
    assert "Draft — not visible to candidates" in page_text(response)


@pytest.mark.django_db
def test_published_guide_has_no_draft_banner(client, okx):
    assert "Draft —" not in page_text(client.get(guide_url(okx)))


@pytest.mark.django_db
def test_unknown_guide_is_a_404(client):
    response = client.get("/guides/no-such-guide/")

    assert response.status_code == 404
    assert "We can’t find that page" in page_text(response)


@pytest.mark.django_db
def test_guide_has_breadcrumbs_title_and_description(client, okx):
    body = client.get(guide_url(okx)).content.decode()

    assert "<title>Head of Engineering at OKX — interview guide · Prep</title>" in body
    assert (
        '<meta name="description" content="Head of Engineering at OKX: 4 interview rounds' in body
    )
    assert '<span aria-current="page">Head of Engineering at OKX</span>' in body


@pytest.mark.django_db
def test_guide_page_query_count_is_fixed(client, okx, big_guide, django_assert_num_queries):
    RegionFactory(name="Unused", slug="unused")
    QuestionFactory(guide=okx, kind=QuestionKind.CODING)
    QuestionFactory(guide=big_guide, kind=QuestionKind.CODING)
    QuestionFactory(guide=okx)
    QuestionFactory(guide=big_guide)
    grow_site(10)

    with django_assert_num_queries(7):
        client.get(guide_url(okx))
    with django_assert_num_queries(7):
        response = client.get(guide_url(big_guide))
    assert "8-step process" in page_text(response)


@pytest.mark.django_db
def test_staff_get_a_link_to_write_the_empty_sections(client, recruiter):
    guide = GuideFactory(company="OKX")
    admin_link = f'href="/admin/rounds/guide/{guide.pk}/change/"'

    assert admin_link not in client.get(guide_url(guide)).content.decode()
    client.force_login(recruiter)
    response = client.get(guide_url(guide))
    assert admin_link in response.content.decode()
    assert "Write them in the admin" in page_text(response)
