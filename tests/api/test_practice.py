import pytest

from practice.models import QuestionProgress
from questions.models import QuestionKind
from tests.factories import QuestionFactory, build_guide


@pytest.fixture
def question(db):
    guide = build_guide(slug="okx", rounds=1, questions_per_round=1)
    return QuestionFactory(
        guide=guide, kind=QuestionKind.BEHAVIOURAL, text="Tell me about a conflict"
    )


@pytest.fixture
def alices_notes(alice, question):
    return QuestionProgress.objects.create(
        user=alice,
        question=question,
        guide=question.guide,
        question_text=question.text,
        answer_draft="Alice's private draft",
    )


def test_recording_practice_creates_notes(alice_api, alice, question):
    response = alice_api.post(
        "/api/v1/practice/",
        {
            "question": question.pk,
            "status": "practised",
            "answer_draft": "Two teams disagreed",
        },
        format="json",
    )

    assert response.status_code == 201
    saved = QuestionProgress.objects.get(user=alice)
    assert saved.answer_draft == "Two teams disagreed"
    # STAR text lives in stories (/api/v1/stories/), no longer beside the notes.
    assert not any(name.startswith("star_") for name in response.data)
    assert saved.last_practised_at is not None
    assert response.data["question_text"] == "Tell me about a conflict"
    assert response.data["uses_star"] is True
    assert response.data["guide"] == "okx"


def test_recording_practice_again_updates_the_same_notes(alice_api, alices_notes, question):
    response = alice_api.post(
        "/api/v1/practice/", {"question": question.pk, "status": "confident"}, format="json"
    )

    assert response.status_code == 200
    assert response.data["id"] == alices_notes.pk
    assert response.data["status"] == "confident"
    # Fields left out keep their value.
    assert response.data["answer_draft"] == "Alice's private draft"


def test_patching_notes_keeps_fields_left_out(alice_api, alices_notes):
    response = alice_api.patch(
        f"/api/v1/practice/{alices_notes.pk}/", {"status": "confident"}, format="json"
    )

    assert response.status_code == 200
    alices_notes.refresh_from_db()
    assert alices_notes.status == "confident"
    assert alices_notes.answer_draft == "Alice's private draft"


def test_unpublished_questions_cannot_be_practised(alice_api, alice, question):
    question.is_published = False
    question.save()

    response = alice_api.post("/api/v1/practice/", {"question": question.pk}, format="json")

    assert response.status_code == 400
    assert "question" in response.data["error"]["fields"]
    assert not QuestionProgress.objects.exists()


def test_overlong_notes_are_refused_and_nothing_is_saved(alice_api, alices_notes):
    response = alice_api.patch(
        f"/api/v1/practice/{alices_notes.pk}/",
        {"status": "confident", "answer_draft": "x" * 10_001},
        format="json",
    )

    assert response.status_code == 400
    assert "answer_draft" in response.data["error"]["fields"]
    alices_notes.refresh_from_db()
    assert alices_notes.status == "new"
    assert alices_notes.answer_draft == "Alice's private draft"


def test_notes_of_a_deleted_question_stay_readable_and_deletable(alice_api, alices_notes, question):
    question.delete()

    shown = alice_api.get(f"/api/v1/practice/{alices_notes.pk}/")
    patched = alice_api.patch(f"/api/v1/practice/{alices_notes.pk}/", {"status": "confident"})
    deleted = alice_api.delete(f"/api/v1/practice/{alices_notes.pk}/")

    assert shown.data["question"] is None
    assert shown.data["question_text"] == "Tell me about a conflict"
    assert patched.status_code == 409
    assert patched.data["code"] == "conflict"
    assert deleted.status_code == 204
    assert not QuestionProgress.objects.exists()


def test_another_candidate_never_sees_or_changes_the_notes(charlie_api, alices_notes):
    url = f"/api/v1/practice/{alices_notes.pk}/"

    listing = charlie_api.get("/api/v1/practice/")

    assert listing.data["count"] == 0
    assert charlie_api.get(url).status_code == 404
    assert charlie_api.patch(url, {"answer_draft": "hacked"}, format="json").status_code == 404
    assert charlie_api.delete(url).status_code == 404
    alices_notes.refresh_from_db()
    assert alices_notes.answer_draft == "Alice's private draft"


def test_anonymous_visitors_cannot_read_or_write_notes(api, alices_notes, question):
    assert api.get("/api/v1/practice/").status_code == 401
    assert api.get(f"/api/v1/practice/{alices_notes.pk}/").status_code == 401
    assert api.post("/api/v1/practice/", {"question": question.pk}).status_code == 401
    assert api.delete(f"/api/v1/practice/{alices_notes.pk}/").status_code == 401
    assert QuestionProgress.objects.count() == 1


def test_practice_list_costs_the_same_queries_for_few_or_many_notes(
    alice_api, alice, django_assert_num_queries
):
    guide = build_guide(slug="g", rounds=3, questions_per_round=5)
    questions = list(guide.questions.all())
    QuestionProgress.objects.create(user=alice, question=questions[0], question_text="q")
    # Token auth (user), count, page.
    with django_assert_num_queries(3):
        assert alice_api.get("/api/v1/practice/").data["count"] == 1
    for q in questions[1:12]:
        QuestionProgress.objects.create(user=alice, question=q, guide=guide, question_text="q")
    with django_assert_num_queries(3):
        assert alice_api.get("/api/v1/practice/").data["count"] == 12


def test_practice_list_shows_the_candidates_notes_newest_first(alice_api, alice, alices_notes):
    other = QuestionFactory(guide=alices_notes.guide, text="Why this company?")
    newer = QuestionProgress.objects.create(user=alice, question=other, question_text=other.text)

    response = alice_api.get("/api/v1/practice/")

    assert response.status_code == 200
    assert [n["id"] for n in response.data["results"]] == [newer.pk, alices_notes.pk]
    assert response.data["results"][1]["answer_draft"] == "Alice's private draft"
