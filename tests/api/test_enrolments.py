import datetime

import pytest

from rounds.models import GuideStatus
from studyplan.models import Enrolment, EnrolmentStatus
from tests.factories import EnrolmentFactory, RegionFactory, build_guide


@pytest.fixture
def guide(db):
    return build_guide(slug="okx", blocks=2, tasks_per_block=2)


@pytest.fixture
def alices(alice, guide):
    """Alice's enrolment in the guide."""
    return EnrolmentFactory(user=alice, guide=guide, start_date=datetime.date.today())


def test_anonymous_visitors_get_401_with_a_token_challenge(api):
    response = api.get("/api/v1/enrolments/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.data["error"]["code"] == "not_authenticated"


def test_candidate_enrols_in_a_published_guide(alice_api, alice, guide):
    response = alice_api.post("/api/v1/enrolments/", {"guide": "okx"}, format="json")

    assert response.status_code == 201
    enrolment = Enrolment.objects.get(user=alice)
    assert response.data["id"] == enrolment.pk
    assert response.data["guide"]["slug"] == "okx"
    assert response.data["status"] == "active"
    assert enrolment.start_date.weekday() == 0
    assert response.data["tasks_total"] == 4
    assert response.data["tasks_done"] == 0


def test_enrolling_with_a_region_and_interview_date(alice_api, guide):
    RegionFactory(name="Asia", slug="asia")
    today = datetime.date.today()

    response = alice_api.post(
        "/api/v1/enrolments/",
        {
            "guide": "okx",
            "region": "asia",
            "start_date": today.isoformat(),
            "target_interview_date": (today + datetime.timedelta(weeks=9)).isoformat(),
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.data["region"] == "asia"
    assert response.data["week"] == 1


def test_draft_guides_cannot_be_enrolled_in(alice_api, alice):
    build_guide(slug="draft", status=GuideStatus.DRAFT)

    response = alice_api.post("/api/v1/enrolments/", {"guide": "draft"}, format="json")

    assert response.status_code == 400
    assert "guide" in response.data["error"]["fields"]
    assert not Enrolment.objects.filter(user=alice).exists()


def test_enrolling_twice_is_refused_with_a_message(alice_api, alices):
    response = alice_api.post("/api/v1/enrolments/", {"guide": "okx"}, format="json")

    assert response.status_code == 409
    assert response.data["code"] == "conflict"
    assert response.data["error"]["message"] == "You are already enrolled in this guide."
    assert Enrolment.objects.count() == 1


def test_a_start_date_years_away_is_refused(alice_api, alice, guide):
    response = alice_api.post(
        "/api/v1/enrolments/", {"guide": "okx", "start_date": "2099-01-05"}, format="json"
    )

    assert response.status_code == 400
    assert "start_date" in response.data["error"]["fields"]
    assert not Enrolment.objects.filter(user=alice).exists()


def test_list_shows_only_the_candidates_own_enrolments(alice_api, alices, charlie):
    EnrolmentFactory(user=charlie, guide=build_guide(slug="other"))

    response = alice_api.get("/api/v1/enrolments/")

    assert [e["id"] for e in response.data["results"]] == [alices.pk]


def test_pause_resume_and_leave(alice_api, alices):
    url = f"/api/v1/enrolments/{alices.pk}/"

    paused = alice_api.post(url + "pause/")
    paused_again = alice_api.post(url + "pause/")
    resumed = alice_api.post(url + "resume/")
    left = alice_api.post(url + "leave/")

    assert paused.status_code == 200
    assert paused.data["status"] == "paused"
    assert paused.data["paused_on"] is not None
    assert paused_again.status_code == 409
    assert paused_again.data["error"]["message"] == "Only an active plan can be paused."
    assert resumed.data["status"] == "active"
    assert left.data["status"] == "left"
    alices.refresh_from_db()
    assert alices.status == EnrolmentStatus.LEFT


def test_enrolling_again_after_leaving_reuses_the_enrolment(alice_api, alices):
    alice_api.post(f"/api/v1/enrolments/{alices.pk}/leave/")

    response = alice_api.post("/api/v1/enrolments/", {"guide": "okx"}, format="json")

    assert response.status_code == 201
    assert response.data["id"] == alices.pk
    assert response.data["status"] == "active"


def test_patch_changes_reminders_and_validates_dates(alice_api, alices):
    url = f"/api/v1/enrolments/{alices.pk}/"

    ok = alice_api.patch(url, {"reminders_enabled": False}, format="json")
    bad = alice_api.patch(url, {"target_interview_date": "2001-01-01"}, format="json")

    assert ok.status_code == 200
    assert ok.data["reminders_enabled"] is False
    assert bad.status_code == 400
    assert "target_interview_date" in bad.data["error"]["fields"]
    alices.refresh_from_db()
    assert alices.reminders_enabled is False
    assert alices.target_interview_date is None


def test_replan_to_an_interview_date_moves_the_start(alice_api, alices):
    interview = datetime.date.today() + datetime.timedelta(weeks=10)

    response = alice_api.post(
        f"/api/v1/enrolments/{alices.pk}/replan/",
        {"mode": "target", "target_interview_date": interview.isoformat()},
        format="json",
    )

    assert response.status_code == 200
    alices.refresh_from_db()
    assert alices.start_date == interview - datetime.timedelta(weeks=8)
    assert alices.target_interview_date == interview


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"reminders_enabled": False}),
        ("post", "pause/", None),
        ("post", "resume/", None),
        ("post", "leave/", None),
        ("post", "replan/", {"mode": "shift"}),
        ("get", "tasks/", None),
    ],
)
def test_another_candidates_enrolment_is_not_found_and_unchanged(
    charlie_api, alices, method, suffix, body
):
    response = getattr(charlie_api, method)(
        f"/api/v1/enrolments/{alices.pk}/{suffix}", body, format="json"
    )

    assert response.status_code == 404
    assert "results" not in response.data
    alices.refresh_from_db()
    assert alices.status == EnrolmentStatus.ACTIVE
    assert alices.reminders_enabled is True


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"reminders_enabled": False}),
        ("post", "pause/", None),
        ("post", "resume/", None),
        ("post", "leave/", None),
        ("post", "replan/", {"mode": "shift"}),
        ("get", "tasks/", None),
    ],
)
def test_anonymous_visitors_cannot_touch_enrolments(api, alices, method, suffix, body):
    response = getattr(api, method)(f"/api/v1/enrolments/{alices.pk}/{suffix}", body)

    assert response.status_code == 401
    assert response.data["error"]["code"] == "not_authenticated"
    alices.refresh_from_db()
    assert alices.status == EnrolmentStatus.ACTIVE
    assert alices.reminders_enabled is True


def test_anonymous_visitors_cannot_enrol(api, guide):
    response = api.post("/api/v1/enrolments/", {"guide": "okx"})

    assert response.status_code == 401
    assert not Enrolment.objects.exists()


def test_enrolment_list_costs_the_same_queries_for_one_or_many(
    alice_api, alice, django_assert_num_queries
):
    EnrolmentFactory(user=alice, guide=build_guide(slug="g0"))
    # Token auth (user), count, page.
    with django_assert_num_queries(3):
        assert alice_api.get("/api/v1/enrolments/").data["count"] == 1

    for n in range(1, 5):
        EnrolmentFactory(user=alice, guide=build_guide(slug=f"g{n}", blocks=3))
    with django_assert_num_queries(3):
        assert alice_api.get("/api/v1/enrolments/").data["count"] == 5


def test_enrolling_through_the_api_can_set_the_time_zone(alice_api, alice, guide):
    response = alice_api.post(
        "/api/v1/enrolments/", {"guide": "okx", "time_zone": "America/New_York"}, format="json"
    )

    assert response.status_code == 201
    alice.refresh_from_db()
    assert alice.time_zone == "America/New_York"


def test_an_unknown_time_zone_in_the_api_is_a_400_and_changes_nothing(alice_api, alice, guide):
    response = alice_api.post(
        "/api/v1/enrolments/", {"guide": "okx", "time_zone": "Mars/Olympus"}, format="json"
    )

    assert response.status_code == 400
    assert "time_zone" in response.data["error"]["fields"]
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/London"
    assert not Enrolment.objects.filter(user=alice).exists()
