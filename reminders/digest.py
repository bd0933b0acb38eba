"""What a reminder e-mail reports about a candidate's plan: read for a whole chunk at once.

A weekly e-mail is about one study week (or study period, in a plan fitted to an interview): its
dates, its block's tasks each with its real state, the tasks left over from earlier periods, how
far ahead or behind the candidate is, the block's questions they have not practised yet and the
reviews falling due by the end of the week. The welcome e-mail reports the period the candidate is
in on the day they enrol. Everything is read in a fixed number of queries per chunk of e-mails
(`ChunkData`), whatever the number of e-mails, blocks, tasks or questions.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from practice.models import PracticeStatus, QuestionProgress
from practice.review_models import ReviewCard, local_day_bounds
from questions.models import Question
from rounds.models import GuideStatus
from studyplan.models import Enrolment, EnrolmentPeriod, StudyBlock, TaskProgress
from studyplan.progress import TaskLine
from studyplan.schedule import Period, Position, State, short_day

from .models import ReminderDelivery

QUESTIONS_PER_EMAIL = 3
REVIEWS_PER_EMAIL = 5
PRACTISED = [PracticeStatus.PRACTISED, PracticeStatus.CONFIDENT]
# A weekly e-mail is sent during the week it is about (a later one supersedes it), and a week has
# at most 7 days: reviews due later than this can never be listed, so they are not read.
REVIEW_HORIZON = datetime.timedelta(days=9)


@dataclass
class ChunkData:
    """Plans, ticks, practice and reviews for a chunk of e-mails, in fixed number of queries."""

    blocks: dict[int, list[StudyBlock]] = field(default_factory=dict)  # by guide
    done: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # enrolment: tasks
    periods: dict[int, list[EnrolmentPeriod]] = field(default_factory=lambda: defaultdict(list))
    practised: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # by user
    questions: dict[int, list[Question]] = field(default_factory=lambda: defaultdict(list))
    reviews: dict[int, list[ReviewCard]] = field(default_factory=lambda: defaultdict(list))


def chunk_data(delivery_ids: list[int], *, now: datetime.datetime) -> ChunkData:
    """Everything the e-mails of `delivery_ids` report, in ten queries.

    Read before any delivery is locked, so a task ticked off a second later shows next week.
    """
    rows = list(
        ReminderDelivery.objects.filter(pk__in=delivery_ids).values_list(
            "enrolment_id", "enrolment__guide_id", "enrolment__user_id"
        )
    )
    data = ChunkData()
    if not rows:
        return data
    enrolment_ids = {r[0] for r in rows}
    guide_ids = {r[1] for r in rows}
    user_ids = {r[2] for r in rows}
    blocks = StudyBlock.objects.filter(guide_id__in=guide_ids).prefetch_related(
        "tasks", "rounds", "tags"
    )
    for block in blocks:
        data.blocks.setdefault(block.guide_id, []).append(block)
    for enrolment_id, task_id in TaskProgress.objects.filter(
        enrolment_id__in=enrolment_ids
    ).values_list("enrolment_id", "task_id"):
        data.done[enrolment_id].add(task_id)
    # Study period rows exist only for plans fitted to an interview; one query for all.
    for period in EnrolmentPeriod.objects.filter(enrolment_id__in=enrolment_ids).select_related(
        "block"
    ):
        data.periods[period.enrolment_id].append(period)
    for user_id, question_id in QuestionProgress.objects.filter(
        user_id__in=user_ids, status__in=PRACTISED, question__isnull=False
    ).values_list("user_id", "question_id"):
        data.practised[user_id].add(question_id)
    for question in (
        Question.objects.published()
        .filter(guide_id__in=guide_ids)
        .select_related("guide", "round")
        .prefetch_related("tags")
        .order_by("round__order", "order", "id")
    ):
        data.questions[question.guide_id].append(question)
    for card in (
        ReviewCard.objects.filter(
            user_id__in=user_ids,
            due__lt=now + REVIEW_HORIZON,
            question__is_published=True,
            question__guide__status=GuideStatus.PUBLISHED,
        )
        .select_related("question__guide")
        .order_by("due", "pk")
    ):
        data.reviews[card.user_id].append(card)
    return data


def attach_periods(enrolment: Enrolment, data: ChunkData) -> None:
    """Give the enrolment its study periods from the chunk, so its schedule costs no query."""
    cache = enrolment.__dict__.setdefault("_prefetched_objects_cache", {})
    cache["periods"] = data.periods.get(enrolment.pk, [])


@dataclass
class LeftOver:
    """An earlier study period with tasks the candidate has not ticked off."""

    period: Period
    label: str
    tasks: list[TaskLine]


@dataclass
class PlanReport:
    """Where a candidate's plan stands for the period an e-mail is about."""

    position: Position
    dates: str  # the days the e-mail is about: "Mon 30 Mar – Sun 5 Apr"
    last_day: datetime.date
    block: StudyBlock | None
    tasks: list[TaskLine]
    left_over: list[LeftOver]
    ahead: int  # tasks of later periods already done
    done: int
    total: int
    questions: list[Question] = field(default_factory=list)
    questions_are_the_blocks: bool = False
    reviews: list[tuple[ReviewCard, datetime.date]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """ "Week 2 of 8" in a standard plan, "Study period 2 of 4, until Fri 18 Dec" otherwise."""
        return self.position.label

    @property
    def behind(self) -> int:
        return sum(len(left.tasks) for left in self.left_over)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def pace(self) -> str:
        """How far ahead or behind the plan the candidate is, in one sentence."""
        earlier = "earlier weeks" if self.position.standard else "earlier study periods"
        behind, ahead = self.behind, self.ahead
        if behind and ahead:
            return (
                f"You are {tasks(behind)} behind: {tasks(behind)} from {earlier} "
                f"{'is' if behind == 1 else 'are'} still open (listed below), although you have "
                f"already done {tasks(ahead)} of later ones."
            )
        if behind:
            return (
                f"You are {tasks(behind)} behind: {'it is' if behind == 1 else 'they are'} "
                f"from {earlier}, listed below."
            )
        if ahead:
            return f"You are {tasks(ahead)} ahead of the plan."
        return "You are on track: nothing is left over from " + earlier + "."


def tasks(n: int) -> str:
    return f"{n} task{'' if n == 1 else 's'}"


def week_dates(enrolment: Enrolment, week: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of study week `week` (a squeezed-out week: the next one's); in a
    fitted plan, of the study period it opens, which its one e-mail is about."""
    schedule = enrolment.schedule
    first = schedule.week_start(week)
    if not schedule.standard and (period := schedule.period_dates(first)) is not None:
        return period
    for _, start, end in schedule.week_spans():
        if start == first:
            return start, end
    return first, first + datetime.timedelta(days=6)


def dates_label(first: datetime.date, last: datetime.date) -> str:
    return short_day(first) if first == last else f"{short_day(first)} – {short_day(last)}"


def plan_report(
    enrolment: Enrolment,
    data: ChunkData,
    *,
    day: datetime.date,
    last_day: datetime.date | None = None,
    with_questions: bool = False,
) -> PlanReport:
    """The plan as it stands for the period covering `day` (the next one, before the start).

    `last_day` ends the window the e-mail is about (a weekly e-mail: the week's last day); reviews
    due by then are listed.
    """
    attach_periods(enrolment, data)
    blocks = data.blocks.get(enrolment.guide_id, [])
    for block in blocks:
        block.guide = enrolment.guide  # for its URL; loaded with the enrolment already
    done_ids = data.done.get(enrolment.pk, set())
    position = enrolment.schedule.position(day, blocks)
    periods = enrolment.schedule.periods(blocks)
    current = position.period

    def lines(block: StudyBlock) -> list[TaskLine]:
        return [TaskLine(task=task, done=task.pk in done_ids) for task in block.tasks.all()]

    left_over, ahead = [], 0
    for period in periods:
        if period.end < day and (current is None or period.block.pk != current.block.pk):
            undone = [line for line in lines(period.block) if not line.done]
            if undone:
                left_over.append(LeftOver(period=period, label=period.label, tasks=undone))
        elif current is not None and period.start > current.end:
            ahead += sum(1 for line in lines(period.block) if line.done)
    if position.state == State.FINISHED:
        # Every period is over: all the open tasks are left over, none ahead.
        ahead = 0
    first, last = (current.start, current.end) if current else (day, day)
    if position.standard and position.state == State.IN_PROGRESS:
        first, last = week_dates(enrolment, position.week)  # "Week 5 of 8": that week's days
    report = PlanReport(
        position=position,
        dates=dates_label(first, last),
        last_day=last_day or last,
        block=current.block if current else None,
        tasks=lines(current.block) if current else [],
        left_over=left_over,
        ahead=ahead,
        done=sum(1 for block in blocks for task in block.tasks.all() if task.pk in done_ids),
        total=sum(len(block.tasks.all()) for block in blocks),
    )
    if with_questions:
        report.questions, report.questions_are_the_blocks = questions_for(
            enrolment, report.block, data
        )
        report.reviews = reviews_due(enrolment, data, last_day or last)
    return report


def week_report(enrolment: Enrolment, week: int, data: ChunkData) -> PlanReport:
    """The weekly e-mail's report: the study week `week`, its own dates and questions."""
    attach_periods(enrolment, data)
    first, last = week_dates(enrolment, week)
    report = plan_report(enrolment, data, day=first, last_day=last, with_questions=True)
    report.dates, report.last_day = dates_label(first, last), last
    return report


def block_matches(block: StudyBlock, question: Question) -> bool:
    """Whether `question` is one the block prepares for: its rounds, question kinds or tags."""
    rounds = {r.pk for r in block.rounds.all()}
    tags = {t.pk for t in block.tags.all()}
    return (
        question.round_id in rounds
        or question.kind in block.question_kinds
        or any(t.pk in tags for t in question.tags.all())
    )


def questions_for(
    enrolment: Enrolment, block: StudyBlock | None, data: ChunkData
) -> tuple[list[Question], bool]:
    """A few published questions the candidate has not practised yet, in interview-round order.

    The block's own (its rounds, kinds and tags) when it names any; any of the guide's otherwise.
    Questions of another region are left out: they would not come up in this candidate's
    interviews. The flag says whether they are the block's.
    """
    region_id = enrolment.region_id or enrolment.user.region_id
    practised = data.practised.get(enrolment.user_id, set())
    candidates = [
        q
        for q in data.questions.get(enrolment.guide_id, [])
        if q.region_id in (None, region_id) and q.pk not in practised
    ]
    linked = block is not None and (block.question_kinds or block.rounds.all() or block.tags.all())
    if linked:
        return [q for q in candidates if block_matches(block, q)][:QUESTIONS_PER_EMAIL], True
    return candidates[:QUESTIONS_PER_EMAIL], False


def reviews_due(
    enrolment: Enrolment, data: ChunkData, last_day: datetime.date
) -> list[tuple[ReviewCard, datetime.date]]:
    """Reviews due by the end of `last_day` where the candidate lives (overdue ones too), oldest
    due first, at most five; each with its local due day."""
    time_zone = enrolment.user.time_zone
    _, end = local_day_bounds(time_zone, last_day)
    due = [card for card in data.reviews.get(enrolment.user_id, []) if card.due < end]
    zone = zoneinfo.ZoneInfo(time_zone)
    return [(card, card.due.astimezone(zone).date()) for card in due[:REVIEWS_PER_EMAIL]]
