"""What a re-plan would do, computed before anything is saved, so the candidate sees it first.

`replan_proposal` is pure arithmetic on rows already loaded: the services apply a proposal, the
re-plan page shows it as a before/after table, and both come from the same computation.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .models import Enrolment, StudyBlock
from .schedule import Period, Schedule, share_days

# Fewer days than this before the interview and no plan of blocks is worth following: the
# candidate is better off with the rounds' questions, weakest first.
FOCUS_DAYS = 7


class ReplanMode:
    SHIFT = "shift"
    TARGET = "target"
    CHOICES = [
        (SHIFT, "Shift the remaining weeks so they start today"),
        (TARGET, "Fit the plan to my interview date"),
    ]


@dataclass
class PeriodChange:
    block: StudyBlock
    before: Period
    after: Period

    @property
    def changed(self) -> bool:
        return (self.before.start, self.before.end) != (self.after.start, self.after.end)


@dataclass
class ReplanProposal:
    """A re-plan as it would be applied: the new dates, and what the candidate should know."""

    mode: str
    today: datetime.date
    start_date: datetime.date
    target_interview_date: datetime.date | None
    # None: the standard layout from `start_date`; else each block's own dates.
    periods: list[Period] | None
    changes: list[PeriodChange] = field(default_factory=list)
    before_end: datetime.date | None = None
    after_end: datetime.date | None = None
    # Shift only: the shifted plan would run past the interview.
    ends_after_interview: bool = False
    # Fit only: too few days left for blocks; the candidate gets a focused plan instead.
    focus: bool = False
    days_left: int | None = None

    @property
    def compressed(self) -> bool:
        return self.periods is not None and any(not p.is_whole_weeks for p in self.periods)


def _first_remaining(periods: list[Period], done: set[int], today: datetime.date) -> int | None:
    """Index of the first period still to study: not finished, or not over yet."""
    for index, period in enumerate(periods):
        tasks = period.block.tasks.all()
        finished = all(task.pk in done for task in tasks)
        if not finished or period.end >= today:
            return index
    return None


def _standard_start(periods: list[Period]) -> datetime.date | None:
    """The start date whose 7-day weeks give exactly these periods, if there is one."""
    if not periods:
        return None
    first = periods[0]
    start = first.start - datetime.timedelta(weeks=first.block.start_week - 1)
    for period in periods:
        expected = start + datetime.timedelta(weeks=period.block.start_week - 1)
        if period.start != expected or not period.is_whole_weeks:
            return None
    return start


def replan_proposal(
    *,
    enrolment: Enrolment,
    blocks: list[StudyBlock],
    done: set[int],
    mode: str,
    today: datetime.date,
    target_interview_date: datetime.date | None = None,
) -> ReplanProposal:
    """The new schedule `mode` gives; ValidationError when it makes no sense.

    `blocks` in plan order with their tasks prefetched; `done`: ids of ticked tasks.
    """
    plan_weeks = enrolment.guide.plan_weeks
    schedule = enrolment.schedule
    before = schedule.periods(blocks)
    if mode == ReplanMode.SHIFT:
        unfinished = [
            p.block.start_week
            for p in before
            if not all(task.pk in done for task in p.block.tasks.all())
        ]
        if blocks and not unfinished:
            raise ValidationError(
                "Every task is done: there is nothing left to re-plan.", code="conflict"
            )
        first_week = min(unfinished) if unfinished else 1
        start = today - datetime.timedelta(weeks=first_week - 1)
        target = enrolment.target_interview_date
        if target is not None and (target <= start or target < today):
            target = None
        proposal = ReplanProposal(
            mode=mode, today=today, start_date=start, target_interview_date=target, periods=None
        )
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
        proposal = _fit(
            enrolment=enrolment,
            before=before,
            done=done,
            today=today,
            target=target,
            plan_weeks=plan_weeks,
        )
    else:
        raise ValidationError({"mode": "Choose how to re-plan."})
    if proposal.periods is None:
        after_schedule = Schedule(start_date=proposal.start_date, plan_weeks=plan_weeks)
        after = after_schedule.periods(blocks)
        proposal.after_end = after_schedule.end
    else:
        after = proposal.periods
        proposal.after_end = max(p.end for p in after)
    by_block = {p.block.pk: p for p in after}
    proposal.changes = [
        PeriodChange(block=p.block, before=p, after=by_block[p.block.pk]) for p in before
    ]
    proposal.before_end = schedule.end
    interview = enrolment.target_interview_date
    proposal.ends_after_interview = (
        mode == ReplanMode.SHIFT
        and interview is not None
        and interview > today
        and proposal.after_end >= interview
    )
    return proposal


def _fit(
    *,
    enrolment: Enrolment,
    before: list[Period],
    done: set[int],
    today: datetime.date,
    target: datetime.date,
    plan_weeks: int,
) -> ReplanProposal:
    """Fit the remaining blocks between today and the day before the interview."""
    days_left = (target - today).days
    proposal = ReplanProposal(
        mode=ReplanMode.TARGET,
        today=today,
        start_date=enrolment.start_date,
        target_interview_date=target,
        periods=None,
        days_left=days_left,
    )
    if not before:
        # No blocks: the weeks alone end the day before the interview.
        proposal.start_date = target - datetime.timedelta(weeks=plan_weeks)
        return proposal
    if days_left < max(FOCUS_DAYS, len(before)):
        # Too late for blocks: the dates stay, the interview date is recorded, and the page
        # offers the focused plan instead.
        proposal.focus = True
        proposal.periods = None if enrolment.schedule.standard else list(before)
        return proposal
    first = _first_remaining(before, done, today)
    if first is None:
        raise ValidationError(
            "Every task is done and every study period is over: there is nothing left to fit.",
            code="conflict",
        )
    kept, remaining = before[:first], before[first:]
    normal = [7 * p.block.week_count for p in remaining]
    fitted: list[Period] = []
    if days_left >= sum(normal):
        # Enough time: each block at its normal length, the last one ending the day before.
        end = target - datetime.timedelta(days=1)
        for period, length in reversed(list(zip(remaining, normal, strict=True))):
            start = end - datetime.timedelta(days=length - 1)
            fitted.insert(0, Period(block=period.block, start=start, end=end))
            end = start - datetime.timedelta(days=1)
    else:
        # Too little: from today, each block a share of the days in proportion to its length.
        shares = share_days(days_left, [p.block.week_count for p in remaining], normal)
        start = today
        for period, length in zip(remaining, shares, strict=True):
            end = start + datetime.timedelta(days=length - 1)
            fitted.append(Period(block=period.block, start=start, end=end))
            start = end + datetime.timedelta(days=1)
    periods = kept + fitted
    standard_start = _standard_start(periods)
    standard_end = (
        standard_start + datetime.timedelta(weeks=plan_weeks, days=-1) if standard_start else None
    )
    if standard_start is not None and standard_end < target:
        proposal.start_date = standard_start
        proposal.periods = None
    else:
        proposal.start_date = min(p.start for p in periods)
        proposal.periods = periods
    return proposal


def bring_forward(
    *,
    periods: list[Period],
    done: set[int],
    round_id: int,
    round_date: datetime.date,
    today: datetime.date,
) -> list[Period] | None:
    """The periods with the blocks that prepare for a round moved ahead of the others still to
    come, when they would start on or after the round's day; None when nothing needs to move.

    Only periods not yet begun move, each keeping its length; their order is otherwise kept and
    the days they fill stay the same, so the plan's end does not change.
    """
    if round_date <= today:
        return None
    ahead = [p for p in periods if p.start > today]
    if not ahead:
        return None

    def prepares(period: Period) -> bool:
        tasks = period.block.tasks.all()
        return any(r.pk == round_id for r in period.block.rounds.all()) and not all(
            task.pk in done for task in tasks
        )

    late = [p for p in ahead if prepares(p) and p.start >= round_date]
    if not late:
        return None
    moved = late + [p for p in ahead if p not in late]
    start = ahead[0].start
    relaid = []
    for period in moved:
        end = start + datetime.timedelta(days=period.days - 1)
        relaid.append(Period(block=period.block, start=start, end=end))
        start = end + datetime.timedelta(days=1)
    return [p for p in periods if p not in ahead] + relaid
