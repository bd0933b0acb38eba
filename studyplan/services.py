"""Writes to a candidate's enrolments and task progress; called by pages, API and admin alike.

Every function takes the rows it changes (already scoped to the candidate by the caller) and raises
ValidationError with a message fit to show on a form when the request makes no sense; with
`code="conflict"` when it is the enrolment's current state that forbids it (the API answers 409).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.validators import validate_time_zone
from rounds.models import Guide, Region

from . import progress
from .delivery import reminders_on_enrolment_created, reminders_on_plan_changed
from .models import Enrolment, EnrolmentStatus, StudyBlock, StudyTask, TaskProgress

# Further than this from today, a date is a typo rather than a plan.
MAX_DATE_DISTANCE = datetime.timedelta(days=366)


class ReplanMode:
    SHIFT = "shift"
    TARGET = "target"
    CHOICES = [
        (SHIFT, "Shift the remaining weeks so they start today"),
        (TARGET, "Fit the plan to my interview date"),
    ]


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _validate_dates(
    *,
    start_date: datetime.date,
    target_interview_date: datetime.date | None,
    today: datetime.date,
    plan_weeks: int,
    check_start: bool = True,
) -> None:
    errors: dict[str, str] = {}
    if check_start and abs(start_date - today) > MAX_DATE_DISTANCE:
        errors["start_date"] = (
            f"Choose a start date within a year of today ({_day(today)}); "
            f"{_day(start_date)} is too far away."
        )
    if target_interview_date is not None:
        if target_interview_date < today:
            errors["target_interview_date"] = (
                "The interview date is in the past. Leave it empty if you don't know it yet."
            )
        elif target_interview_date <= start_date:
            errors["target_interview_date"] = "The interview date must come after the start date."
        elif target_interview_date - today > MAX_DATE_DISTANCE + datetime.timedelta(
            weeks=plan_weeks
        ):
            errors["target_interview_date"] = (
                "That interview date is more than a year away; check the year."
            )
    if errors:
        raise ValidationError(errors)


def enrolment_create(
    *,
    user: User,
    guide: Guide,
    start_date: datetime.date | None = None,
    region: Region | None = None,
    target_interview_date: datetime.date | None = None,
    time_zone: str | None = None,
    now: datetime.datetime | None = None,
) -> Enrolment:
    """Enrol `user` in a published guide; enrolling again after leaving keeps earlier progress.

    A `time_zone` given here becomes the account's: weeks and reminders of every plan follow one
    time zone, the one the candidate lives in.
    """
    if not guide.is_published:
        raise ValidationError("This guide is not open for enrolment.")
    if time_zone is not None:
        try:
            validate_time_zone(time_zone)
        except ValidationError as exc:
            raise ValidationError({"time_zone": exc.messages}) from None
    today = progress.local_today_for(time_zone or user.time_zone, now)
    if start_date is None:
        start_date = progress.next_monday(today)
    if region is None:
        region = user.region
    _validate_dates(
        start_date=start_date,
        target_interview_date=target_interview_date,
        today=today,
        plan_weeks=guide.plan_weeks,
    )
    with transaction.atomic():
        if time_zone is not None and time_zone != user.time_zone:
            user.time_zone = time_zone
            user.save(update_fields=["time_zone"])
        enrolment = Enrolment.objects.select_for_update().filter(user=user, guide=guide).first()
        if enrolment is not None and enrolment.status != EnrolmentStatus.LEFT:
            raise ValidationError("You are already enrolled in this guide.", code="conflict")
        if enrolment is None:
            enrolment = Enrolment(user=user, guide=guide)
        enrolment.start_date = start_date
        enrolment.region = region
        enrolment.target_interview_date = target_interview_date
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.paused_on = None
        # Enrolling is asking for the plan, reminders included, even after an earlier unsubscribe.
        enrolment.reminders_enabled = True
        try:
            with transaction.atomic():
                enrolment.save()
        except IntegrityError:
            # Two submissions raced past the check above; the first one won.
            raise ValidationError(
                "You are already enrolled in this guide.", code="conflict"
            ) from None
        reminders_on_enrolment_created(enrolment_id=enrolment.pk)
    return enrolment


def enrolment_update(
    *,
    enrolment: Enrolment,
    region: Region | None,
    target_interview_date: datetime.date | None,
    reminders_enabled: bool,
    now: datetime.datetime | None = None,
) -> Enrolment:
    """Change an enrolment's region, interview date and reminder choice."""
    today = enrolment.local_today(now)
    # Only what changes is checked: a plan that began long ago or an interview that has passed
    # must not stop the candidate from changing their region or reminders.
    if target_interview_date != enrolment.target_interview_date:
        _validate_dates(
            start_date=enrolment.start_date,
            target_interview_date=target_interview_date,
            today=today,
            plan_weeks=enrolment.guide.plan_weeks,
            check_start=False,
        )
    enrolment.region = region
    enrolment.target_interview_date = target_interview_date
    enrolment.reminders_enabled = reminders_enabled
    enrolment.save(
        update_fields=["region", "target_interview_date", "reminders_enabled", "updated_at"]
    )
    return enrolment


def enrolment_pause(*, enrolment: Enrolment, now: datetime.datetime | None = None) -> Enrolment:
    """Pause a plan: weeks keep counting, but reminders stop until it is resumed."""
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise ValidationError("Only an active plan can be paused.", code="conflict")
    enrolment.status = EnrolmentStatus.PAUSED
    enrolment.paused_on = enrolment.local_today(now)
    enrolment.save(update_fields=["status", "paused_on", "updated_at"])
    return enrolment


def enrolment_resume(*, enrolment: Enrolment) -> Enrolment:
    """Resume a paused plan where the dates put it; re-planning is a separate choice."""
    if enrolment.status != EnrolmentStatus.PAUSED:
        raise ValidationError("Only a paused plan can be resumed.", code="conflict")
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.paused_on = None
    enrolment.save(update_fields=["status", "paused_on", "updated_at"])
    return enrolment


def enrolment_leave(*, enrolment: Enrolment) -> Enrolment:
    """Leave a guide; ticks and notes stay, so enrolling again picks up where the candidate was."""
    if enrolment.status == EnrolmentStatus.LEFT:
        raise ValidationError("You have already left this guide.", code="conflict")
    enrolment.status = EnrolmentStatus.LEFT
    enrolment.paused_on = None
    enrolment.save(update_fields=["status", "paused_on", "updated_at"])
    return enrolment


def enrolment_replan(
    *,
    enrolment: Enrolment,
    mode: str,
    target_interview_date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Enrolment:
    """Move the plan's start date so the remaining weeks fit the candidate's real calendar.

    `shift`: the first week with unfinished tasks begins today. `target`: the plan ends the day
    before the interview (`target_interview_date`, or the one already on the enrolment).
    A paused plan is resumed, since re-planning means the candidate is back.
    """
    if enrolment.status == EnrolmentStatus.LEFT:
        raise ValidationError("You have left this guide; enrol again to plan it.", code="conflict")
    today = enrolment.local_today(now)
    plan_weeks = enrolment.guide.plan_weeks
    if mode == ReplanMode.SHIFT:
        blocks = StudyBlock.objects.filter(guide_id=enrolment.guide_id).prefetch_related("tasks")
        done = set(enrolment.task_progress.values_list("task_id", flat=True))
        first_week = progress.first_unfinished_week(progress.block_progress(blocks, done, week=0))
        if first_week is None:
            raise ValidationError(
                "Every task is done: there is nothing left to re-plan.", code="conflict"
            )
        start_date = progress.shifted_start(first_week=first_week, today=today)
        target = enrolment.target_interview_date
        if target is not None and (target <= start_date or target < today):
            target = None
    elif mode == ReplanMode.TARGET:
        target = target_interview_date or enrolment.target_interview_date
        if target is None:
            raise ValidationError(
                {"target_interview_date": "Enter your interview date to fit the plan to it."}
            )
        if target <= today:
            raise ValidationError(
                {"target_interview_date": "The interview date must be after today."}
            )
        start_date = progress.start_for_interview(target=target, plan_weeks=plan_weeks)
    else:
        raise ValidationError({"mode": "Choose how to re-plan."})
    _validate_dates(
        start_date=start_date, target_interview_date=target, today=today, plan_weeks=plan_weeks
    )
    enrolment.start_date = start_date
    enrolment.target_interview_date = target
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.paused_on = None
    enrolment.save(
        update_fields=["start_date", "target_interview_date", "status", "paused_on", "updated_at"]
    )
    reminders_on_plan_changed(enrolment_id=enrolment.pk, now=now)
    return enrolment


def task_set_done(*, enrolment: Enrolment, task: StudyTask, done: bool) -> bool:
    """Tick or untick a study task; repeating either is harmless. Returns the new state."""
    if task.block.guide_id != enrolment.guide_id:
        raise ValidationError("That task is not part of this plan.")
    if enrolment.status == EnrolmentStatus.LEFT:
        raise ValidationError(
            "You have left this guide; enrol again to track progress.", code="conflict"
        )
    if done:
        TaskProgress.objects.get_or_create(enrolment=enrolment, task=task)
    else:
        TaskProgress.objects.filter(enrolment=enrolment, task=task).delete()
    return done
