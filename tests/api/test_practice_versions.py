"""ETag and If-Match on a candidate's notes: two devices never overwrite each other silently."""

import pytest

from practice.models import QuestionProgress
from tests.factories import QuestionFactory, build_guide


@pytest.fixture
def notes(alice):
    question = QuestionFactory(guide=build_guide(), text="Tell me about a conflict")
    return QuestionProgress.objects.create(
        user=alice,
        question=question,
        guide=question.guide,
        question_text=question.text,
        answer_draft="First draft",
    )


@pytest.mark.django_db
def test_a_stale_write_from_a_second_device_is_refused_and_loses_nothing(alice_api, notes):
    url = f"/api/v1/practice/{notes.pk}/"
    phone_read = alice_api.get(url)
    laptop_read = alice_api.get(url)

    laptop = alice_api.patch(
        url, {"answer_draft": "Laptop"}, format="json", HTTP_IF_MATCH=laptop_read["ETag"]
    )
    phone = alice_api.patch(
        url, {"answer_draft": "Phone"}, format="json", HTTP_IF_MATCH=phone_read["ETag"]
    )

    assert phone_read["ETag"] == laptop_read["ETag"]
    assert laptop.status_code == 200
    assert laptop["ETag"] != laptop_read["ETag"]
    assert phone.status_code == 412
    assert phone["Content-Type"] == "application/problem+json"
    assert phone.data["code"] == "precondition_failed"
    notes.refresh_from_db()
    assert notes.answer_draft == "Laptop"


@pytest.mark.django_db
def test_the_etag_of_a_write_lets_the_same_device_write_again(alice_api, notes):
    url = f"/api/v1/practice/{notes.pk}/"
    first = alice_api.patch(
        url, {"answer_draft": "One"}, format="json", HTTP_IF_MATCH=alice_api.get(url)["ETag"]
    )

    second = alice_api.patch(
        url, {"answer_draft": "Two"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )

    assert second.status_code == 200
    assert second.data["answer_draft"] == "Two"
    assert alice_api.get(url)["ETag"] == second["ETag"]


@pytest.mark.django_db
def test_without_if_match_writes_work_as_before(alice_api, notes):
    response = alice_api.patch(
        f"/api/v1/practice/{notes.pk}/", {"answer_draft": "No header"}, format="json"
    )

    assert response.status_code == 200
    assert response.data["answer_draft"] == "No header"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("if_match", "status"),
    [("*", 204), ('W/"anything"', 412), ('"not-the-etag"', 412), ("garbage", 412)],
)
def test_delete_honours_if_match(alice_api, notes, if_match, status):
    response = alice_api.delete(f"/api/v1/practice/{notes.pk}/", HTTP_IF_MATCH=if_match)

    assert response.status_code == status
    assert QuestionProgress.objects.filter(pk=notes.pk).exists() == (status == 412)


@pytest.mark.django_db
def test_a_weak_form_of_the_current_etag_never_matches(alice_api, notes):
    url = f"/api/v1/practice/{notes.pk}/"
    etag = alice_api.get(url)["ETag"]

    response = alice_api.patch(
        url, {"status": "practised"}, format="json", HTTP_IF_MATCH=f"W/{etag}"
    )

    assert response.status_code == 412


@pytest.mark.django_db
def test_posting_practice_honours_if_match_too(alice_api, notes):
    question = notes.question.pk
    etag = alice_api.get(f"/api/v1/practice/{notes.pk}/")["ETag"]
    alice_api.patch(f"/api/v1/practice/{notes.pk}/", {"answer_draft": "Elsewhere"}, format="json")

    stale = alice_api.post(
        "/api/v1/practice/", {"question": question, "answer_draft": "Mine"}, HTTP_IF_MATCH=etag
    )

    assert stale.status_code == 412
    notes.refresh_from_db()
    assert notes.answer_draft == "Elsewhere"


@pytest.mark.django_db
def test_if_match_on_notes_that_do_not_exist_yet_is_refused(alice_api, alice):
    question = QuestionFactory(guide=build_guide())

    response = alice_api.post(
        "/api/v1/practice/", {"question": question.pk}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 412
    assert not QuestionProgress.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_another_candidate_learns_nothing_from_if_match(charlie_api, notes):
    response = charlie_api.patch(
        f"/api/v1/practice/{notes.pk}/", {"answer_draft": "x"}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 404
