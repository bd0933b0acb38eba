import pytest
from django.core.cache import cache
from django.urls import reverse

from rounds.models import GuideStatus
from tests.factories import (
    CriterionFactory,
    GuideFactory,
    QuestionFactory,
    RegionalVariantFactory,
    RegionFactory,
    build_guide,
)


@pytest.mark.django_db
def test_guide_list_shows_published_guides_with_their_metadata(api):
    guide = build_guide(rounds=4, company="OKX", slug="okx-head-of-engineering")
    GuideFactory(status=GuideStatus.DRAFT, slug="secret-draft")

    response = api.get("/api/v1/guides/")

    assert response.status_code == 200
    assert response.data["count"] == 1
    item = response.data["results"][0]
    assert item["slug"] == guide.slug
    assert item["title"] == "Head of Engineering at OKX"
    assert item["round_count"] == 4
    assert item["duration_display"] == "~14 days"
    assert item["experience_display"] == "8 - 15 yrs"
    assert item["salary"] == {
        "currency": "USD",
        "min": 180000,
        "max": 250000,
        "display": "US$180,000 – US$250,000",
    }
    assert item["total_minutes_display"] == "225 min"
    assert item["web_url"] == "http://testserver/guides/okx-head-of-engineering/"


@pytest.mark.django_db
def test_guide_detail_nests_criteria_rounds_regions_and_plan(api):
    guide = build_guide(rounds=3, questions_per_round=2, regions=2, blocks=4)
    guide.preparation_tips = "Know the numbers\n\nTell stories"
    guide.save()
    CriterionFactory(guide=guide, order=2, title="Technical vision")
    QuestionFactory(guide=guide, round=guide.rounds.get(order=1), is_published=False)

    response = api.get(f"/api/v1/guides/{guide.slug}/")

    assert response.status_code == 200
    assert response.data["preparation_tips"] == ["Know the numbers", "Tell stories"]
    assert [c["order"] for c in response.data["criteria"]] == [1, 2]
    assert response.data["criteria"][1]["title"] == "Technical vision"
    assert [r["slug"] for r in response.data["rounds"]] == ["round-1", "round-2", "round-3"]
    # The unpublished question is not counted.
    assert response.data["rounds"][0]["question_count"] == 2
    assert [v["region"]["slug"] for v in response.data["regional_variants"]] == [
        "region-0",
        "region-1",
    ]
    assert response.data["regional_variants"][0]["interview_focus"] == ["Focus"]
    assert [b["weeks"] for b in response.data["study_blocks"]] == ["1-2", "3-4", "5-6", "7-8"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "",
        "rounds/",
        "rounds/round-1/",
        "regions/",
        "regions/region-0/",
        "study-blocks/",
    ],
)
def test_draft_guide_and_its_content_are_hidden_from_the_api(api, path):
    draft = build_guide(status=GuideStatus.DRAFT, rounds=1, slug="draft-guide")

    response = api.get(f"/api/v1/guides/{draft.slug}/{path}")

    assert response.status_code == 404
    assert response.data["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_draft_guides_are_hidden_even_from_staff(recruiter):
    from rest_framework.test import APIClient

    draft = build_guide(status=GuideStatus.DRAFT, rounds=1)
    client = APIClient()
    client.force_authenticate(recruiter)

    assert client.get(f"/api/v1/guides/{draft.slug}/").status_code == 404
    assert client.get("/api/v1/guides/").data["count"] == 0


@pytest.mark.django_db
def test_round_list_and_detail_show_the_questions_asked(api):
    guide = build_guide(rounds=2, questions_per_round=2)
    first = guide.rounds.get(order=1)
    first.what_interviewers_look_for = "Clarity\nOwnership"
    first.rejection_reasons = "Vague answers"
    first.save()
    hidden = QuestionFactory(guide=guide, round=first, is_published=False)

    listing = api.get(f"/api/v1/guides/{guide.slug}/rounds/")
    detail = api.get(f"/api/v1/guides/{guide.slug}/rounds/round-1/")

    assert [r["order"] for r in listing.data["results"]] == [1, 2]
    assert detail.status_code == 200
    assert detail.data["what_interviewers_look_for"] == ["Clarity", "Ownership"]
    assert detail.data["rejection_reasons"] == ["Vague answers"]
    question_ids = [q["id"] for q in detail.data["questions"]]
    assert len(question_ids) == 2
    assert hidden.pk not in question_ids
    assert api.get(f"/api/v1/guides/{guide.slug}/rounds/no-such-round/").status_code == 404


@pytest.mark.django_db
def test_regions_list_each_published_guides_variant(api):
    guide = build_guide(regions=1, slug="okx")
    draft = build_guide(status=GuideStatus.DRAFT, regions=1, slug="draft")
    region = RegionFactory(name="Region 0", slug="region-0")
    assert draft.regional_variants.filter(region=region).exists()

    listing = api.get("/api/v1/regions/")
    detail = api.get("/api/v1/regions/region-0/")

    assert listing.status_code == 200
    assert [r["slug"] for r in listing.data["results"]] == ["region-0"]
    assert [v["guide"] for v in detail.data["variants"]] == [guide.slug]
    assert detail.data["variants"][0]["tips"] == ["Tip"]
    assert api.get("/api/v1/regions/atlantis/").status_code == 404


@pytest.mark.django_db
def test_guide_region_detail_shows_focus_and_tips(api):
    guide = build_guide(regions=0)
    RegionalVariantFactory(
        guide=guide,
        region=RegionFactory(name="Asia", slug="asia"),
        interview_focus="Scale\nRegulation",
        tips="Know the market",
    )

    response = api.get(f"/api/v1/guides/{guide.slug}/regions/asia/")

    assert response.status_code == 200
    assert response.data["region"] == {"slug": "asia", "name": "Asia"}
    assert response.data["interview_focus"] == ["Scale", "Regulation"]
    assert response.data["tips"] == ["Know the market"]


@pytest.mark.django_db
def test_study_plan_lists_blocks_with_their_tasks_in_order(api):
    guide = build_guide(blocks=2, tasks_per_block=3)

    response = api.get(f"/api/v1/guides/{guide.slug}/study-blocks/")

    assert response.status_code == 200
    blocks = response.data["results"]
    assert [b["start_week"] for b in blocks] == [1, 5]
    assert [t["order"] for t in blocks[0]["tasks"]] == [1, 2, 3]


@pytest.mark.django_db
def test_public_content_has_an_etag_and_answers_304_when_unchanged(api):
    guide = build_guide()
    url = f"/api/v1/guides/{guide.slug}/"

    first = api.get(url)
    etag = first["ETag"]
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200
    assert etag
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


@pytest.mark.django_db
def test_etag_changes_when_the_content_changes(api):
    guide = build_guide()
    url = f"/api/v1/guides/{guide.slug}/"
    etag = api.get(url)["ETag"]
    criterion = guide.criteria.get()
    criterion.title = "Rewritten by a recruiter"
    criterion.save()

    response = api.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.data["criteria"][0]["title"] == "Rewritten by a recruiter"


def _public_urls(slug: str) -> list[str]:
    return [
        "/api/v1/guides/",
        f"/api/v1/guides/{slug}/",
        f"/api/v1/guides/{slug}/rounds/",
        f"/api/v1/guides/{slug}/rounds/round-1/",
        f"/api/v1/guides/{slug}/regions/",
        f"/api/v1/guides/{slug}/regions/region-0/",
        f"/api/v1/guides/{slug}/study-blocks/",
        "/api/v1/regions/",
        "/api/v1/regions/region-0/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("index", "queries"), [(0, 2), (1, 5), (2, 4), (3, 2), (4, 3), (5, 1), (6, 4), (7, 3), (8, 2)]
)
def test_public_endpoints_cost_the_same_queries_for_small_and_large_guides(
    api, django_assert_num_queries, index, queries
):
    small = build_guide(rounds=1, questions_per_round=1, regions=1, blocks=1, tasks_per_block=1)
    large = build_guide(rounds=6, questions_per_round=8, regions=3, blocks=4, tasks_per_block=5)
    for extra in range(3):
        build_guide(rounds=2, regions=1, slug=f"extra-{extra}")

    for guide in (small, large):
        url = _public_urls(guide.slug)[index]
        # Measure the work of building the answer, not a cache hit (prep.caching).
        cache.clear()
        with django_assert_num_queries(queries):
            assert api.get(url).status_code == 200


@pytest.mark.django_db
def test_guide_list_reverse_resolves_under_the_api_namespace():
    assert reverse("api:guide-list") == "/api/v1/guides/"


@pytest.mark.django_db
def test_guide_regions_list_each_regions_differences_in_order(api):
    guide = build_guide(regions=0)
    RegionalVariantFactory(guide=guide, region=RegionFactory(name="Europe", slug="eu", order=2))
    RegionalVariantFactory(guide=guide, region=RegionFactory(name="Asia", slug="asia", order=1))

    response = api.get(f"/api/v1/guides/{guide.slug}/regions/")

    assert response.status_code == 200
    assert [v["region"]["name"] for v in response.data["results"]] == ["Asia", "Europe"]
    assert response.data["results"][0]["web_url"].endswith(f"/guides/{guide.slug}/regions/asia/")
