import pytest
from django.core.cache import cache
from django.db import connection

from questions.models import Question, QuestionKind
from rounds.models import GuideStatus
from tests.factories import QuestionFactory, RegionFactory, TagFactory, build_guide


@pytest.fixture
def bank(db):
    """Two published guides and a draft, with questions of several kinds, rounds and regions."""
    okx = build_guide(rounds=2, questions_per_round=2, regions=1, slug="okx", company="OKX")
    other = build_guide(rounds=1, questions_per_round=1, regions=0, slug="other", company="Acme")
    asia = RegionFactory(name="Region 0", slug="region-0")
    kafka = QuestionFactory(
        guide=okx,
        round=okx.rounds.get(order=2),
        region=asia,
        kind=QuestionKind.SYSTEM_DESIGN,
        text="Design a matching engine for spot trading",
        guidance="Talk about Kafka and ordering.",
    )
    kafka.tags.add(TagFactory(name="distributed", slug="distributed"))
    hidden = QuestionFactory(guide=okx, text="Unpublished matching engine question")
    hidden.is_published = False
    hidden.save()
    build_guide(status=GuideStatus.DRAFT, slug="draft", rounds=1, questions_per_round=3)
    return {"okx": okx, "other": other, "kafka": kafka, "hidden": hidden}


def _ids(response) -> list[int]:
    return [q["id"] for q in response.data["results"]]


def test_question_list_shows_only_published_questions_of_published_guides(api, bank):
    response = api.get("/api/v1/questions/", {"page_size": 100})

    assert response.status_code == 200
    # okx: 1 regional + 4 round questions + kafka; other: 1 round question.
    assert response.data["count"] == 7
    assert bank["hidden"].pk not in _ids(response)
    assert {q["guide"] for q in response.data["results"]} == {"okx", "other"}


def test_questions_filter_by_guide_round_region_kind_and_tag(api, bank):
    kafka = bank["kafka"].pk

    by_guide = api.get("/api/v1/questions/", {"guide": "other"})
    by_round = api.get("/api/v1/questions/", {"guide": "okx", "round": "round-2"})
    by_region = api.get("/api/v1/questions/", {"region": "region-0", "kind": "system_design"})
    by_tag = api.get("/api/v1/questions/", {"tag": "distributed"})

    assert by_guide.data["count"] == 1
    assert by_round.data["count"] == 3
    assert kafka in _ids(by_round)
    assert _ids(by_region) == [kafka]
    assert _ids(by_tag) == [kafka]


def test_question_search_matches_every_word_in_text_or_guidance(api, bank):
    response = api.get("/api/v1/questions/", {"q": "matching kafka"})

    assert _ids(response) == [bank["kafka"].pk]


def test_question_search_with_no_match_is_an_empty_page_not_an_error(api, bank):
    response = api.get("/api/v1/questions/", {"q": "blockchain quantum"})

    assert response.status_code == 200
    assert response.data["count"] == 0


@pytest.mark.parametrize(
    "query",
    [
        {"guide": "no-such-guide"},
        {"round": "no-such-round"},
        {"region": "atlantis"},
        {"tag": "no-such-tag"},
        {"guide": "okx", "round": "no-such-round"},
        # Values no slug can have: not an error either, just nothing found.
        {"tag": "bad tag!"},
        {"round": "x" * 300},
    ],
)
def test_an_unknown_slug_in_any_filter_gives_an_empty_list(api, bank, query):
    response = api.get("/api/v1/questions/", query)

    assert response.status_code == 200
    assert response.data["count"] == 0
    assert response.data["results"] == []


def test_a_nul_character_in_a_filter_is_a_clear_400_not_a_database_error(api, bank):
    response = api.get("/api/v1/questions/", {"region": "region-0\x00"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"region": ["Null characters are not allowed."]}


def test_a_kind_outside_the_documented_list_gets_a_clear_error_body(api, bank):
    response = api.get("/api/v1/questions/", {"kind": "poetry", "round": "no-such-round"})

    assert response.status_code == 400
    error = response.data["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"kind"}
    assert "poetry" in error["fields"]["kind"][0]


def test_question_pages_are_stable_and_never_overlap(api, bank):
    first = api.get("/api/v1/questions/", {"page_size": 3})
    second = api.get("/api/v1/questions/", {"page_size": 3, "page": 2})
    third = api.get("/api/v1/questions/", {"page_size": 3, "page": 3})
    everything = api.get("/api/v1/questions/", {"page_size": 100})

    paged = _ids(first) + _ids(second) + _ids(third)
    assert paged == _ids(everything)
    assert len(set(paged)) == 7
    # In reading order: guides by company, then round, region and position in the guide.
    reading_order = sorted(
        Question.objects.published().select_related("guide", "round", "region"),
        key=lambda q: (
            q.guide.company,
            q.guide.role,
            q.guide_id,
            q.round.order if q.round else float("inf"),
            q.region.order if q.region else float("inf"),
            q.order,
            q.pk,
        ),
    )
    assert paged == [q.pk for q in reading_order]
    assert first.data["next"].endswith("page=2&page_size=3")


def test_question_detail_shows_published_question_and_hides_unpublished(api, bank):
    kafka = bank["kafka"]

    shown = api.get(f"/api/v1/questions/{kafka.pk}/")
    hidden = api.get(f"/api/v1/questions/{bank['hidden'].pk}/")

    assert shown.status_code == 200
    assert shown.data["text"] == "Design a matching engine for spot trading"
    assert shown.data["round"] == "round-2"
    assert shown.data["region"] == "region-0"
    assert shown.data["kind_display"] == "System design"
    assert shown.data["tags"] == [{"slug": "distributed", "name": "distributed"}]
    assert hidden.status_code == 404


def test_question_in_a_draft_guide_is_hidden(api, bank):
    from questions.models import Question

    draft_question = Question.objects.filter(guide__slug="draft").first()

    assert api.get(f"/api/v1/questions/{draft_question.pk}/").status_code == 404


def test_tags_list_only_tags_of_published_questions(api, bank):
    TagFactory(name="unused", slug="unused")
    bank["hidden"].tags.add(TagFactory(name="secret", slug="secret"))

    response = api.get("/api/v1/tags/")

    assert [t["slug"] for t in response.data["results"]] == ["distributed", "leadership"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # Count, the page's ids, its rows, their tags.
        ("/api/v1/questions/", 4),
        # A search adds its words' corrections on PostgreSQL; tags are matched in the same query
        # (the question's search document, or a subquery on SQLite).
        (
            "/api/v1/questions/?guide=g&kind=leadership&q=lead",
            5 if connection.vendor == "postgresql" else 4,
        ),
        ("/api/v1/tags/", 2),
    ],
)
def test_question_lists_cost_the_same_queries_for_small_and_large_banks(
    api, django_assert_num_queries, url, queries
):
    build_guide(rounds=1, questions_per_round=1, regions=1, slug="g")
    # Measure the work of building the answer, not a cache hit (prep.caching).
    cache.clear()
    with django_assert_num_queries(queries):
        assert api.get(url).status_code == 200

    for n in range(3):
        guide = build_guide(rounds=4, questions_per_round=6, regions=2, slug=f"big-{n}")
        for question in guide.questions.all()[:5]:
            question.tags.add(TagFactory(name=f"t{n}-{question.pk}", slug=f"t{n}-{question.pk}"))
    cache.clear()
    with django_assert_num_queries(queries):
        assert api.get(url).status_code == 200


def test_empty_filters_mean_all_as_html_forms_send_them(api, bank):
    response = api.get("/api/v1/questions/?guide=&kind=&round=&region=&tag=&q=")

    assert response.status_code == 200
    assert response.data["count"] == 7
