"""What candidates did with one guide, counted: every number through `privacy.figure`.

Each section is one grouped query whatever the number of candidates, so the page costs the same
for five candidates or five thousand. Nothing here selects a candidate's identity or notes:
queries group by week, status, block or question and count users, never return them.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Model, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from practice.models import QuestionProgress
from practice.review_models import Rating, Review
from questions.models import Question
from rounds.models import Guide
from studyplan.models import Enrolment, EnrolmentStatus, StudyBlock, TaskProgress

from .privacy import Figure, figure

WEEKS_SHOWN = 12
QUESTIONS_LISTED = 5
# Still following the plan, so their ticks count towards completion; "left" is not.
ENROLLED = (EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED)
STRUGGLED = Q(rating__in=(Rating.AGAIN, Rating.HARD))


def reminder_delivery_model() -> type[Model]:
    """ReminderDelivery, wherever it lives: it is moving from `studyplan` to `reminders`."""
    for app_label in ("reminders", "studyplan"):
        try:
            return apps.get_model(app_label, "ReminderDelivery")
        except LookupError:
            continue
    raise LookupError("No app has a ReminderDelivery model.")


@dataclass(frozen=True)
class Row:
    """One line of a chart and its table: a label and one figure per series."""

    label: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Section:
    """One chart with its table."""

    key: str
    caption: str
    row_heading: str
    series: tuple[str, ...]
    rows: tuple[Row, ...]
    percent: bool = False
    note: str = ""


def week_starts(today: datetime.date, weeks: int = WEEKS_SHOWN) -> list[datetime.date]:
    """The Mondays of the last `weeks` weeks, this week's last."""
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _week_label(monday: datetime.date) -> str:
    return f"Week of {monday:%d %b %Y}"


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def enrolments_per_week(guide: Guide, today: datetime.date) -> Section:
    mondays = week_starts(today)
    counts = dict(
        Enrolment.objects.filter(guide=guide, created_at__date__gte=mondays[0])
        .annotate(week_of=TruncWeek("created_at"))
        .values("week_of")
        .annotate(n=Count("user", distinct=True))
        .values_list("week_of", "n")
    )
    counts = {_as_date(week): n for week, n in counts.items()}
    rows = []
    for monday in mondays:
        n = counts.get(monday, 0)
        rows.append(Row(_week_label(monday), (figure(n, candidates=n),)))
    return Section(
        "enrolments",
        f"Enrolments per week, last {WEEKS_SHOWN} weeks",
        "Week",
        ("Candidates who enrolled",),
        tuple(rows),
    )


def enrolment_statuses(guide: Guide) -> tuple[Section, int]:
    """Active, paused and left; also how many candidates are still enrolled."""
    counts = dict(
        Enrolment.objects.filter(guide=guide)
        .values("status")
        .annotate(n=Count("user", distinct=True))
        .values_list("status", "n")
    )
    rows = tuple(
        Row(label, (figure(counts.get(value, 0), candidates=counts.get(value, 0)),))
        for value, label in EnrolmentStatus.choices
    )
    section = Section("statuses", "Candidates by plan status", "Status", ("Candidates",), rows)
    return section, sum(counts.get(status, 0) for status in ENROLLED)


def completion_per_block(guide: Guide, enrolled: int) -> Section:
    blocks = list(
        StudyBlock.objects.filter(guide=guide)
        .annotate(task_count=Count("tasks"))
        .order_by("start_week")
    )
    ticks = dict(
        TaskProgress.objects.filter(enrolment__guide=guide, enrolment__status__in=ENROLLED)
        .values("task__block")
        .annotate(n=Count("pk"))
        .values_list("task__block", "n")
    )
    rows = []
    for block in blocks:
        possible = block.task_count * enrolled
        share = ticks.get(block.pk, 0) / possible if possible else 0
        rows.append(
            Row(
                f"Weeks {block.weeks_label}: {block.title}",
                (figure(share, candidates=enrolled, percent=True),),
            )
        )
    return Section(
        "completion",
        "Completion per study block",
        "Study block",
        ("Share of the block’s tasks ticked",),
        tuple(rows),
        percent=True,
        note="Across the candidates still enrolled (active or paused).",
    )


def _question_label(question: Question) -> str:
    text = " ".join(question.text.split())
    return text if len(text) <= 90 else text[:89] + "…"


def question_sections(guide: Guide) -> list[Section]:
    """Most and least practised questions, and those most often rated Again or Hard."""
    questions = list(Question.objects.filter(guide=guide).order_by("round__order", "order", "pk"))
    practised = dict(
        QuestionProgress.objects.filter(question__guide=guide)
        .practised()
        .values("question")
        .annotate(n=Count("user", distinct=True))
        .values_list("question", "n")
    )
    ratings = {
        row["card__question"]: row
        for row in Review.objects.filter(card__question__guide=guide)
        .values("card__question")
        .annotate(
            struggled=Count("pk", filter=STRUGGLED),
            people=Count("user", distinct=True, filter=STRUGGLED),
        )
    }

    by_practice = [
        (q, figure(practised.get(q.pk, 0), candidates=practised.get(q.pk, 0))) for q in questions
    ]
    shown = sorted((p for p in by_practice if p[1].shown), key=lambda p: -p[1].value)
    # Withheld counts are not ranked against each other (that would tell 0 from 4); they come
    # first among the least practised, in the guide's order.
    withheld = [p for p in by_practice if not p[1].shown]
    most = shown[:QUESTIONS_LISTED]
    least = (withheld + shown[::-1])[:QUESTIONS_LISTED]

    struggled = []
    for q in questions:
        row = ratings.get(q.pk)
        if row and row["struggled"]:
            struggled.append((q, figure(row["struggled"], candidates=row["people"])))
    # Only figures that may be shown are ranked; withheld ones follow in the guide's order.
    hardest = sorted((p for p in struggled if p[1].shown), key=lambda p: -p[1].value)
    hardest += [p for p in struggled if not p[1].shown]

    def rows(pairs):
        return tuple(Row(_question_label(q), (f,)) for q, f in pairs)

    return [
        Section(
            "most-practised",
            "Most practised questions",
            "Question",
            ("Candidates who practised it",),
            rows(most),
            note="" if most else "No question has been practised by enough candidates yet.",
        ),
        Section(
            "least-practised",
            "Least practised questions",
            "Question",
            ("Candidates who practised it",),
            rows(least),
        ),
        Section(
            "struggled",
            "Questions most often rated Again or Hard",
            "Question",
            ("Reviews rated Again or Hard",),
            rows(hardest[:QUESTIONS_LISTED]),
            note=""
            if struggled
            else "No review of this guide’s questions was rated Again or Hard.",
        ),
    ]


def reminders_per_week(guide: Guide, today: datetime.date) -> Section:
    mondays = week_starts(today)
    delivery = reminder_delivery_model()
    # Status values are strings, so this does not import the model's choices either.
    counts = {}
    for row in (
        delivery.objects.filter(
            enrolment__guide=guide, status__in=("sent", "failed"), due_at__date__gte=mondays[0]
        )
        .annotate(week_of=TruncWeek("due_at"))
        .values("week_of", "status")
        .annotate(n=Count("pk"), people=Count("enrolment__user", distinct=True))
    ):
        counts[(_as_date(row["week_of"]), row["status"])] = (row["n"], row["people"])
    for week, n in (
        Enrolment.objects.filter(
            guide=guide, reminders_enabled=False, reminders_off_at__date__gte=mondays[0]
        )
        .annotate(week_of=TruncWeek("reminders_off_at"))
        .values("week_of")
        .annotate(n=Count("user", distinct=True))
        .values_list("week_of", "n")
    ):
        counts[(_as_date(week), "unsubscribed")] = (n, n)
    rows = []
    for monday in mondays:
        figures = []
        for status in ("sent", "failed", "unsubscribed"):
            n, people = counts.get((monday, status), (0, 0))
            figures.append(figure(n, candidates=people))
        rows.append(Row(_week_label(monday), tuple(figures)))
    return Section(
        "reminders",
        f"Reminder e-mails per week, last {WEEKS_SHOWN} weeks",
        "Week",
        ("Sent", "Failed", "Unsubscribed"),
        tuple(rows),
        note="Sent and failed by the week the e-mail was due; unsubscribed by the week the "
        "candidate turned this plan’s reminders off (and has not turned them back on).",
    )


def mock_scores_per_criterion(guide: Guide) -> Section | None:
    """Hook for the mocks app: its scores per evaluation criterion, or None without it.

    The mocks app supplies `mocks.insight.scores_per_criterion(*, guide) -> Section`, built
    with `privacy.figure` like every section here; until it is installed the page has no such
    section at all.
    """
    if not apps.is_installed("mocks"):
        return None
    from django.utils.module_loading import import_string

    return import_string("mocks.insight.scores_per_criterion")(guide=guide)


def guide_insight(guide: Guide, *, today: datetime.date | None = None) -> list[Section]:
    """Every section of the guide's insight page, in page order."""
    today = today or timezone.localdate()
    statuses, enrolled = enrolment_statuses(guide)
    sections = [
        enrolments_per_week(guide, today),
        statuses,
        completion_per_block(guide, enrolled),
        *question_sections(guide),
        reminders_per_week(guide, today),
    ]
    if (mocks := mock_scores_per_criterion(guide)) is not None:
        sections.append(mocks)
    return sections
