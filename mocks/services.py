"""Running a mock interview: picking its questions, the clock, answers, grading, history."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Value, When
from django.utils import timezone

from accounts.models import User
from practice.models import QuestionProgress
from practice.review import review_submit
from practice.review_models import Rating
from questions.models import Question
from rounds.models import Guide, Region, Round
from stories.models import Story
from stories.services import story_link_question
from studyplan.models import Enrolment, EnrolmentStatus

from .models import (
    ANSWER_MAX_LENGTH,
    MINUTES_FALLBACK,
    MINUTES_MAX,
    MINUTES_MIN,
    QUESTIONS_DEFAULT,
    QUESTIONS_MAX,
    QUESTIONS_MIN,
    REASON_MAX_LENGTH,
    SCORE_MAX,
    SCORE_MIN,
    Mock,
    MockAnswer,
    MockGrade,
    MockStatus,
    Outcome,
)

# What each outcome tells the review scheduler; a nailed question keeps its schedule.
OUTCOME_RATINGS = {Outcome.SHAKY: Rating.HARD, Outcome.MISSED: Rating.AGAIN}


def default_minutes(rnd: Round, questions: int = QUESTIONS_DEFAULT) -> int:
    """Minutes per question: the round's share of the guide's interview time, else 10.

    Rounds carry no time of their own yet, so the guide's total interview time is split evenly
    over its rounds, and the round's share over the questions of the mock.
    """
    total = rnd.guide.total_interview_minutes
    rounds = rnd.guide.rounds.count()
    if not total or not rounds:
        return MINUTES_FALLBACK
    per_question = round(total / rounds / max(questions, 1))
    return min(max(per_question, MINUTES_MIN), MINUTES_MAX)


def candidate_region(user: User, guide: Guide) -> Region | None:
    """The region of the candidate's enrolment in `guide`, else the one in their settings."""
    enrolment = (
        Enrolment.objects.filter(user=user, guide=guide)
        .exclude(status=EnrolmentStatus.LEFT)
        .select_related("region")
        .first()
    )
    if enrolment is not None and enrolment.region is not None:
        return enrolment.region
    return user.region


def pick_questions(*, user: User, rnd: Round, count: int) -> list[Question]:
    """The round's published questions for a mock: the candidate's region's first, then the
    round's general ones, then other regions'; within each, the least recently practised first
    (never practised before all), then the guide's order."""
    region = candidate_region(user, rnd.guide)
    last_practised = QuestionProgress.objects.filter(
        user_id=user.pk, question=OuterRef("pk")
    ).values("last_practised_at")[:1]
    region_rank = Case(
        When(region__isnull=True, then=Value(1)),
        *([When(region=region, then=Value(0))] if region is not None else []),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        Question.objects.published()
        .filter(round=rnd)
        .annotate(region_rank=region_rank, last_practised=Subquery(last_practised))
        .order_by("region_rank", F("last_practised").asc(nulls_first=True), "order", "pk")[:count]
    )


def mock_start(
    *,
    user: User,
    rnd: Round,
    questions: int = QUESTIONS_DEFAULT,
    minutes: int | None = None,
    now: datetime.datetime | None = None,
) -> Mock:
    """Start a mock of `rnd` and the clock of its first question: one in progress per round,
    so a second start is refused."""
    if not rnd.guide.is_published:
        raise ValidationError("This guide is not published.", code="conflict")
    if not QUESTIONS_MIN <= questions <= QUESTIONS_MAX:
        raise ValidationError(
            {"questions": f"Choose from {QUESTIONS_MIN} to {QUESTIONS_MAX} questions."}
        )
    if minutes is None:
        minutes = default_minutes(rnd, questions)
    if not MINUTES_MIN <= minutes <= MINUTES_MAX:
        raise ValidationError(
            {"minutes": f"Choose from {MINUTES_MIN} to {MINUTES_MAX} minutes per question."}
        )
    picked = pick_questions(user=user, rnd=rnd, count=questions)
    if not picked:
        raise ValidationError("This round has no questions to practise yet.", code="conflict")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            mock = Mock.objects.create(user=user, round=rnd, minutes_per_question=minutes)
            MockAnswer.objects.bulk_create(
                MockAnswer(
                    mock=mock,
                    position=n,
                    question=q,
                    question_text=q.text,
                    shown_at=now if n == 1 else None,
                )
                for n, q in enumerate(picked, start=1)
            )
    except IntegrityError:
        raise ValidationError(
            "You already have a mock of this round in progress: resume or abandon it first.",
            code="conflict",
        ) from None
    return mock


def _check_in_progress(user: User, mock: Mock) -> None:
    if mock.user_id != user.pk:
        raise ValidationError("This mock is not yours.")
    if not mock.is_in_progress:
        raise ValidationError("This mock is over.", code="conflict")


def current_answer(mock: Mock) -> MockAnswer | None:
    """The next question to answer, or None when all are answered (time to grade)."""
    return mock.answers.filter(answered_at__isnull=True).select_related("question").first()


def answer_start(
    *, user: User, answer: MockAnswer, now: datetime.datetime | None = None
) -> MockAnswer:
    """Start the question's clock, once: starting it again (a second tab, a double click)
    keeps the first start, so no request buys time.

    Only POSTs call this (the start of the mock, the save of the question before, or "Start
    question"): showing a question is a GET, and a GET must not change the mock's timing, e.g.
    when a browser prefetches the page or a candidate peeks from another device.
    """
    _check_in_progress(user, answer.mock)
    if answer.answered_at is not None:
        raise ValidationError("This question was already answered.", code="conflict")
    if answer.shown_at is None:
        now = now or timezone.now()
        updated = MockAnswer.objects.filter(pk=answer.pk, shown_at__isnull=True).update(
            shown_at=now
        )
        if updated:
            answer.shown_at = now
        else:
            answer.refresh_from_db(fields=["shown_at"])
    return answer


def answer_save(
    *,
    user: User,
    answer: MockAnswer,
    notes: str,
    story: Story | None = None,
    now: datetime.datetime | None = None,
    start_next: bool = True,
) -> MockAnswer:
    """Save the answer with the time taken, measured on the server.

    The next question's clock starts with the save, unless `start_next` is False (the page
    saved by itself when time ran out: a candidate who stepped away would come back to a
    clock already running); it then waits for "Start question".

    Past the deadline the answer is still saved, in full, and marked timed out: running out of
    time in a mock is something to learn from, not a reason to lose what was written.
    """
    _check_in_progress(user, answer.mock)
    if len(notes) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            {"notes": f"Keep your notes under {ANSWER_MAX_LENGTH:,} characters; nothing was saved."}
        )
    if story is not None and story.user_id != user.pk:
        raise ValidationError({"story": "Choose one of your own stories."})
    now = now or timezone.now()
    with transaction.atomic():
        locked = MockAnswer.objects.select_for_update().select_related("mock").get(pk=answer.pk)
        if locked.answered_at is not None:
            raise ValidationError(
                "This question was already answered, maybe from another device.", code="conflict"
            )
        # One question at a time, in order: answering a later one first would skip its clock.
        first_open = (
            MockAnswer.objects.filter(mock_id=locked.mock_id, answered_at__isnull=True)
            .order_by("position")
            .values_list("pk", flat=True)
            .first()
        )
        if first_open != locked.pk:
            raise ValidationError(
                "Answer the questions in order: this one comes later.", code="conflict"
            )
        # A question answered before its clock started (an API client skipping the start)
        # started now.
        shown = locked.shown_at or now
        taken = max(0, int((now - shown).total_seconds()))
        locked.shown_at = shown
        locked.notes = notes
        locked.story = story
        locked.answered_at = now
        locked.seconds_taken = taken
        # At the deadline counts as out of time: that is when the script saves by itself.
        locked.timed_out = taken >= locked.mock.minutes_per_question * 60
        locked.save()
        if story is not None and locked.question is not None:
            try:
                story_link_question(user=user, story=story, question=locked.question)
            except ValidationError:
                pass  # The question was unpublished meanwhile; the answer still names the story.
        if not start_next:
            return locked
        # One click per question: the POST that saves this answer starts the next clock.
        following = (
            MockAnswer.objects.filter(mock_id=locked.mock_id, answered_at__isnull=True)
            .order_by("position")
            .values_list("pk", flat=True)[:1]
        )
        MockAnswer.objects.filter(pk__in=list(following), shown_at__isnull=True).update(
            shown_at=now
        )
    return locked


def criteria_for(rnd: Round) -> list[str]:
    """What the candidate grades themself on: the round's criteria, else the guide's overall."""
    own = rnd.criteria_items()
    if own:
        return own
    return list(rnd.guide.criteria.order_by("order", "pk").values_list("title", flat=True))


def mock_grade(
    *,
    user: User,
    mock: Mock,
    grades: list[tuple[int, str]],
    outcomes: dict[int, str],
    now: datetime.datetime | None = None,
) -> Mock:
    """Finish the mock with a 1–4 grade and reason per criterion (in `criteria_for` order) and
    an outcome per answer id; shaky and missed questions go to spaced review as Hard / Again."""
    _check_in_progress(user, mock)
    answers = list(mock.answers.select_related("question"))
    if any(a.answered_at is None for a in answers):
        raise ValidationError("Answer every question before grading.", code="conflict")
    criteria = criteria_for(mock.round)
    errors: dict[str, str] = {}
    if len(grades) != len(criteria):
        errors["grades"] = f"Grade each of the {len(criteria)} criteria."
    for n, (score, reason) in enumerate(grades):
        if not SCORE_MIN <= score <= SCORE_MAX:
            errors[f"score_{n}"] = f"Choose a grade from {SCORE_MIN} to {SCORE_MAX}."
        if not reason.strip():
            errors[f"reason_{n}"] = "Say in a few words why."
        elif len(reason) > REASON_MAX_LENGTH:
            errors[f"reason_{n}"] = f"Keep the reason under {REASON_MAX_LENGTH} characters."
    for a in answers:
        if outcomes.get(a.pk) not in Outcome.values:
            errors[f"outcome_{a.pk}"] = "Choose nailed, shaky or missed."
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Mock.objects.select_for_update().get(pk=mock.pk)
        if not locked.is_in_progress:
            raise ValidationError("This mock is over.", code="conflict")
        MockGrade.objects.bulk_create(
            MockGrade(mock=mock, position=n, criterion=c[:500], score=s, reason=r.strip())
            for n, (c, (s, r)) in enumerate(zip(criteria, grades, strict=True), start=1)
        )
        for a in answers:
            a.outcome = outcomes[a.pk]
        MockAnswer.objects.bulk_update(answers, ["outcome"])
        mean = Decimal(sum(s for s, _ in grades)) / len(grades) if grades else None
        locked.score = mean.quantize(Decimal("0.01")) if mean is not None else None
        locked.status = MockStatus.FINISHED
        locked.finished_at = now
        locked.save(update_fields=["score", "status", "finished_at"])
        for a in answers:
            rating = OUTCOME_RATINGS.get(a.outcome)
            if rating is None or a.question is None:
                continue
            try:
                review_submit(user=user, question=a.question, rating=rating, now=now)
            except ValidationError:
                pass  # Unpublished since the mock started: nothing to review.
    return locked


def mock_abandon(*, user: User, mock: Mock, now: datetime.datetime | None = None) -> Mock:
    """Stop a mock without grading; its answers stay in the history, a new one can start."""
    _check_in_progress(user, mock)
    mock.status = MockStatus.ABANDONED
    mock.finished_at = now or timezone.now()
    mock.save(update_fields=["status", "finished_at"])
    return mock
