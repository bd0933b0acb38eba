"""Mocks and stories over the API: the whole mock, stories, isolation, list query counts."""

import datetime

import pytest
from django.utils import timezone

from mocks.models import Mock, MockAnswer
from practice.models import ReviewCard
from stories.models import Story
from tests.factories import EnrolmentFactory, build_guide


@pytest.fixture
def guide(db):
    return build_guide(company="OKX", slug="okx", rounds=2, questions_per_round=4, blocks=1)


@pytest.mark.django_db
def test_a_whole_mock_over_the_api(alice_api, alice, guide):
    EnrolmentFactory(user=alice, guide=guide)
    rnd = guide.rounds.get(order=2)
    story = alice_api.post(
        "/api/v1/stories/", {"title": "Scaling", "tags": ["scale"]}, format="json"
    )
    assert story.status_code == 201
    created = alice_api.post(
        "/api/v1/mocks/", {"round": rnd.pk, "questions": 2, "minutes": 3}, format="json"
    )
    assert created.status_code == 201
    mock = created.data
    assert mock["criteria"] == [guide.criteria.get().title]
    assert alice_api.post("/api/v1/mocks/", {"round": rnd.pk}, format="json").status_code == 409

    shown = alice_api.get(f"/api/v1/mocks/{mock['id']}/").data
    first = shown["current_answer"]
    assert shown["answers"][0]["deadline"] is not None
    MockAnswer.objects.filter(pk=first).update(
        shown_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    answered = alice_api.post(
        f"/api/v1/mocks/{mock['id']}/answer/",
        {"answer": first, "notes": "Late but kept", "story": story.data["id"]},
        format="json",
    )
    assert answered.status_code == 200
    assert answered.data["answers"][0]["timed_out"] is True
    assert answered.data["answers"][0]["notes"] == "Late but kept"
    again = alice_api.post(
        f"/api/v1/mocks/{mock['id']}/answer/", {"answer": first, "notes": "x"}, format="json"
    )
    assert again.status_code == 409
    second = answered.data["current_answer"]
    alice_api.post(f"/api/v1/mocks/{mock['id']}/answer/", {"answer": second}, format="json")
    graded = alice_api.post(
        f"/api/v1/mocks/{mock['id']}/grade/",
        {
            "grades": [{"score": 4, "reason": "Clear"}],
            "outcomes": [
                {"answer": first, "outcome": "missed"},
                {"answer": second, "outcome": "nailed"},
            ],
        },
        format="json",
    )
    assert graded.status_code == 200
    assert graded.data["status"] == "finished" and graded.data["score"] == "4.00"
    assert ReviewCard.objects.filter(user=alice).count() == 1
    assert list(Story.objects.get().questions.values_list("pk", flat=True)) == [
        MockAnswer.objects.get(pk=first).question_id
    ]


@pytest.mark.django_db
def test_reading_a_mock_moves_no_clock_and_a_post_starts_one(alice_api, alice, guide):
    rnd = guide.rounds.get(order=2)
    created = alice_api.post("/api/v1/mocks/", {"round": rnd.pk, "questions": 2}, format="json")
    first, second = MockAnswer.objects.filter(mock_id=created.data["id"]).order_by("position")
    assert first.shown_at is not None and second.shown_at is None
    # A mock begun before clocks started with it: its first question never started.
    MockAnswer.objects.filter(pk=first.pk).update(shown_at=None)
    url = f"/api/v1/mocks/{created.data['id']}/"

    assert alice_api.get(url).data["answers"][0]["deadline"] is None
    assert MockAnswer.objects.get(pk=first.pk).shown_at is None

    started = alice_api.post(f"{url}start-question/")
    assert started.status_code == 200
    assert started.data["answers"][0]["deadline"] is not None
    answered = alice_api.post(f"{url}answer/", {"answer": first.pk, "notes": "x"}, format="json")
    assert answered.data["answers"][1]["deadline"] is not None
    assert alice_api.post(f"{url}abandon/").status_code == 200
    assert alice_api.post(f"{url}start-question/").status_code == 409


@pytest.mark.django_db
def test_abandon_over_the_api(alice_api, guide):
    rnd = guide.rounds.first()
    mock = alice_api.post("/api/v1/mocks/", {"round": rnd.pk}, format="json").data
    response = alice_api.post(f"/api/v1/mocks/{mock['id']}/abandon/")
    assert response.status_code == 200 and response.data["status"] == "abandoned"
    assert alice_api.post(f"/api/v1/mocks/{mock['id']}/abandon/").status_code == 409


@pytest.mark.django_db
def test_bad_input_gets_a_400(alice_api, guide):
    assert alice_api.post("/api/v1/mocks/", {"round": "1"}, format="json").status_code == 400
    rnd = guide.rounds.first()
    bad = alice_api.post("/api/v1/mocks/", {"round": rnd.pk, "minutes": 0}, format="json")
    assert bad.status_code == 400
    assert alice_api.post("/api/v1/stories/", {"title": ""}, format="json").status_code == 400
    assert not Mock.objects.exists() and not Story.objects.exists()


@pytest.mark.django_db
def test_stories_crud_and_links(alice_api, guide):
    question = guide.questions.first()
    created = alice_api.post(
        "/api/v1/stories/",
        {"title": "Hiring", "situation": "S", "questions": [question.pk]},
        format="json",
    ).data
    assert created["questions"] == [question.pk]
    patched = alice_api.patch(
        f"/api/v1/stories/{created['id']}/", {"result": "Hired 12"}, format="json"
    ).data
    assert (patched["title"], patched["situation"], patched["result"]) == (
        "Hiring",
        "S",
        "Hired 12",
    )
    assert patched["questions"] == [question.pk]
    assert alice_api.delete(f"/api/v1/stories/{created['id']}/").status_code == 204
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_another_candidates_mocks_and_stories_answer_404(alice_api, charlie_api, guide):
    story = alice_api.post("/api/v1/stories/", {"title": "Mine"}, format="json").data
    mock = alice_api.post("/api/v1/mocks/", {"round": guide.rounds.first().pk}, format="json").data
    assert charlie_api.get("/api/v1/stories/").data["results"] == []
    assert charlie_api.get("/api/v1/mocks/").data["results"] == []
    assert charlie_api.get(f"/api/v1/stories/{story['id']}/").status_code == 404
    assert (
        charlie_api.patch(
            f"/api/v1/stories/{story['id']}/", {"title": "x"}, format="json"
        ).status_code
        == 404
    )
    assert charlie_api.delete(f"/api/v1/stories/{story['id']}/").status_code == 404
    assert charlie_api.get(f"/api/v1/mocks/{mock['id']}/").status_code == 404
    for action in ("answer", "grade", "abandon"):
        response = charlie_api.post(f"/api/v1/mocks/{mock['id']}/{action}/", {}, format="json")
        assert response.status_code == 404, action
    # Nor can Alice use Charlie's story.
    theirs = charlie_api.post("/api/v1/stories/", {"title": "Charlie's"}, format="json").data
    answer = alice_api.get(f"/api/v1/mocks/{mock['id']}/").data["current_answer"]
    response = alice_api.post(
        f"/api/v1/mocks/{mock['id']}/answer/",
        {"answer": answer, "story": theirs["id"]},
        format="json",
    )
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_list_queries_do_not_grow(alice_api, alice, guide, size, django_assert_num_queries):
    questions = list(guide.questions.all()[:3])
    for n in range(size):
        Story.objects.create(user=alice, title=f"S{n}").questions.set(questions)
    for rnd in guide.rounds.all():
        Mock.objects.create(user=alice, round=rnd, minutes_per_question=5, status="finished")
    # Token and user, count, page, then the stories' questions and criteria.
    with django_assert_num_queries(5):
        assert alice_api.get("/api/v1/stories/").status_code == 200
    with django_assert_num_queries(3):
        assert alice_api.get("/api/v1/mocks/").status_code == 200


@pytest.mark.django_db
def test_a_client_starts_a_mock_with_the_round_id_the_guide_lists(alice_api, alice, guide):
    """The round's id was taken by POST /mocks/ but returned by no endpoint (slugs only)."""
    EnrolmentFactory(user=alice, guide=guide)
    rounds = alice_api.get(f"/api/v1/guides/{guide.slug}/").data["rounds"]
    second = rounds[1]
    detail = alice_api.get(f"/api/v1/guides/{guide.slug}/rounds/{second['slug']}/").data
    assert detail["id"] == second["id"]

    created = alice_api.post("/api/v1/mocks/", {"round": second["id"]}, format="json")

    assert created.status_code == 201
    assert created.data["round_title"] == second["title"]


@pytest.mark.django_db
def test_a_mock_is_answered_in_order_and_shows_no_question_before_its_turn(alice_api, alice, guide):
    """A client could answer the third question first: its clock 'started' as it was saved
    (0 seconds taken), and every question's text was in the mock before its turn."""
    EnrolmentFactory(user=alice, guide=guide)
    rnd = guide.rounds.get(order=1)
    mock = alice_api.post("/api/v1/mocks/", {"round": rnd.pk, "questions": 3}, format="json").data
    first, second, third = mock["answers"]
    assert first["question_text"] and first["question"]
    assert (second["question_text"], second["question"]) == (None, None)
    assert third["question_text"] is None

    skipped = alice_api.post(
        f"/api/v1/mocks/{mock['id']}/answer/",
        {"answer": third["id"], "notes": "Ahead"},
        format="json",
    )

    assert skipped.status_code == 409
    assert "in order" in skipped.json()["detail"]
    assert MockAnswer.objects.get(pk=third["id"]).answered_at is None
    answered = alice_api.post(
        f"/api/v1/mocks/{mock['id']}/answer/",
        {"answer": first["id"], "notes": "First"},
        format="json",
    ).data
    assert answered["answers"][1]["question_text"]  # its clock started with the save
    assert answered["answers"][2]["question_text"] is None


@pytest.mark.django_db
def test_a_client_links_a_story_to_criteria_the_guide_lists(alice_api, guide):
    """POST /stories/ took criterion ids, but the guide listed its criteria without them."""
    criteria = alice_api.get(f"/api/v1/guides/{guide.slug}/").data["criteria"]

    created = alice_api.post(
        "/api/v1/stories/",
        {"title": "Vision", "criteria": [criteria[0]["id"]]},
        format="json",
    )

    assert created.status_code == 201
    assert created.data["criteria"] == [criteria[0]["id"]]
    assert Story.objects.get().criteria.get().title == criteria[0]["title"]


@pytest.fixture
def answered_mock(alice_api, guide):
    """A mock of two questions, both answered, ready to grade."""
    mock = alice_api.post(
        "/api/v1/mocks/", {"round": guide.rounds.first().pk, "questions": 2}, format="json"
    ).data
    for answer in mock["answers"]:
        alice_api.post(
            f"/api/v1/mocks/{mock['id']}/answer/", {"answer": answer["id"]}, format="json"
        )
    return mock


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("second", "field"),
    [
        ({"answer": "unknown", "outcome": "missed"}, "outcomes.1.answer"),
        ({"answer": "first", "outcome": "missed"}, "outcomes.1.answer"),
        ({"answer": "second", "outcome": "brilliant"}, "outcomes.1.outcome"),
        (None, "outcomes"),
    ],
)
def test_grading_errors_name_the_fields_of_the_request(alice_api, answered_mock, second, field):
    """An outcome for an answer not in the mock was refused as `outcome_<id>`, a form's name."""
    first_id, second_id = (a["id"] for a in answered_mock["answers"])
    outcomes = [{"answer": first_id, "outcome": "nailed"}]
    if second is not None:
        answer = {"first": first_id, "second": second_id}.get(second["answer"], 999_999)
        outcomes.append({**second, "answer": answer})

    response = alice_api.post(
        f"/api/v1/mocks/{answered_mock['id']}/grade/",
        {"grades": [{"score": 3, "reason": "Fine"}], "outcomes": outcomes},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert Mock.objects.get().status == "in_progress"
