"""Errors as RFC 9457 problem details, the old `error` body kept, and JSON even for a 500."""

import pytest
from rest_framework.test import APIClient

from prep.api_errors import PROBLEMS


@pytest.fixture
def unhandled_api(alice):
    """Alice's client that answers a crash as a visitor would see it, not by raising in the test."""
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(alice)
    return client


@pytest.mark.django_db
def test_an_unhandled_exception_in_an_api_view_answers_problem_json(unhandled_api, monkeypatch):
    def broken_export(**kwargs):
        raise RuntimeError("the export's database view is gone")

    monkeypatch.setattr("accounts.api.user_export_data", broken_export)

    response = unhandled_api.get("/api/v1/me/export/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "http://testserver/api/v1/problems/server_error/"
    assert body["status"] == 500
    assert body["code"] == body["error"]["code"] == "server_error"
    assert body["instance"] == "/api/v1/me/export/"
    # Nothing about the failure itself leaks to the client.
    assert "database view" not in response.content.decode()


@pytest.mark.django_db
def test_a_crash_while_writing_answers_problem_json_too(unhandled_api, monkeypatch, alice):
    from tests.factories import build_guide

    guide = build_guide()

    def broken_create(**kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("studyplan.services.enrolment_create", broken_create)

    response = unhandled_api.post("/api/v1/enrolments/", {"guide": guide.slug}, format="json")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


@pytest.mark.django_db
def test_a_crash_outside_the_api_still_shows_the_sites_error_page(client, monkeypatch):
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("rounds.views.render", broken)

    response = client.get("/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_validation_errors_carry_problem_fields_and_the_old_error_body(alice_api):
    response = alice_api.post("/api/v1/enrolments/", {}, format="json")

    body = response.json()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert body["title"] == "Invalid request"
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert body["fields"] == {"guide": ["This field is required."]}
    assert body["error"] == {
        "code": "invalid",
        "message": body["detail"],
        "fields": {"guide": ["This field is required."]},
    }


@pytest.mark.django_db
def test_every_problem_type_is_described_at_its_address(api):
    for code, (status, title, _description) in PROBLEMS.items():
        response = api.get(f"/api/v1/problems/{code}/")

        assert response.status_code == 200
        assert response.data["status"] == status
        assert response.data["title"] == title


@pytest.mark.django_db
def test_an_unknown_problem_type_is_not_found(api):
    response = api.get("/api/v1/problems/no_such_thing/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_the_code_of_every_error_is_one_the_schema_lists(api, alice_api):
    answers = [
        api.get("/api/v1/me/"),
        api.get("/api/v1/guides/?page=9"),
        alice_api.put("/api/v1/me/", {}, format="json"),
        alice_api.generic("POST", "/api/v1/practice/", "x", content_type="text/plain"),
        alice_api.generic("POST", "/api/v1/practice/", "{", content_type="application/json"),
    ]

    codes = [answer.json()["code"] for answer in answers]

    assert codes == [
        "not_authenticated",
        "not_found",
        "method_not_allowed",
        "unsupported_media_type",
        "parse_error",
    ]
    assert all(answer["Content-Type"] == "application/problem+json" for answer in answers)


@pytest.mark.django_db
def test_a_request_django_refuses_before_the_api_answers_problem_json(api, settings):
    settings.ALLOWED_HOSTS = ["testserver"]

    response = api.get("/api/v1/guides/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "/api/v1/problems/invalid/"


@pytest.mark.django_db
def test_a_missing_object_is_not_named_by_its_model(alice_api, alice):
    # "No StudyTask matches the given query." spoke of the code, not of the API.
    from studyplan.services import enrolment_create
    from tests.factories import build_guide

    enrolment = enrolment_create(user=alice, guide=build_guide(slug="acme"))
    response = alice_api.put(f"/api/v1/enrolments/{enrolment.pk}/tasks/999999/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["detail"] == "Nothing was found at this address."
