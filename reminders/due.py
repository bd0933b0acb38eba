"""When each reminder e-mail is due for an enrolment: pure date arithmetic, no database writes.

Every due time is computed in the candidate's own time zone and converted to UTC only at the end, so
"Monday 09:00" stays 09:00 on the wall clock on both sides of a daylight-saving change.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from studyplan.models import Enrolment
from studyplan.schedule import (
    local_time_to_utc,
    week_reminder_at,
    week_reminder_day,
    welcome_covers_week,
)

from .models import ReminderKind

# How long after the plan ends the closing e-mail may still go out if the scheduler was down;
# after that it would arrive out of the blue, so it is skipped.
FINAL_GRACE = datetime.timedelta(days=7)


@dataclass(frozen=True)
class DueReminder:
    """One e-mail an enrolment is owed now."""

    kind: str
    week: int
    due_at: datetime.datetime


def week_due_date(enrolment: Enrolment, week: int) -> datetime.date:
    """The day the reminder for study week `week` is due (the rule is the plan's: schedule.py)."""
    return week_reminder_day(enrolment, week)


def week_due_at(enrolment: Enrolment, week: int) -> datetime.datetime:
    """When the reminder for study week `week` is due, in UTC."""
    return week_reminder_at(enrolment, week)


def final_due_at(enrolment: Enrolment) -> datetime.datetime:
    """When the closing e-mail is due: interview day if set, else the day after the last week."""
    user = enrolment.user
    day = enrolment.target_interview_date or enrolment.week_start(enrolment.guide.plan_weeks + 1)
    return local_time_to_utc(day, user.reminder_hour, zoneinfo.ZoneInfo(user.time_zone))


def is_eligible(enrolment: Enrolment) -> bool:
    """Whether this enrolment may be e-mailed reminders at all right now."""
    return enrolment.may_be_emailed()


def due_reminders(enrolment: Enrolment, now: datetime.datetime) -> list[DueReminder]:
    """The weekly and closing reminders due at `now`.

    Only the current study week can be due: after downtime the candidate gets this week's e-mail
    once, never a backlog for weeks already over.
    """
    if not is_eligible(enrolment):
        return []
    today = enrolment.local_today(now)
    plan_weeks = enrolment.guide.plan_weeks
    interview_day = enrolment.target_interview_date
    due: list[DueReminder] = []

    week = enrolment.week_on(today)
    if (
        1 <= week <= plan_weeks
        and (interview_day is None or today < interview_day)
        and enrolment.schedule.opens_period(week)
    ):
        due_at = week_due_at(enrolment, week)
        if due_at <= now and not welcome_covers_week(enrolment, week):
            due.append(DueReminder(kind=ReminderKind.WEEK, week=week, due_at=due_at))

    final_at = final_due_at(enrolment)
    if final_at <= now < final_at + FINAL_GRACE and today >= enrolment.start_date:
        due.append(DueReminder(kind=ReminderKind.FINAL, week=0, due_at=final_at))
    return due
