import pytest
from django.core import mail

from practice.models import QuestionProgress
from tests.factories import EnrolmentFactory, RegionFactory, build_guide


@pytest.mark.django_db
def test_candidate_reads_their_profile(alice_api):
    response = alice_api.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.data["email"] == "alice@example.com"
    assert response.data["display_name"] == "Alice"
    assert response.data["time_zone"] == "Europe/London"
    assert response.data["email_confirmed"] is True


@pytest.mark.django_db
def test_candidate_changes_reminder_preferences(alice_api, alice):
    RegionFactory(name="Asia", slug="asia")

    response = alice_api.patch(
        "/api/v1/me/",
        {"reminder_weekday": 4, "reminder_hour": 18, "region": "asia", "reminders_enabled": False},
        format="json",
    )

    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.reminder_weekday, alice.reminder_hour) == (4, 18)
    assert alice.region.slug == "asia"
    assert alice.reminders_enabled is False
    # Fields left out keep their values.
    assert alice.time_zone == "Europe/London"


@pytest.mark.django_db
def test_bad_profile_values_are_refused_and_nothing_changes(alice_api, alice):
    response = alice_api.patch(
        "/api/v1/me/",
        {"time_zone": "Mars/Olympus", "reminder_hour": 25, "display_name": "Alicia"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.data["error"]["fields"]) == {"time_zone", "reminder_hour"}
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/London"
    assert alice.display_name == "Alice"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"email": "mallory@example.com"},
        {"email": "BOB@example.com", "display_name": "Alicia"},
        {"email": "a" * 300 + "@example.com"},
        {"email": None},
    ],
)
def test_the_address_cannot_be_changed_with_a_token(
    alice_api, alice, bob, body, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.patch("/api/v1/me/", body, format="json")

    assert response.status_code == 400
    assert list(response.data["error"]["fields"]) == ["email"]
    assert "settings page, with your password" in response.data["error"]["fields"]["email"][0]
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email, alice.display_name) == (
        "alice@example.com",
        "",
        "Alice",
    )
    assert not mail.outbox


@pytest.mark.django_db
def test_the_address_cannot_be_changed_with_a_session_either(client, alice):
    client.force_login(alice)
    response = client.patch(
        "/api/v1/me/", {"email": "mallory@example.com"}, content_type="application/json"
    )
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


@pytest.mark.django_db
def test_schema_says_the_address_is_read_only(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    email = schema["components"]["schemas"]["Profile"]["properties"]["email"]
    assert email["readOnly"] is True
    assert "settings page" in email["description"]


@pytest.mark.django_db
def test_profile_cannot_be_replaced_wholesale(alice_api):
    response = alice_api.put("/api/v1/me/", {"display_name": "X"}, format="json")

    assert response.status_code == 405
    assert response.data["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_export_contains_only_the_candidates_own_data(alice_api, alice, charlie):
    guide = build_guide(slug="okx", rounds=1, questions_per_round=1)
    EnrolmentFactory(user=alice, guide=guide)
    question = guide.questions.first()
    QuestionProgress.objects.create(
        user=alice, question=question, question_text=question.text, answer_draft="mine"
    )
    QuestionProgress.objects.create(
        user=charlie, question=question, question_text=question.text, answer_draft="charlie's"
    )

    response = alice_api.get("/api/v1/me/export/")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response.data["profile"]["email"] == "alice@example.com"
    assert [e["guide_slug"] for e in response.data["enrolments"]] == ["okx"]
    assert [n["answer_draft"] for n in response.data["question_notes"]] == ["mine"]
    # alice_api signs in with Alice's token "Tests"; its key is never part of the export.
    assert [t["name"] for t in response.data["api_tokens"]] == ["Tests"]
    assert "prep_" in response.data["api_tokens"][0]["starts_with"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/me/export/"])
def test_anonymous_visitors_have_no_profile(api, url):
    response = api.get(url)

    assert response.status_code == 401
    assert response.data["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"reminder_weekday": "1"},
        {"reminder_weekday": {}},
        {"reminder_hour": "9"},
        {"reminder_hour": True},
        {"reminders_enabled": 0},
        {"display_name": 5},
    ],
)
def test_values_of_the_wrong_json_type_are_refused(alice_api, alice, body):
    response = alice_api.patch("/api/v1/me/", body, format="json")

    assert response.status_code == 400
    assert list(response.data["error"]["fields"]) == list(body)
    alice.refresh_from_db()
    assert (alice.reminder_weekday, alice.reminder_hour, alice.display_name) == (0, 9, "Alice")
