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
from rounds.models import Guide, Region, Round

from . import progress, signals
from .models import (
    Enrolment,
    EnrolmentPeriod,
    EnrolmentStatus,
    RoundBooking,
    RoundResult,
    StudyBlock,
    StudyTask,
    TaskProgress,
)
from .replanning import ReplanMode, ReplanProposal, bring_forward, replan_proposal

__all__ = ["ReplanMode"]

# Further than this from today, a date is a typo rather than a plan.
MAX_DATE_DISTANCE = datetime.timedelta(days=366)


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _validate_dates(
    *,
    start_date: datetime.date,
    target_interview_date: datetime.date | None,
    today: datetime.date,
    plan_weeks: int,
    check_start: bool = True,
    interview_after_start: bool = True,
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
        elif interview_after_start and target_interview_date <= start_date:
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
        # A new run of the plan: the dates of an earlier fit no longer apply.
        enrolment.has_periods = False
        enrolment.previous_schedule = None
        if enrolment.pk:
            enrolment.periods.all().delete()
        # Enrolling is asking for the plan, reminders included, even after an earlier unsubscribe.
        enrolment.set_reminders(True)
        try:
            with transaction.atomic():
                enrolment.save()
        except IntegrityError:
            # Two submissions raced past the check above; the first one won.
            raise ValidationError(
                "You are already enrolled in this guide.", code="conflict"
            ) from None
        _fit_to_interview(enrolment, today)
        signals.enrolment_created.send(sender=Enrolment, enrolment_id=enrolment.pk, now=now)
    return enrolment


def _fit_to_interview(enrolment: Enrolment, today: datetime.date) -> None:
    """A new plan that would run into the interview is fitted to it at once, from its start.

    Candidates who give their interview date when they enrol expect the plan to lead up to it;
    a standard plan ending weeks after the interview, with "fit it later" left to find, did not.
    With too few days for the blocks the dates stay (the plan page offers a focused plan).
    """
    interview = enrolment.target_interview_date
    if interview is None or enrolment.schedule.end < interview:
        return
    blocks = list(StudyBlock.objects.filter(guide_id=enrolment.guide_id).prefetch_related("tasks"))
    done = set(enrolment.task_progress.values_list("task_id", flat=True))
    proposal = replan_proposal(
        enrolment=enrolment,
        blocks=blocks,
        done=done,
        mode=ReplanMode.TARGET,
        # Fitted between the chosen start and the interview, not from today.
        today=max(today, enrolment.start_date),
        target_interview_date=interview,
    )
    if proposal.focus or proposal.periods is None:
        return
    enrolment.start_date = proposal.start_date
    _set_periods(enrolment, [(p.block.pk, p.start, p.end) for p in proposal.periods])
    enrolment.save(update_fields=["start_date", "has_periods", "updated_at"])


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
            # An interview moved before a plan that has not begun is a fact to record: the
            # dashboard then offers to fit the plan to it (or a focused plan, days before).
            interview_after_start=False,
        )
    enrolment.region = region
    enrolment.target_interview_date = target_interview_date
    switched = enrolment.set_reminders(reminders_enabled, now)
    enrolment.save(update_fields=["region", "target_interview_date", *switched, "updated_at"])
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


def enrolment_replan_preview(
    *,
    enrolment: Enrolment,
    mode: str,
    target_interview_date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> ReplanProposal:
    """What re-planning would do, without saving anything; ValidationError if it cannot be done.

    `shift`: the first block with unfinished tasks begins today, weeks at their normal length.
    `target`: the remaining blocks fit between today and the day before the interview
    (`target_interview_date`, or the one already on the enrolment), compressed in proportion to
    their length or at their normal length when there is room; with under a week left the dates
    stay and the candidate is offered a focused plan.
    """
    if enrolment.status == EnrolmentStatus.LEFT:
        raise ValidationError("You have left this guide; enrol again to plan it.", code="conflict")
    today = enrolment.local_today(now)
    blocks = list(StudyBlock.objects.filter(guide_id=enrolment.guide_id).prefetch_related("tasks"))
    done = set(enrolment.task_progress.values_list("task_id", flat=True))
    fit_from = today
    target = target_interview_date or enrolment.target_interview_date
    if mode == ReplanMode.TARGET and target is not None and today < enrolment.start_date < target:
        # A plan still to start is fitted from its start, as at enrolment: fitting it from
        # today moved the start the candidate chose without saying so.
        fit_from = enrolment.start_date
    proposal = replan_proposal(
        enrolment=enrolment,
        blocks=blocks,
        done=done,
        mode=mode,
        today=fit_from,
        target_interview_date=target_interview_date,
    )
    _validate_dates(
        start_date=proposal.start_date,
        target_interview_date=proposal.target_interview_date,
        today=today,
        plan_weeks=enrolment.guide.plan_weeks,
        check_start=not proposal.focus,
        # Days before the interview the dates stay as they are, even a start still to come.
        interview_after_start=not proposal.focus,
    )
    return proposal


def _snapshot(enrolment: Enrolment) -> dict:
    """The enrolment's schedule as JSON, for undoing the re-plan about to replace it."""
    return {
        "start_date": enrolment.start_date.isoformat(),
        "target_interview_date": (
            enrolment.target_interview_date.isoformat() if enrolment.target_interview_date else None
        ),
        "status": enrolment.status,
        "paused_on": enrolment.paused_on.isoformat() if enrolment.paused_on else None,
        "periods": [
            [row.block_id, row.start_date.isoformat(), row.end_date.isoformat()]
            for row in enrolment.periods.all()
        ]
        if enrolment.has_periods
        else None,
    }


def _set_periods(
    enrolment: Enrolment, periods: list[tuple[int, str | datetime.date, str | datetime.date]] | None
) -> None:
    enrolment.periods.all().delete()
    enrolment.has_periods = periods is not None
    if periods:
        existing = set(
            StudyBlock.objects.filter(
                guide_id=enrolment.guide_id, pk__in=[block_id for block_id, _, _ in periods]
            ).values_list("pk", flat=True)
        )
        EnrolmentPeriod.objects.bulk_create(
            EnrolmentPeriod(enrolment=enrolment, block_id=block_id, start_date=start, end_date=end)
            for block_id, start, end in periods
            if block_id in existing
        )
    # Rows prefetched before this write (API views prefetch them) would give the old schedule.
    getattr(enrolment, "_prefetched_objects_cache", {}).pop("periods", None)
    enrolment.__dict__.pop("_schedule", None)


SCHEDULE_FIELDS = [
    "start_date",
    "target_interview_date",
    "status",
    "paused_on",
    "has_periods",
    "previous_schedule",
    "updated_at",
]


def enrolment_replan(
    *,
    enrolment: Enrolment,
    mode: str,
    target_interview_date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> ReplanProposal:
    """Re-plan as `enrolment_replan_preview` describes, keeping the old schedule for an undo.

    A paused plan is resumed, since re-planning means the candidate is back.
    """
    proposal = enrolment_replan_preview(
        enrolment=enrolment, mode=mode, target_interview_date=target_interview_date, now=now
    )
    with transaction.atomic():
        enrolment.previous_schedule = _snapshot(enrolment)
        enrolment.start_date = proposal.start_date
        enrolment.target_interview_date = proposal.target_interview_date
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.paused_on = None
        _set_periods(
            enrolment,
            None
            if proposal.periods is None
            else [(p.block.pk, p.start, p.end) for p in proposal.periods],
        )
        enrolment.save(update_fields=SCHEDULE_FIELDS)
        signals.plan_changed.send(sender=Enrolment, enrolment_id=enrolment.pk, now=now)
    return proposal


def enrolment_replan_undo(
    *, enrolment: Enrolment, now: datetime.datetime | None = None
) -> Enrolment:
    """Put back the schedule the last re-plan replaced; only one step back."""
    snapshot = enrolment.previous_schedule
    if enrolment.status == EnrolmentStatus.LEFT:
        raise ValidationError("You have left this guide; enrol again to plan it.", code="conflict")
    if not snapshot:
        raise ValidationError("There is no re-plan to undo.", code="conflict")
    with transaction.atomic():
        enrolment.start_date = datetime.date.fromisoformat(snapshot["start_date"])
        interview = snapshot.get("target_interview_date")
        enrolment.target_interview_date = (
            datetime.date.fromisoformat(interview) if interview else None
        )
        enrolment.status = snapshot.get("status") or EnrolmentStatus.ACTIVE
        paused_on = snapshot.get("paused_on")
        enrolment.paused_on = datetime.date.fromisoformat(paused_on) if paused_on else None
        _set_periods(enrolment, snapshot.get("periods"))
        enrolment.previous_schedule = None
        enrolment.save(update_fields=SCHEDULE_FIELDS)
        signals.plan_changed.send(sender=Enrolment, enrolment_id=enrolment.pk, now=now)
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


def round_booking_save(
    *,
    enrolment: Enrolment,
    round: Round,
    date: datetime.date,
    time: datetime.time | None = None,
    result: str = RoundResult.UPCOMING,
    now: datetime.datetime | None = None,
) -> RoundBooking:
    """Record (or change) when one of the guide's rounds is booked for the candidate, and how
    it went. A study block that prepares for the round but would come after it is brought
    forward; that re-plan can be undone like any other.
    """
    if round.guide_id != enrolment.guide_id:
        raise ValidationError("That round is not part of this guide.")
    if enrolment.status == EnrolmentStatus.LEFT:
        raise ValidationError(
            "You have left this guide; enrol again to record your rounds.", code="conflict"
        )
    if result not in RoundResult.values:
        raise ValidationError({"result": "Choose how the round went."})
    today = enrolment.local_today(now)
    if abs(date - today) > MAX_DATE_DISTANCE:
        raise ValidationError(
            {"date": f"Choose a day within a year of today ({_day(today)}); check the year."}
        )
    if date > today and result in (RoundResult.PASSED, RoundResult.NOT_PASSED):
        raise ValidationError(
            {"result": "The round has not happened yet; record its result after it."}
        )
    with transaction.atomic():
        booking = RoundBooking.objects.filter(enrolment=enrolment, round=round).first()
        if booking is None:
            booking = RoundBooking(enrolment=enrolment, round=round)
        moved = booking.pk is None or booking.date != date
        booking.date = date
        booking.time = time
        booking.result = result
        booking.time_zone = enrolment.user.time_zone
        booking.save()
        if moved:
            _bring_forward_for(enrolment, booking, today, now)
        # The dashboard is cached until the candidate's data changes; this is such a change.
        enrolment.save(update_fields=["updated_at"])
    return booking


def _bring_forward_for(
    enrolment: Enrolment,
    booking: RoundBooking,
    today: datetime.date,
    now: datetime.datetime | None,
) -> None:
    blocks = list(
        StudyBlock.objects.filter(guide_id=enrolment.guide_id).prefetch_related("tasks", "rounds")
    )
    done = set(enrolment.task_progress.values_list("task_id", flat=True))
    periods = bring_forward(
        periods=enrolment.schedule.periods(blocks),
        done=done,
        round_id=booking.round_id,
        round_date=booking.date,
        today=today,
    )
    if periods is None:
        return
    enrolment.previous_schedule = _snapshot(enrolment)
    _set_periods(enrolment, [(p.block.pk, p.start, p.end) for p in periods])
    enrolment.start_date = min(p.start for p in periods)
    enrolment.save(update_fields=SCHEDULE_FIELDS)
    signals.plan_changed.send(sender=Enrolment, enrolment_id=enrolment.pk, now=now)


def round_booking_delete(*, enrolment: Enrolment, booking: RoundBooking) -> None:
    """Forget a round's date (booked by mistake, or cancelled)."""
    if booking.enrolment_id != enrolment.pk:
        raise ValidationError("That round date is not part of this plan.")
    with transaction.atomic():
        booking.delete()
        enrolment.save(update_fields=["updated_at"])
