import pytest
from django.urls import reverse

from rounds.models import GuideStatus, RegionalVariant
from tests.factories import QuestionFactory, RegionFactory, build_guide
from tests.pages.pagetext import headings, page_text
from tests.pages.sizes import grow_site


def region_url(guide, slug: str) -> str:
    return reverse("rounds:region", kwargs={"guide_slug": guide.slug, "region_slug": slug})


@pytest.mark.django_db
def test_region_page_shows_focus_questions_and_tips(client, okx):
    variant = RegionalVariant.objects.get(guide=okx, region__slug="region-0")
    variant.interview_focus = "Regulation\nGlobal teams"
    variant.tips = "Mention compliance work"
    variant.save()
    QuestionFactory(
        guide=okx, region=variant.region, text="How do you handle cultural differences?"
    )

    response = client.get(region_url(okx, "region-0"))

    text = page_text(response)
    assert response.status_code == 200
    assert "Region 0" in headings(response)
    assert "Interview Focus Regulation Global teams" in text
    assert "Common Questions" in headings(response)
    assert "How do you handle cultural differences?" in text
    assert "Tips Mention compliance work" in text
    assert 'href="/guides/okx-head-of-engineering/questions/?region=region-0"' in (
        response.content.decode()
    )
    assert "Not yet written" not in text


@pytest.mark.django_db
def test_region_shows_only_its_own_questions_of_this_guide(client, okx):
    other = build_guide(company="Other", slug="other")
    region = RegionFactory(slug="region-0")
    QuestionFactory(guide=other, region=region, text="Another guide's region question?")
    QuestionFactory(guide=okx, region=RegionFactory(slug="region-1"), text="Region 1 question?")

    text = page_text(client.get(region_url(okx, "region-0")))

    assert "Another guide's region question?" not in text
    assert "Region 1 question?" not in text


@pytest.mark.django_db
def test_empty_region_sections_are_listed_by_heading_for_staff(client, okx, recruiter):
    RegionalVariant.objects.filter(guide=okx).update(interview_focus="", tips="")
    client.force_login(recruiter)

    response = client.get(region_url(okx, "region-0"))

    assert "Not yet written for this region (only staff see this list): Interview Focus · Tips" in (
        page_text(response)
    )
    assert "Interview Focus" not in headings(response)
    assert "Tips" not in headings(response)


@pytest.mark.django_db
def test_region_page_links_to_the_other_regions(client, okx):
    body = client.get(region_url(okx, "region-0")).content.decode()

    assert 'href="/guides/okx-head-of-engineering/regions/region-1/"' in body


@pytest.mark.django_db
def test_unknown_region_or_region_without_a_variant_is_404(client, okx):
    RegionFactory(name="Europe", slug="europe")

    assert client.get(region_url(okx, "no-such-region")).status_code == 404
    assert client.get(region_url(okx, "europe")).status_code == 404


@pytest.mark.django_db
def test_region_of_a_draft_guide_is_hidden_from_visitors(client, recruiter):
    draft = build_guide(company="Drafty", slug="drafty", status=GuideStatus.DRAFT)

    assert client.get(region_url(draft, "region-0")).status_code == 404
    client.force_login(recruiter)
    assert "Draft — not visible to candidates" in page_text(
        client.get(region_url(draft, "region-0"))
    )


@pytest.mark.django_db
def test_region_page_query_count_is_fixed(client, okx, big_guide, django_assert_num_queries):
    region = RegionFactory(slug="region-0")
    for n in range(40):
        QuestionFactory(guide=big_guide, region=region, text=f"Regional question {n}?")
    grow_site(10)

    with django_assert_num_queries(3):
        client.get(region_url(okx, "region-0"))
    with django_assert_num_queries(3):
        response = client.get(region_url(big_guide, "region-0"))
    assert "Regional question 39?" in page_text(response)
