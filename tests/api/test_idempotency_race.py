"""Two retries with one Idempotency-Key at the same moment (PostgreSQL): one enrolment."""

import threading
import time

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from accounts.api_tokens import api_token_create
from studyplan import services
from studyplan.models import Enrolment
from tests.factories import UserFactory, build_guide

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_retries_with_one_key_enrol_once_and_get_the_same_answer(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions: run with DATABASE_URL (CI does)")
    build_guide(slug="okx")
    user = UserFactory(email="racer@example.com")
    _, key = api_token_create(user=user, name="Phone")
    create = services.enrolment_create

    def slow_create(**kwargs):
        # The first request is still working when the retry arrives.
        time.sleep(0.5)
        return create(**kwargs)

    monkeypatch.setattr(services, "enrolment_create", slow_create)
    start = threading.Barrier(2, timeout=10)
    answers = []

    def send() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            start.wait()
            answers.append(
                client.post(
                    "/api/v1/enrolments/",
                    {"guide": "okx"},
                    format="json",
                    HTTP_IDEMPOTENCY_KEY="race-key",
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert sorted(answer.get("Idempotent-Replayed", "") for answer in answers) == ["", "true"]
    assert Enrolment.objects.filter(user=user).count() == 1
