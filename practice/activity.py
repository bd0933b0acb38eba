"""A candidate's activity: streak, 12-week heatmap, readiness per round, where they left off.

Everything counts in the candidate's time zone: a review at 00:30 in London belongs to that
London day, whatever the UTC date.
"""

import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import User
from questions.models import Question
from studyplan.models import Enrolment, EnrolmentStatus, TaskProgress

from .models import PracticeStatus, QuestionProgress
from .review_models import Review, ReviewCard, local_day_bounds

HEATMAP_WEEKS = 12
# Streaks longer than this are shown as this many days: a year of history is read, no more.
STREAK_HORIZON_DAYS = 366
READY_STATUSES = (PracticeStatus.PRACTISED, PracticeStatus.CONFIDENT)


@dataclass
class ActivityDay:
    day: datetime.date
    practised: int = 0
    reviewed: int = 0
    tasks: int = 0

    @property
    def total(self) -> int:
        return self.practised + self.reviewed + self.tasks

    @property
    def level(self) -> int:
        """The heatmap shade: 0 none, 1 one thing, 2 two or three, 3 four or more."""
        return 0 if not self.total else 1 if self.total == 1 else 2 if self.total <= 3 else 3

    # Formatted here rather than with the template's `date` filter, which took about a third of
    # a dashboard's build for the heatmap's 84 days. Prep's pages are in English.
    @property
    def label(self) -> str:
        """ "Mon 3 Nov" """
        return f"{self.day:%a} {self.day.day} {self.day:%b}"

    @property
    def long_label(self) -> str:
        """ "Mon 3 Nov 2026" """
        return f"{self.label} {self.day.year}"


@dataclass
class HeatmapCell:
    day: ActivityDay
    x: int
    y: int


@dataclass
class Activity:
    today: datetime.date
    streak: int
    active_today: bool
    days: list[ActivityDay]  # the heatmap's days, oldest first, ending today
    cells: list[HeatmapCell] = field(default_factory=list)
    month_labels: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(day.total for day in self.days)

    @property
    def active_days(self) -> int:
        return sum(1 for day in self.days if day.total)


def _activity_by_day(
    user: User, first: datetime.date, last: datetime.date
) -> dict[datetime.date, ActivityDay]:
    """Practice, reviews and ticked tasks per local day from `first` to `last`: one query."""
    zone = zoneinfo.ZoneInfo(user.time_zone)
    start, _ = local_day_bounds(user.time_zone, first)
    _, end = local_day_bounds(user.time_zone, last)
    days: dict[datetime.date, ActivityDay] = {}

    def day_of(moment: datetime.datetime) -> ActivityDay:
        local = moment.astimezone(zone).date()
        return days.setdefault(local, ActivityDay(local))

    # One round trip for the three kinds of activity (a year of each, for the streak).
    kind = models.CharField()
    reviews = (
        Review.objects.filter(user=user, reviewed_at__gte=start, reviewed_at__lt=end)
        .annotate(kind=models.Value("reviewed", output_field=kind))
        .values_list("kind", "card__question_id", "reviewed_at")
        .order_by()
    )
    practice = (
        QuestionProgress.objects.filter(
            user=user, last_practised_at__gte=start, last_practised_at__lt=end
        )
        .annotate(kind=models.Value("practised", output_field=kind))
        .values_list("kind", "question_id", "last_practised_at")
        .order_by()
    )
    tasks = (
        TaskProgress.objects.filter(enrolment__user=user, done_at__gte=start, done_at__lt=end)
        .annotate(kind=models.Value("tasks", output_field=kind))
        .values_list("kind", "task_id", "done_at")
        .order_by()
    )
    rows = list(reviews.union(practice, tasks, all=True))
    reviewed_at = {
        (question_id, moment) for what, question_id, moment in rows if what == "reviewed"
    }
    for what, question_id, moment in rows:
        # A rating also stamps the question practised at the same instant: count it once.
        if what == "practised" and (question_id, moment) in reviewed_at:
            continue
        day = day_of(moment)
        setattr(day, what, getattr(day, what) + 1)
    return days


def streak_from(active: set[datetime.date], today: datetime.date) -> tuple[int, bool]:
    """Days in a row with activity, ending today if active today, else ending yesterday.

    A streak is not lost before the day is over: at 09:00 with nothing done yet, yesterday's
    streak still shows, and today's first practice extends it.
    """
    active_today = today in active
    day = today if active_today else today - datetime.timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= datetime.timedelta(days=1)
    return count, active_today


def activity(*, user: User, today: datetime.date) -> Activity:
    """The streak and the 12-week heatmap (Monday-first columns, today last) of one candidate."""
    first_shown = today - datetime.timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)
    first_read = min(first_shown, today - datetime.timedelta(days=STREAK_HORIZON_DAYS))
    by_day = _activity_by_day(user, first_read, today)
    streak, active_today = streak_from({d for d, a in by_day.items() if a.total}, today)
    days = []
    cells = []
    month_labels = []
    day = first_shown
    while day <= today:
        entry = by_day.get(day) or ActivityDay(day)
        days.append(entry)
        column = (day - first_shown).days // 7
        cells.append(HeatmapCell(entry, x=30 + column * 14, y=16 + day.weekday() * 14))
        if day.day <= 7 and day.weekday() == 0 or day == first_shown:
            month_labels.append((30 + column * 14, day.strftime("%b")))
        day += datetime.timedelta(days=1)
    # Two labels in the first columns would overlap: keep the later one.
    if len(month_labels) > 1 and month_labels[1][0] - month_labels[0][0] < 28:
        month_labels.pop(0)
    return Activity(
        today=today,
        streak=streak,
        active_today=active_today,
        days=days,
        cells=cells,
        month_labels=month_labels,
    )


@dataclass
class RoundReadiness:
    id: int
    slug: str
    title: str
    order: int
    total: int = 0
    ready: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.ready / self.total) if self.total else 0


@dataclass
class GuideReadiness:
    guide_id: int
    slug: str
    title: str
    rounds: list[RoundReadiness]


def readiness(
    *, user: User, today: datetime.date, enrolments: Sequence[Enrolment] | None = None
) -> list[GuideReadiness]:
    """For each guide the candidate follows, the share of each round's questions they are ready for.

    Ready means practised or confident, unless the question's review is overdue (due before
    today): a question not gone over in time may be forgotten. Two queries, or one when the
    caller passes the candidate's current `enrolments` (with their guides) it has loaded anyway.
    """
    if enrolments is None:
        enrolments = (
            Enrolment.objects.filter(user=user)
            .exclude(status=EnrolmentStatus.LEFT)
            .select_related("guide")
        )
    enrolments = sorted(
        (e for e in enrolments if e.status != EnrolmentStatus.LEFT),
        key=lambda e: (e.created_at, e.pk),
    )
    if not enrolments:
        return []
    start_of_today, _ = local_day_bounds(user.time_zone, today)
    practised = Exists(
        QuestionProgress.objects.filter(
            user=user, question=OuterRef("pk"), status__in=READY_STATUSES
        )
    )
    overdue = Exists(
        ReviewCard.objects.filter(user=user, question=OuterRef("pk"), due__lt=start_of_today)
    )
    # Counted per round by PostgreSQL: a guide's few rounds come back, not its hundreds of
    # questions one row each (a third of the dashboard's build at 300 questions a guide).
    rows = (
        Question.objects.published()
        .filter(guide_id__in=[e.guide_id for e in enrolments], round__isnull=False)
        .values("guide_id", "round_id", "round__slug", "round__title", "round__order")
        .annotate(total=Count("pk"), ready=Count("pk", filter=Q(practised) & ~Q(overdue)))
        .order_by()
    )
    by_guide: dict[int, list[RoundReadiness]] = {e.guide_id: [] for e in enrolments}
    for row in rows:
        by_guide[row["guide_id"]].append(
            RoundReadiness(
                id=row["round_id"],
                slug=row["round__slug"],
                title=row["round__title"],
                order=row["round__order"],
                total=row["total"],
                ready=row["ready"],
            )
        )
    return [
        GuideReadiness(
            e.guide_id,
            e.guide.slug,
            e.guide.title,
            sorted(by_guide[e.guide_id], key=lambda r: (r.order, r.title)),
        )
        for e in enrolments
        if e.guide.is_published
    ]


def last_practised(user: User) -> QuestionProgress | None:
    """The candidate's most recently practised question that they can still open."""
    return (
        QuestionProgress.objects.filter(
            user=user, last_practised_at__isnull=False, question__in=Question.objects.published()
        )
        .select_related("question__guide")
        .order_by("-last_practised_at", "-pk")
        .first()
    )
