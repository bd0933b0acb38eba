"""Fields a write does not take are refused by name, never silently dropped."""

import datetime

import pytest

from studyplan.models import Enrolment
from tests.api.test_schema_matches_answers import ID_OF, do_everything
from tests.factories import EnrolmentFactory, build_guide


@pytest.fixture
def enrolment(alice):
    guide = build_guide(slug="okx", rounds=1, questions_per_round=1, blocks=1)
    return EnrolmentFactory(user=alice, guide=guide, start_date=datetime.date.today())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ({"target_interview_date": "2026-12-20", "bogus": 1}, ["bogus"]),
        # A typo answered 200 and changed nothing.
        ({"target_interview_data": "2026-12-20"}, ["target_interview_data"]),
        ({"status": "paused", "id": 7}, ["status", "id"]),
    ],
)
def test_an_enrolment_patch_with_a_field_it_does_not_take_changes_nothing(
    alice_api, enrolment, body, refused
):
    response = alice_api.patch(f"/api/v1/enrolments/{enrolment.pk}/", body, format="json")

    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == sorted(refused)
    assert "check its name" in response.json()["fields"][refused[0]][0]
    assert Enrolment.objects.get().target_interview_date is None


@pytest.mark.django_db
def test_read_only_profile_fields_are_refused_not_ignored(alice_api, alice):
    response = alice_api.patch(
        "/api/v1/me/",
        {"email_confirmed": False, "date_joined": "2020-01-01T00:00:00Z", "display_name": "Al"},
        format="json",
    )

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields == {
        "email_confirmed": ["Read-only: it cannot be changed here."],
        "date_joined": ["Read-only: it cannot be changed here."],
    }
    alice.refresh_from_db()
    assert alice.display_name == "Alice" and alice.email_confirmed_at is not None


@pytest.mark.django_db
def test_refused_fields_are_listed_with_the_invalid_ones(alice_api):
    response = alice_api.patch("/api/v1/me/", {"reminder_hour": 25, "hour": 9}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"reminder_hour", "hour"}


@pytest.mark.django_db
def test_every_write_refuses_a_field_it_does_not_take(alice_api, openapi):
    schema = openapi
    ids = do_everything(alice_api, schema)
    writes = [
        (path, method)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"post", "put", "patch"}
    ]

    for template, method in writes:
        collection = template.split("/")[3]
        params = {**ids, "id": ids.get(ID_OF.get(collection, ""))}
        path = template.format(**params)
        response = getattr(alice_api, method)(path, {"bogus": 1}, format="json")

        assert response.status_code == 400, (method, path, response.content)
        assert "bogus" in response.json()["fields"], (method, path)


@pytest.mark.django_db
def test_nested_entries_refuse_unknown_fields_by_their_index(alice_api, alice):
    guide = build_guide(slug="okx", rounds=1, questions_per_round=2, blocks=1)
    mock = alice_api.post("/api/v1/mocks/", {"round": guide.rounds.get().pk}, format="json").json()
    for answer in mock["answers"]:
        alice_api.post(
            f"/api/v1/mocks/{mock['id']}/answer/", {"answer": answer["id"]}, format="json"
        )

    response = alice_api.post(
        f"/api/v1/mocks/{mock['id']}/grade/",
        {
            "grades": [{"score": 3, "reason": "Fine", "weight": 2}],
            "outcomes": [{"answer": a["id"], "outcome": "nailed"} for a in mock["answers"]],
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["grades.0.weight"]


@pytest.mark.django_db
def test_the_schema_says_request_bodies_take_no_other_fields(openapi):
    requests = {
        name: component
        for name, component in openapi["components"]["schemas"].items()
        if name.endswith("Request")
    }

    assert "PatchedEnrolmentUpdateRequest" in requests
    for name, component in requests.items():
        assert component["additionalProperties"] is False, name
