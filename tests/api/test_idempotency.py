"""Idempotency-Key: a retried POST replays the first answer instead of creating twice."""

import datetime

import pytest
from django.utils import timezone

from practice.models import QuestionProgress
from prep.models import IdempotencyRecord
from studyplan.models import Enrolment
from tests.factories import QuestionFactory, build_guide


@pytest.fixture
def guide(db):
    return build_guide(slug="okx")


def _enrol(client, key, body=None):
    return client.post(
        "/api/v1/enrolments/", body or {"guide": "okx"}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


@pytest.mark.django_db
def test_a_retried_enrolment_replays_the_first_answer_and_enrols_once(alice_api, alice, guide):
    first = _enrol(alice_api, "0c6f4a52-enrol")
    retry = _enrol(alice_api, "0c6f4a52-enrol")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Enrolment.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_without_a_key_a_second_enrolment_is_a_conflict_as_before(alice_api, guide):
    alice_api.post("/api/v1/enrolments/", {"guide": "okx"}, format="json")

    again = alice_api.post("/api/v1/enrolments/", {"guide": "okx"}, format="json")

    assert again.status_code == 409


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(alice_api, alice, guide):
    build_guide(slug="other")
    _enrol(alice_api, "key-1")

    response = _enrol(alice_api, "key-1", {"guide": "other"})

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert list(Enrolment.objects.filter(user=alice).values_list("guide__slug", flat=True)) == [
        "okx"
    ]


@pytest.mark.django_db
def test_keys_belong_to_one_candidate(alice_api, charlie_api, alice, charlie, guide):
    alices = _enrol(alice_api, "shared-key")
    charlies = _enrol(charlie_api, "shared-key")

    assert alices.status_code == charlies.status_code == 201
    assert charlies.json()["id"] != alices.json()["id"]
    assert "Idempotent-Replayed" not in charlies


@pytest.mark.django_db
def test_a_failed_request_keeps_the_key_free_for_the_corrected_one(alice_api, alice, guide):
    refused = _enrol(alice_api, "key-2", {"guide": "okx", "start_date": "2099-01-05"})
    corrected = _enrol(alice_api, "key-2")

    assert refused.status_code == 400
    assert corrected.status_code == 201
    assert "Idempotent-Replayed" not in corrected


@pytest.mark.django_db
def test_a_crash_keeps_the_key_free_and_stores_nothing(alice, guide, monkeypatch):
    from rest_framework.test import APIClient

    client = APIClient(raise_request_exception=False)
    client.force_authenticate(alice)
    monkeypatch.setattr("studyplan.services.enrolment_create", lambda **kwargs: 1 / 0, raising=True)

    response = _enrol(client, "key-3")

    assert response.status_code == 500
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_keys_are_kept_for_a_day(alice_api, alice, guide):
    first = _enrol(alice_api, "key-4")
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    alice_api.post(f"/api/v1/enrolments/{first.json()['id']}/leave/")

    later = _enrol(alice_api, "key-4")

    # The day-old key is forgotten: this is a new request (enrolling again after leaving).
    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later
    assert later.json()["status"] == "active"
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db
def test_a_retried_practice_post_is_replayed_with_its_etag(alice_api, alice, guide):
    question = QuestionFactory(guide=guide)
    body = {"question": question.pk, "answer_draft": "Draft"}

    first = alice_api.post("/api/v1/practice/", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    retry = alice_api.post("/api/v1/practice/", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")

    assert first.status_code == retry.status_code == 201
    assert retry["ETag"] == first["ETag"]
    assert retry["Location"] == first["Location"]
    assert QuestionProgress.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "has space", "é", "x" * 256])
def test_a_malformed_key_is_a_400(alice_api, alice, guide, key):
    response = _enrol(alice_api, key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert not Enrolment.objects.filter(user=alice).exists()
