"""When each reminder is due: the candidate's wall clock, whatever the daylight-saving rules."""

import datetime
import zoneinfo

import pytest

from accounts.models import User, Weekday
from reminders.due import (
    due_reminders,
    final_due_at,
    local_time_to_utc,
    week_due_at,
    week_due_date,
)
from reminders.models import ReminderKind
from rounds.models import Guide
from studyplan.models import Enrolment, EnrolmentStatus

from .conftest import utc


def enrolment_for(
    time_zone: str,
    start: datetime.date,
    *,
    weekday: int = Weekday.MONDAY,
    hour: int = 9,
    interview: datetime.date | None = None,
) -> Enrolment:
    """An unsaved enrolment: the schedule is pure arithmetic and needs no database."""
    user = User(
        email="alice@example.com",
        time_zone=time_zone,
        reminder_weekday=weekday,
        reminder_hour=hour,
        email_confirmed_at=utc(2026, 1, 1),
    )
    return Enrolment(
        user=user,
        guide=Guide(plan_weeks=8),
        start_date=start,
        target_interview_date=interview,
        status=EnrolmentStatus.ACTIVE,
    )


def local(moment: datetime.datetime, time_zone: str) -> datetime.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone))


@pytest.mark.parametrize(
    ("time_zone", "start", "before_utc", "after_utc"),
    [
        # Spring forward: London 29 March 2026, New York 8 March 2026.
        ("Europe/London", datetime.date(2026, 3, 23), utc(2026, 3, 23, 9), utc(2026, 3, 30, 8)),
        ("America/New_York", datetime.date(2026, 3, 2), utc(2026, 3, 2, 14), utc(2026, 3, 9, 13)),
        # Fall back: London 25 October 2026, New York 1 November 2026.
        ("Europe/London", datetime.date(2026, 10, 19), utc(2026, 10, 19, 8), utc(2026, 10, 26, 9)),
        (
            "America/New_York",
            datetime.date(2026, 10, 26),
            utc(2026, 10, 26, 13),
            utc(2026, 11, 2, 14),
        ),
    ],
)
def test_reminder_stays_at_nine_local_on_both_sides_of_a_clock_change(
    time_zone, start, before_utc, after_utc
):
    enrolment = enrolment_for(time_zone, start)

    week_1, week_2 = week_due_at(enrolment, 1), week_due_at(enrolment, 2)

    assert (week_1, week_2) == (before_utc, after_utc)
    assert local(week_1, time_zone).hour == local(week_2, time_zone).hour == 9
    assert local(week_1, time_zone).utcoffset() != local(week_2, time_zone).utcoffset()


def test_hour_skipped_by_spring_forward_is_sent_one_hour_later_not_dropped():
    london = zoneinfo.ZoneInfo("Europe/London")

    # 01:00 does not exist in London on 29 March 2026: clocks jump from 01:00 to 02:00.
    due = local_time_to_utc(datetime.date(2026, 3, 29), 1, london)

    assert due == utc(2026, 3, 29, 1)
    assert due.astimezone(london).strftime("%H:%M %Z") == "02:00 BST"


def test_hour_repeated_by_fall_back_is_sent_at_its_first_occurrence():
    london = zoneinfo.ZoneInfo("Europe/London")

    # 01:00 happens twice in London on 25 October 2026 (BST, then GMT): the first one counts.
    due = local_time_to_utc(datetime.date(2026, 10, 25), 1, london)

    assert due == utc(2026, 10, 25, 0)
    assert due.astimezone(london).strftime("%H:%M %Z") == "01:00 BST"


# The plan starts on a Wednesday (7 January 2026, Singapore); weeks run Wednesday to Tuesday.
WEDNESDAY_START = datetime.date(2026, 1, 7)


@pytest.mark.parametrize("weekday", list(Weekday))
def test_each_weeks_email_is_due_on_its_first_day_whatever_weekday_is_chosen(weekday):
    enrolment = enrolment_for("Asia/Singapore", WEDNESDAY_START, weekday=weekday)

    for week in range(1, 9):
        first_day = WEDNESDAY_START + datetime.timedelta(weeks=week - 1)
        assert week_due_date(enrolment, week) == first_day
        # 09:00 in Singapore (UTC+8) is 01:00 UTC.
        assert week_due_at(enrolment, week) == utc(
            first_day.year, first_day.month, first_day.day, 1
        )


@pytest.mark.parametrize("weekday", list(Weekday))
def test_the_week_email_is_never_due_after_the_weeks_first_day(weekday):
    enrolment = enrolment_for("Asia/Singapore", WEDNESDAY_START, weekday=weekday)
    week_2 = WEDNESDAY_START + datetime.timedelta(weeks=1)  # Wednesday 14 January

    the_evening_before = utc(2026, 1, 13, 12)
    assert [d.week for d in due_reminders(enrolment, the_evening_before)] == [1]
    # 08:59 on Wednesday in Singapore: week 2 has begun, its e-mail is a minute away.
    just_before = utc(2026, 1, 14, 0, 59)
    assert due_reminders(enrolment, just_before) == []
    on_the_hour = utc(2026, 1, 14, 1)
    [due] = due_reminders(enrolment, on_the_hour)
    assert (due.week, due.due_at) == (2, on_the_hour)
    assert due.due_at.astimezone(zoneinfo.ZoneInfo("Asia/Singapore")).date() == week_2


def test_nothing_is_due_before_the_local_hour():
    enrolment = enrolment_for("America/New_York", datetime.date(2026, 3, 2))

    assert due_reminders(enrolment, utc(2026, 3, 9, 12, 59)) == []
    assert [(d.kind, d.week) for d in due_reminders(enrolment, utc(2026, 3, 9, 13))] == [
        (ReminderKind.WEEK, 2)
    ]


def test_after_downtime_only_the_current_week_is_due():
    enrolment = enrolment_for("Europe/London", datetime.date(2026, 1, 5))

    # The scheduler was down from week 2 until Thursday of week 5.
    due = due_reminders(enrolment, utc(2026, 2, 5, 12))

    assert [(d.kind, d.week) for d in due] == [(ReminderKind.WEEK, 5)]
    assert due[0].due_at == utc(2026, 2, 2, 9)


def test_no_weekly_reminder_once_the_plan_is_over():
    enrolment = enrolment_for("Europe/London", datetime.date(2026, 1, 5))

    # Eight weeks from 5 January end on 1 March; 2 March is the day after.
    due = due_reminders(enrolment, utc(2026, 3, 2, 12))

    assert [(d.kind, d.week) for d in due] == [(ReminderKind.FINAL, 0)]
    assert final_due_at(enrolment) == utc(2026, 3, 2, 9)


def test_closing_email_is_not_sent_weeks_after_the_plan_ended():
    enrolment = enrolment_for("Europe/London", datetime.date(2026, 1, 5))

    assert due_reminders(enrolment, utc(2026, 3, 20, 12)) == []


def test_closing_email_comes_on_interview_day_and_weekly_ones_stop_then():
    interview = datetime.date(2026, 2, 18)
    enrolment = enrolment_for("Europe/London", datetime.date(2026, 1, 5), interview=interview)

    on_the_day = due_reminders(enrolment, utc(2026, 2, 18, 9))
    week_after = due_reminders(enrolment, utc(2026, 2, 23, 10))

    assert [(d.kind, d.week) for d in on_the_day] == [(ReminderKind.FINAL, 0)]
    assert final_due_at(enrolment) == utc(2026, 2, 18, 9)
    assert [(d.kind, d.week) for d in week_after] == [(ReminderKind.FINAL, 0)]


@pytest.mark.parametrize(
    "change",
    [
        {"user__email_confirmed_at": None},
        {"user__is_active": False},
        {"user__reminders_enabled": False},
        {"reminders_enabled": False},
        {"status": EnrolmentStatus.PAUSED},
        {"status": EnrolmentStatus.LEFT},
    ],
    ids=["unconfirmed", "inactive", "reminders-off", "unsubscribed", "paused", "left"],
)
def test_ineligible_enrolment_owes_nothing(change):
    enrolment = enrolment_for("Europe/London", datetime.date(2026, 1, 5))
    for field, value in change.items():
        target = enrolment.user if field.startswith("user__") else enrolment
        setattr(target, field.removeprefix("user__"), value)

    assert due_reminders(enrolment, utc(2026, 1, 12, 12)) == []
