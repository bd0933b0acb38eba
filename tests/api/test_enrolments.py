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
    # Token auth (user), count, page, the guides' blocks, study periods, round dates.
    with django_assert_num_queries(6):
        assert alice_api.get("/api/v1/enrolments/").data["count"] == 1

    for n in range(1, 5):
        EnrolmentFactory(user=alice, guide=build_guide(slug=f"g{n}", blocks=3))
    with django_assert_num_queries(6):
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


def test_a_fitted_plan_shows_its_periods_and_can_be_undone(alice_api, alices):
    today = alices.local_today()
    interview = today + datetime.timedelta(days=10)

    response = alice_api.post(
        f"/api/v1/enrolments/{alices.pk}/replan/",
        {"mode": "target", "target_interview_date": interview.isoformat()},
        format="json",
    )

    assert response.status_code == 200
    periods = response.data["periods"]
    assert [(p["start_week"], p["start_date"], p["end_date"]) for p in periods] == [
        (1, today.isoformat(), (today + datetime.timedelta(days=4)).isoformat()),
        (
            5,
            (today + datetime.timedelta(days=5)).isoformat(),
            (today + datetime.timedelta(days=9)).isoformat(),
        ),
    ]
    assert response.data["plan_end"] == (interview - datetime.timedelta(days=1)).isoformat()
    assert response.data["can_undo_replan"] is True

    undone = alice_api.post(f"/api/v1/enrolments/{alices.pk}/replan/undo/")
    assert undone.status_code == 200
    assert undone.data["start_date"] == today.isoformat()
    assert (
        undone.data["periods"][0]["end_date"] == (today + datetime.timedelta(days=27)).isoformat()
    )
    assert undone.data["can_undo_replan"] is False
    again = alice_api.post(f"/api/v1/enrolments/{alices.pk}/replan/undo/")
    assert again.status_code == 409


def test_candidate_records_a_round_date_over_the_api(alice_api, alices, guide):
    day = alices.local_today() + datetime.timedelta(days=6)

    response = alice_api.put(
        f"/api/v1/enrolments/{alices.pk}/rounds/round-1/",
        {"date": day.isoformat(), "time": "09:30"},
        format="json",
    )

    assert response.status_code == 200
    assert response.data["round_dates"] == [
        {
            "round": "round-1",
            "round_title": "Round 1",
            "date": day.isoformat(),
            "time": "09:30:00",
            "time_zone": alices.user.time_zone,
            "result": "",
        }
    ]
    gone = alice_api.delete(f"/api/v1/enrolments/{alices.pk}/rounds/round-1/")
    assert gone.status_code == 200 and gone.data["round_dates"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "date"),
        ({"date": "soon"}, "date"),
        ({"date": "2026-12-01", "time": "25:00"}, "time"),
        ({"date": "2026-12-01", "result": "won"}, "result"),
        ({"date": "2999-12-01"}, "date"),
    ],
)
def test_bad_round_dates_get_400_and_save_nothing(alice_api, alices, body, field):
    response = alice_api.put(f"/api/v1/enrolments/{alices.pk}/rounds/round-1/", body, format="json")

    assert response.status_code == 400
    assert field in str(response.data)
    assert not alices.bookings.exists()


def test_round_dates_of_others_or_unknown_rounds_are_not_found(charlie_api, alice_api, alices):
    day = (alices.local_today() + datetime.timedelta(days=3)).isoformat()
    assert (
        charlie_api.put(
            f"/api/v1/enrolments/{alices.pk}/rounds/round-1/", {"date": day}, format="json"
        ).status_code
        == 404
    )
    assert (
        alice_api.put(
            f"/api/v1/enrolments/{alices.pk}/rounds/no-such-round/", {"date": day}, format="json"
        ).status_code
        == 404
    )
    assert not alices.bookings.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"guide": "okx", "region": 5},
        {"guide": "okx", "time_zone": 0},
        {"guide": ["okx"]},
    ],
)
def test_values_of_the_wrong_json_type_say_so(alice_api, guide, body):
    RegionFactory(name="Five", slug="5")
    (field,) = (name for name, value in body.items() if not isinstance(value, str))

    response = alice_api.post("/api/v1/enrolments/", body, format="json")

    assert response.status_code == 400
    assert list(response.data["fields"]) == [field]
    assert response.data["fields"][field][0] in {"Must be a slug (text).", "Must be text."}
    assert not Enrolment.objects.exists()


def test_a_round_result_left_empty_is_still_taken(alice_api, alices, guide):
    date = datetime.date.today().isoformat()
    response = alice_api.put(
        f"/api/v1/enrolments/{alices.pk}/rounds/{guide.rounds.first().slug}/",
        {"date": date, "result": ""},
        format="json",
    )

    assert response.status_code == 200
    assert response.data["round_dates"][0]["result"] == ""
