import datetime

import pytest
from django.urls import reverse

from studyplan.models import Enrolment, EnrolmentStatus
from studyplan.progress import enrolments_progress, next_reminder_at
from tests.factories import EnrolmentFactory
from tests.studyplan.conftest import all_tasks, days_ago, local_today, tick


def url(name: str, enrolment) -> str:
    return reverse(f"studyplan:{name}", kwargs={"enrolment_id": enrolment.pk})


@pytest.mark.django_db
def test_pause_stops_reminders_but_weeks_keep_counting(client, alice, alice_enrolment):
    client.force_login(alice)
    response = client.post(url("pause", alice_enrolment), follow=True)
    assert "is paused" in response.content.decode()
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.status == EnrolmentStatus.PAUSED
    assert alice_enrolment.paused_on == local_today(alice)
    assert next_reminder_at(alice_enrolment) is None
    assert enrolments_progress(user=alice)[0].week == 3


@pytest.mark.django_db
def test_resume_as_planned_keeps_dates(client, alice, alice_enrolment):
    start = alice_enrolment.start_date
    client.force_login(alice)
    client.post(url("pause", alice_enrolment))
    client.post(url("resume", alice_enrolment))
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.status == EnrolmentStatus.ACTIVE
    assert alice_enrolment.start_date == start
    assert next_reminder_at(alice_enrolment) is not None


@pytest.mark.django_db
def test_resuming_an_active_plan_is_a_clear_no_op(client, alice, alice_enrolment):
    client.force_login(alice)
    response = client.post(url("resume", alice_enrolment), follow=True)
    assert "Only a paused plan can be resumed." in response.content.decode()


@pytest.mark.django_db
def test_leave_hides_the_plan_and_keeps_the_row(client, alice, alice_enrolment, guide):
    client.force_login(alice)
    response = client.post(url("leave", alice_enrolment), follow=True)
    page = response.content.decode()
    assert "You left" in page
    assert "Guides you left" in page
    assert "Week 3 of 8" not in page
    assert Enrolment.objects.get(pk=alice_enrolment.pk).status == EnrolmentStatus.LEFT


@pytest.mark.django_db
def test_actions_only_accept_post(client, alice, alice_enrolment):
    client.force_login(alice)
    for name in ("pause", "resume"):
        assert client.get(url(name, alice_enrolment)).status_code == 405
    # Leaving asks first: the link opens a confirmation, only its form leaves.
    page = client.get(url("leave", alice_enrolment)).content.decode()
    assert "Your ticks and notes are kept" in page
    assert Enrolment.objects.get(pk=alice_enrolment.pk).status == EnrolmentStatus.ACTIVE


@pytest.mark.django_db
def test_shift_replan_starts_first_unfinished_week_today(client, alice, alice_enrolment, guide):
    tick(alice_enrolment, all_tasks(guide)[:3])  # block weeks 1-2 done
    alice_enrolment.start_date = days_ago(alice, 35)  # week 6: behind
    alice_enrolment.save()
    client.force_login(alice)
    response = client.post(
        url("replan", alice_enrolment), {"mode": "shift", "confirm": "on"}, follow=True
    )
    alice_enrolment.refresh_from_db()
    today = local_today(alice)
    assert alice_enrolment.start_date == today - datetime.timedelta(weeks=2)
    assert alice_enrolment.week_on(today) == 3
    assert "Re-planned: you are in week 3 of 8" in response.content.decode()
    assert "You are behind schedule" not in response.content.decode()


@pytest.mark.django_db
def test_shift_replan_resumes_a_paused_plan(client, alice, alice_enrolment):
    alice_enrolment.status = EnrolmentStatus.PAUSED
    alice_enrolment.save()
    client.force_login(alice)
    client.post(url("replan", alice_enrolment), {"mode": "shift", "confirm": "on"})
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.status == EnrolmentStatus.ACTIVE
    assert alice_enrolment.week_on(local_today(alice)) == 1


@pytest.mark.django_db
def test_target_replan_ends_plan_the_day_before_the_interview(client, alice, alice_enrolment):
    interview = local_today(alice) + datetime.timedelta(days=30)
    client.force_login(alice)
    client.post(
        url("replan", alice_enrolment),
        {"mode": "target", "target_interview_date": interview.isoformat(), "confirm": "on"},
    )
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.target_interview_date == interview
    assert alice_enrolment.schedule.end == interview - datetime.timedelta(days=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data,message",
    [
        ({"mode": "target"}, "Enter your interview date to fit the plan to it."),
        ({"mode": "target", "target_interview_date": "2020-05-01"}, "must be after today"),
        ({"mode": "sideways"}, "Choose how to re-plan."),
        ({"mode": "target", "target_interview_date": "2999-05-01"}, "within a year of today"),
    ],
)
def test_bad_replan_gets_a_clear_message_and_changes_nothing(
    client, alice, alice_enrolment, data, message
):
    before = alice_enrolment.start_date
    client.force_login(alice)
    response = client.post(url("replan", alice_enrolment), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.start_date == before
    assert alice_enrolment.target_interview_date is None


@pytest.mark.django_db
def test_replan_with_everything_done_says_so(client, alice, alice_enrolment, guide):
    tick(alice_enrolment, all_tasks(guide))
    client.force_login(alice)
    response = client.post(url("replan", alice_enrolment), {"mode": "shift"})
    assert "nothing left to re-plan" in response.content.decode()


@pytest.mark.django_db
def test_replan_page_explains_both_choices(client, alice, alice_enrolment):
    client.force_login(alice)
    page = client.get(url("replan", alice_enrolment)).content.decode()
    assert "Shift the remaining weeks so they start today" in page
    assert "Fit the plan to my interview date" in page


@pytest.mark.django_db
def test_plan_settings_change_region_interview_and_reminders(client, alice, alice_enrolment):
    interview = local_today(alice) + datetime.timedelta(days=60)
    client.force_login(alice)
    response = client.post(
        url("settings", alice_enrolment),
        {"target_interview_date": interview.isoformat(), "reminders_enabled": ""},
    )
    assert response.status_code == 302
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.target_interview_date == interview
    assert alice_enrolment.reminders_enabled is False
    assert next_reminder_at(alice_enrolment) is None


@pytest.mark.django_db
def test_next_reminder_follows_weekday_hour_and_time_zone(bob, guide):
    bob.reminder_weekday = 0
    bob.reminder_hour = 8
    enrolment = EnrolmentFactory(user=bob, guide=guide, start_date=datetime.date(2026, 3, 2))
    # Monday 2 March 2026, 01:00 UTC is 09:00 in Singapore: this week's reminder has gone.
    now = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)
    due = next_reminder_at(enrolment, now)
    assert due.isoformat() == "2026-03-09T08:00:00+08:00"
    # Before the plan starts, the first reminder is on its first Monday.
    early = datetime.datetime(2026, 2, 20, tzinfo=datetime.UTC)
    assert next_reminder_at(enrolment, early).date() == datetime.date(2026, 3, 2)
    # After the plan ends, none.
    late = datetime.datetime(2026, 4, 27, 12, tzinfo=datetime.UTC)
    assert next_reminder_at(enrolment, late) is None


@pytest.mark.django_db
def test_a_passed_interview_does_not_block_other_plan_settings(client, alice, guide):
    enrolment = EnrolmentFactory(
        user=alice,
        guide=guide,
        start_date=days_ago(alice, 400),
        target_interview_date=days_ago(alice, 10),
    )
    client.force_login(alice)
    response = client.post(
        url("settings", enrolment),
        {"target_interview_date": enrolment.target_interview_date.isoformat()},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.reminders_enabled is False


@pytest.mark.django_db
def test_shift_replan_drops_an_interview_date_that_has_passed(client, alice, guide):
    enrolment = EnrolmentFactory(
        user=alice,
        guide=guide,
        start_date=days_ago(alice, 70),
        target_interview_date=days_ago(alice, 3),
    )
    client.force_login(alice)
    client.post(url("replan", enrolment), {"mode": "shift", "confirm": "on"})
    enrolment.refresh_from_db()
    assert enrolment.week_on(local_today(alice)) == 1
    assert enrolment.target_interview_date is None


@pytest.mark.django_db
def test_no_reminder_is_promised_on_or_after_the_interview_day(bob, guide):
    bob.reminder_weekday = 0
    bob.reminder_hour = 8
    enrolment = EnrolmentFactory(
        user=bob,
        guide=guide,
        start_date=datetime.date(2026, 3, 2),
        target_interview_date=datetime.date(2026, 3, 16),
    )
    sunday_evening = datetime.datetime(2026, 3, 8, 12, tzinfo=datetime.UTC)  # 20:00 in Singapore
    assert next_reminder_at(enrolment, sunday_evening).isoformat() == "2026-03-09T08:00:00+08:00"
    # Week 3's Monday is the interview day itself: nothing more is promised.
    monday_evening = datetime.datetime(2026, 3, 9, 12, tzinfo=datetime.UTC)
    assert next_reminder_at(enrolment, monday_evening) is None
