"""Where a candidate stands in a plan: computed from dates and ticks, never stored.

Everything here works on rows already loaded (blocks with their tasks, the ids of done tasks), so
pages can load a whole dashboard in a fixed number of queries and compute the rest in Python.
"""

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse

from accounts.models import User
from practice.models import PracticeStatus, QuestionProgress
from questions.models import Question, QuestionKind
from rounds.models import Round

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
from .schedule import (
    Period,
    Position,
    week_reminder_at,
    week_reminder_day,
    welcome_covers_week,
)
from .schedule import State as WeekState

__all__ = ["WeekState"]


def next_monday(today: datetime.date) -> datetime.date:
    """The Monday after `today` (a week later when today is a Monday): a clean start."""
    return today + datetime.timedelta(days=7 - today.weekday())


def local_today_for(time_zone: str, now: datetime.datetime | None = None) -> datetime.date:
    """Today's date in the IANA time zone `time_zone`."""
    now = now or datetime.datetime.now(datetime.UTC)
    return now.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def plan_end(enrolment: Enrolment) -> datetime.date:
    """Last day of the plan."""
    return enrolment.schedule.end


@dataclass
class TaskLine:
    task: StudyTask
    done: bool


@dataclass
class BlockProgress:
    block: StudyBlock
    tasks: list[TaskLine]
    is_current: bool = False
    period: Period | None = None

    @property
    def is_over(self) -> bool:
        return self.period is not None and self.period.end < self.period_today

    period_today: datetime.date = datetime.date.min

    @property
    def done_count(self) -> int:
        return sum(1 for line in self.tasks if line.done)

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def percent(self) -> int:
        return percent(self.done_count, self.total)


@dataclass
class EnrolmentProgress:
    """A dashboard's view of one enrolment."""

    enrolment: Enrolment
    today: datetime.date
    position: Position
    blocks: list[BlockProgress]
    practised_by_round: list[tuple[str, int, int]] = field(default_factory=list)
    next_reminder: datetime.datetime | None = None

    @property
    def plan_weeks(self) -> int:
        return self.enrolment.guide.plan_weeks

    @property
    def week(self) -> int:
        return self.position.week

    @property
    def state(self) -> str:
        return self.position.state

    @property
    def week_label(self) -> str:
        return self.position.label

    @property
    def plan_end(self) -> datetime.date:
        return self.enrolment.schedule.end

    @property
    def is_standard(self) -> bool:
        return self.position.standard

    @property
    def is_paused(self) -> bool:
        return self.enrolment.status == EnrolmentStatus.PAUSED

    @property
    def current_block(self) -> BlockProgress | None:
        """The block of the period the candidate is in (or the next one); none once finished."""
        period = self.position.period
        if period is None:
            return None
        return next((b for b in self.blocks if b.block.pk == period.block.pk), None)

    @property
    def done_count(self) -> int:
        return sum(block.done_count for block in self.blocks)

    @property
    def total(self) -> int:
        return sum(block.total for block in self.blocks)

    @property
    def percent(self) -> int:
        return percent(self.done_count, self.total)

    @property
    def interview_countdown(self) -> str:
        interview = self.enrolment.target_interview_date
        return countdown(interview, self.today) if interview else ""

    @property
    def bookings(self) -> list[RoundBooking]:
        return list(self.enrolment.bookings.all())

    @property
    def next_round(self) -> RoundBooking | None:
        """The next booked round still to come (today's included)."""
        upcoming = [
            b for b in self.bookings if b.date >= self.today and b.result == RoundResult.UPCOMING
        ]
        return min(upcoming, key=lambda b: (b.date, b.time or datetime.time.min), default=None)

    @property
    def next_round_countdown(self) -> str:
        booking = self.next_round
        return countdown(booking.date, self.today) if booking else ""

    @property
    def focus(self) -> bool:
        """Under a week to the interview: the dashboard points at the rounds' questions."""
        interview = self.enrolment.target_interview_date
        return interview is not None and 0 <= (interview - self.today).days < 7

    @property
    def ends_after_interview(self) -> bool:
        """The plan runs on into the interview (set or moved after enrolling) with tasks left:
        the dashboard offers to fit it. Days before, the focused plan is offered instead."""
        interview = self.enrolment.target_interview_date
        return (
            interview is not None
            and not self.focus
            and interview > self.today
            and self.plan_end >= interview
            and self.done_count < self.total
        )

    @property
    def ends_long_before_interview(self) -> bool:
        """A plan fitted to an interview that has since moved weeks later: the dashboard offers
        to fit it again, so the candidate is not left with weeks of nothing to do."""
        interview = self.enrolment.target_interview_date
        return (
            self.enrolment.has_periods
            and interview is not None
            and (interview - self.plan_end).days > 7
            and self.plan_end >= self.today
            and self.done_count < self.total
        )

    @property
    def practice_links(self) -> list[tuple[str, str]]:
        """(label, question bank address) for the rounds and question kinds the current block
        prepares for; the whole bank when it names none."""
        guide = self.enrolment.guide
        url = reverse("questions:list", kwargs={"guide_slug": guide.slug})
        current = self.current_block
        links = []
        if current is not None:
            block = current.block
            for rnd in sorted(block.rounds.all(), key=lambda r: r.order):
                links.append((f"{rnd.title} questions", f"{url}?{urlencode({'round': rnd.slug})}"))
            labels = dict(QuestionKind.choices)
            for kind in block.question_kinds:
                if kind in labels:
                    links.append(
                        (f"{labels[kind]} questions", f"{url}?{urlencode({'kind': kind})}")
                    )
        return links or [("Practise questions", url)]

    @property
    def overdue_blocks(self) -> list[BlockProgress]:
        """Blocks whose period is over with tasks left undone, each with all its tasks."""
        return [b for b in self.blocks if b.is_over and b.done_count < b.total]

    @property
    def overdue_count(self) -> int:
        """Tasks left undone in blocks whose period is over."""
        return sum(block.total - block.done_count for block in self.overdue_blocks)

    @property
    def is_behind(self) -> bool:
        return self.overdue_count > 0

    @property
    def first_unfinished_week(self) -> int | None:
        return first_unfinished_week(self.blocks)


def week_label(enrolment: Enrolment, today: datetime.date) -> str:
    """ "Week 3 of 8", "Study period 2 of 4, until Fri 18 Dec", "Starts in 4 days" or
    "Plan finished", as the candidate reads it."""
    blocks = enrolment.guide.study_blocks.all()
    return enrolment.schedule.position(today, blocks).label


def countdown(day: datetime.date, today: datetime.date) -> str:
    """ "today", "tomorrow", "in 12 days", or "3 days ago", as the dashboard says it."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    if days == -1:
        return "yesterday"
    return f"{-days} days ago"


def percent(done: int, total: int) -> int:
    if total == 0:
        return 0
    return round(100 * done / total)


def block_progress(
    enrolment: Enrolment,
    blocks: Iterable[StudyBlock],
    done_task_ids: set[int],
    today: datetime.date,
) -> tuple[Position, list[BlockProgress]]:
    """Where the candidate is, and the blocks with their dates and tasks marked done or not.

    Uses prefetched `tasks`.
    """
    blocks = list(blocks)
    schedule = enrolment.schedule
    position = schedule.position(today, blocks)
    periods = {p.block.pk: p for p in schedule.periods(blocks)}
    current = position.period.block.pk if position.period else None
    result = []
    for block in blocks:
        lines = [TaskLine(task=task, done=task.pk in done_task_ids) for task in block.tasks.all()]
        result.append(
            BlockProgress(
                block=block,
                tasks=lines,
                is_current=block.pk == current,
                period=periods.get(block.pk),
                period_today=today,
            )
        )
    return position, result


def first_unfinished_week(blocks: Sequence[BlockProgress]) -> int | None:
    """The first week of the earliest block that still has undone tasks."""
    weeks = [block.block.start_week for block in blocks if block.done_count < block.total]
    return min(weeks) if weeks else None


def next_reminder_at(
    enrolment: Enrolment, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """When the next weekly study reminder for `enrolment` is due (candidate's local time).

    Uses the rule the reminders app follows (studyplan.schedule), so the dashboard promises
    exactly what the dispatcher will send: one e-mail per study week (per study period of a plan
    fitted to an interview), none on or after the
    interview day, none when reminders cannot go out at all.
    """
    if not enrolment.may_be_emailed():
        return None
    now = now or datetime.datetime.now(datetime.UTC)
    today = enrolment.local_today(now)
    interview = enrolment.target_interview_date
    tz = zoneinfo.ZoneInfo(enrolment.user.time_zone)
    schedule = enrolment.schedule
    for week in range(max(1, enrolment.week_on(today)), enrolment.guide.plan_weeks + 1):
        if not schedule.opens_period(week) or welcome_covers_week(enrolment, week):
            continue
        if interview is not None and week_reminder_day(enrolment, week) >= interview:
            return None
        due = week_reminder_at(enrolment, week)
        if due > now:
            return due.astimezone(tz)
    return None


def enrolments_progress(
    *, user: User, now: datetime.datetime | None = None, include_left: bool = False
) -> list[EnrolmentProgress]:
    """Every enrolment of `user` with its progress, loaded in a fixed number of queries."""
    now = now or datetime.datetime.now(datetime.UTC)
    enrolments_qs = (
        Enrolment.objects.filter(user=user)
        .select_related("guide", "region", "user")
        .prefetch_related(
            Prefetch(
                "guide__study_blocks",
                queryset=StudyBlock.objects.prefetch_related("tasks", "rounds"),
            ),
            "guide__rounds",
            Prefetch("periods", queryset=EnrolmentPeriod.objects.select_related("block")),
            Prefetch("bookings", queryset=RoundBooking.objects.select_related("round")),
        )
        .order_by("status", "-created_at")
    )
    if not include_left:
        enrolments_qs = enrolments_qs.exclude(status=EnrolmentStatus.LEFT)
    enrolments = list(enrolments_qs)
    guide_ids = [enrolment.guide_id for enrolment in enrolments]
    done: dict[int, set[int]] = {}
    for enrolment_id, task_id in TaskProgress.objects.filter(enrolment__user=user).values_list(
        "enrolment_id", "task_id"
    ):
        done.setdefault(enrolment_id, set()).add(task_id)
    # One query for both figures of "N of M practised": published questions per round, and how
    # many of them the candidate has practised (a question later unpublished no longer counts).
    practised: dict[tuple[int, int | None], int] = {}
    totals: dict[tuple[int, int | None], int] = {}
    for row in (
        Question.objects.published()
        .filter(guide_id__in=guide_ids)
        .values("guide_id", "round_id")
        .annotate(
            n=Count("pk"),
            practised=Count(
                "pk",
                filter=Q(
                    Exists(
                        QuestionProgress.objects.filter(user=user, question=OuterRef("pk")).exclude(
                            status=PracticeStatus.NEW
                        )
                    )
                ),
            ),
        )
        .order_by()
    ):
        totals[row["guide_id"], row["round_id"]] = row["n"]
        practised[row["guide_id"], row["round_id"]] = row["practised"]
    result = []
    for enrolment in enrolments:
        today = enrolment.local_today(now)
        position, blocks = block_progress(
            enrolment, enrolment.guide.study_blocks.all(), done.get(enrolment.pk, set()), today
        )
        by_round = [
            (
                str(rnd),
                practised.get((enrolment.guide_id, rnd.pk), 0),
                totals.get((enrolment.guide_id, rnd.pk), 0),
            )
            for rnd in enrolment.guide.rounds.all()
        ]
        general_total = totals.get((enrolment.guide_id, None), 0)
        if general_total:
            by_round.append(
                (
                    # The guide-wide, regional and DSA questions: "Across the process" left
                    # candidates guessing what the row counted.
                    "Questions outside the rounds",
                    practised.get((enrolment.guide_id, None), 0),
                    general_total,
                )
            )
        result.append(
            EnrolmentProgress(
                enrolment=enrolment,
                today=today,
                position=position,
                blocks=blocks,
                practised_by_round=by_round,
                next_reminder=next_reminder_at(enrolment, now),
            )
        )
    return result


def enrolment_progress(
    enrolment: Enrolment, now: datetime.datetime | None = None
) -> EnrolmentProgress:
    """One enrolment's week and completion (no practice counts): for updating a page in place."""
    now = now or datetime.datetime.now(datetime.UTC)
    blocks = StudyBlock.objects.filter(guide_id=enrolment.guide_id).prefetch_related("tasks")
    done = set(enrolment.task_progress.values_list("task_id", flat=True))
    today = enrolment.local_today(now)
    position, lines = block_progress(enrolment, blocks, done, today)
    return EnrolmentProgress(enrolment=enrolment, today=today, position=position, blocks=lines)


@dataclass
class FocusRound:
    """One round in a last-days focused plan, with how much of its questions is practised."""

    round: Round
    practised: int
    total: int

    @property
    def percent(self) -> int:
        return percent(self.practised, self.total)

    @property
    def questions_url(self) -> str:
        url = reverse("questions:list", kwargs={"guide_slug": self.round.guide.slug})
        return f"{url}?{urlencode({'round': self.round.slug})}"


def focus_plan(enrolment: Enrolment) -> list[FocusRound]:
    """The guide's rounds that have questions, the least practised first (then in order).

    For a candidate with under a week left: practising the rounds' questions, weakest rounds
    first, does more than any block of the plan. Three queries.
    """
    rounds = list(Round.objects.filter(guide_id=enrolment.guide_id).select_related("guide"))
    totals = dict(
        Question.objects.published()
        .filter(guide_id=enrolment.guide_id, round__isnull=False)
        .values_list("round_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    practised = dict(
        QuestionProgress.objects.filter(
            user_id=enrolment.user_id,
            question__guide_id=enrolment.guide_id,
            question__round__isnull=False,
        )
        .exclude(status=PracticeStatus.NEW)
        .values_list("question__round_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    items = [
        FocusRound(round=rnd, practised=practised.get(rnd.pk, 0), total=totals[rnd.pk])
        for rnd in rounds
        if totals.get(rnd.pk)
    ]
    return sorted(items, key=lambda item: (item.practised / item.total, item.round.order))
