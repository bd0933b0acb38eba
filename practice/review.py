"""Spaced review of practised questions, scheduled by FSRS on the candidate's local days."""

import datetime
import zoneinfo
from dataclasses import dataclass

import fsrs
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from questions.models import Question
from rounds.models import GuideStatus
from studyplan.models import Enrolment, EnrolmentStatus

from .models import PracticeStatus, QuestionProgress
from .review_models import (
    RETENTION_DEFAULT,
    RETENTION_MAX,
    RETENTION_MIN,
    AnswerFramework,
    PracticeSettings,
    Rating,
    Review,
    ReviewCard,
    local_day_bounds,
)
from .services import question_practice


def local_date(user: User, moment: datetime.datetime) -> datetime.date:
    """The calendar day `moment` falls on in the candidate's time zone."""
    return moment.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()


def local_today(user: User, now: datetime.datetime | None = None) -> datetime.date:
    return local_date(user, now or timezone.now())


def desired_retention(user: User) -> float:
    """The candidate's desired retention, or the default when they never changed it."""
    row = PracticeSettings.objects.filter(user_id=user.pk).first()
    return row.desired_retention if row is not None else RETENTION_DEFAULT


def practice_settings_update(*, user: User, desired_retention: float) -> PracticeSettings:
    """Save the candidate's desired retention; the next rating schedules with it."""
    if not RETENTION_MIN <= desired_retention <= RETENTION_MAX:
        raise ValidationError(
            {
                "desired_retention": f"Choose a retention from {RETENTION_MIN:.2f} "
                f"to {RETENTION_MAX:.2f}."
            }
        )
    row, _ = PracticeSettings.objects.update_or_create(
        user=user, defaults={"desired_retention": desired_retention}
    )
    return row


def scheduler(retention: float) -> fsrs.Scheduler:
    # No minute-long learning steps: a candidate practises a question at most once or twice a day,
    # so "Again" means tomorrow, not in ten minutes. No fuzzing: a candidate has dozens of
    # questions, not the thousands of cards fuzzing spreads out, and the same history must give
    # the same due day when the scheduler is re-run.
    return fsrs.Scheduler(
        desired_retention=retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )


def interview_date(user: User, question: Question) -> datetime.date | None:
    """The interview date of the candidate's enrolment in the question's guide, if they set one."""
    return (
        Enrolment.objects.filter(user=user, guide_id=question.guide_id)
        .exclude(status=EnrolmentStatus.LEFT)
        .values_list("target_interview_date", flat=True)
        .first()
    )


def cap_before_interview(
    *, due_day: datetime.date, today: datetime.date, interview: datetime.date | None
) -> datetime.date | None:
    """The day before the interview when `due_day` is on or after it, else None (no cap).

    A review due on or after the interview day is of no use to the candidate, so it moves to the
    day before. When that day is today or past (the interview is tomorrow or over), there is no
    earlier day to move it to, and the scheduler's day stands.
    """
    if interview is None or due_day < interview:
        return None
    day_before = interview - datetime.timedelta(days=1)
    if day_before <= today:
        return None
    return day_before


def review_submit(
    *, user: User, question: Question, rating: int, now: datetime.datetime | None = None
) -> Review:
    """Rate a practice of `question` (Again, Hard, Good, Easy) and schedule its next review.

    The first rating creates the card. The question counts as practised, so a rating from the
    review queue moves "last practised" like saving the practice form does.
    """
    if rating not in Rating.values:
        raise ValidationError({"rating": "Choose Again, Hard, Good or Easy."})
    if not Question.objects.published().filter(pk=question.pk).exists():
        raise ValidationError("This question is not available.", code="conflict")
    # FSRS takes UTC times only.
    now = (now or timezone.now()).astimezone(datetime.UTC)
    today = local_date(user, now)
    retention = desired_retention(user)
    interview = interview_date(user, question)
    with transaction.atomic():
        card = ReviewCard.objects.select_for_update().filter(user=user, question=question).first()
        before = fsrs.Card.from_dict(card.fsrs_card) if card is not None else fsrs.Card()
        after, _log = scheduler(retention).review_card(before, fsrs.Rating(rating), now)
        # FSRS counts whole days of 24 hours in UTC; the candidate counts calendar days where
        # they live. Taking the scheduler's interval in days and landing it on the first minute of
        # that local day keeps "in 2 days" two local days away, also across a clock change.
        interval = max(1, round((after.due - now) / datetime.timedelta(days=1)))
        due_day = today + datetime.timedelta(days=interval)
        capped = cap_before_interview(due_day=due_day, today=today, interview=interview)
        if capped is not None:
            due_day = capped
        after.due, _ = local_day_bounds(user.time_zone, due_day)
        review = Review(
            user=user,
            rating=rating,
            reviewed_at=now,
            state_before=card.state if card is not None else None,
            due_before=card.due if card is not None else None,
            state_after=after.state.value,
            due_after=after.due,
            interval_days=(due_day - today).days,
            capped_by_interview=capped is not None,
        )
        if card is None:
            card = ReviewCard(user=user, question=question)
        card.state = after.state.value
        card.due = after.due
        card.last_review = now
        card.fsrs_card = after.to_dict()
        try:
            with transaction.atomic():
                card.save()
        except IntegrityError:
            raise ValidationError(
                "This question was rated from another tab; reload and retry.", code="conflict"
            ) from None
        review.card = card
        review.save()
        existing = (
            QuestionProgress.objects.filter(user=user, question=question)
            .values_list("status", flat=True)
            .first()
        )
        status = (
            existing if existing not in (None, PracticeStatus.NEW) else PracticeStatus.PRACTISED
        )
        question_practice(user=user, question=question, status=status, now=now)
    return review


def due_count(user: User, day: datetime.date) -> int:
    """How many reviews are due on the candidate's local `day`, overdue ones included."""
    return ReviewCard.objects.due_on(user, day).count()


def next_due_card(user: User, day: datetime.date) -> ReviewCard | None:
    """The review to do next: the card due longest ago."""
    return ReviewCard.objects.due_on(user, day).select_related("question__guide").first()


@dataclass(frozen=True)
class NextReviews:
    day: datetime.date
    count: int
    days_away: int


def next_reviews(user: User, day: datetime.date) -> NextReviews | None:
    """The first local day after `day` with reviews falling due, and how many: what an empty
    queue tells the candidate to come back for. Two queries."""
    _, end = local_day_bounds(user.time_zone, day)
    first_due = (
        ReviewCard.objects.of(user)
        .filter(
            due__gte=end,
            question__is_published=True,
            question__guide__status=GuideStatus.PUBLISHED,
        )
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )
    if first_due is None:
        return None
    next_day = local_date(user, first_due)
    count = ReviewCard.objects.due_between(user, next_day, next_day).count()
    return NextReviews(next_day, count, (next_day - day).days)


def reviews_due_between(
    *, user: User, start: datetime.date, end: datetime.date, limit: int = 5
) -> list[ReviewCard]:
    """Cards due on the candidate's local days `start` to `end` inclusive, oldest due first.

    For the weekly reminder e-mail (at most `limit`); each card's `question` and its `guide` are
    loaded. Pass an earlier `start` to include reviews already overdue.
    """
    return list(
        ReviewCard.objects.due_between(user, start, end).select_related("question__guide")[
            : max(limit, 0)
        ]
    )


def card_history(card: ReviewCard) -> list[Review]:
    return list(card.reviews.order_by("-reviewed_at", "-pk"))


def card_replay(*, card: ReviewCard, retention: float | None = None) -> fsrs.Card:
    """The card the scheduler gives from the stored ratings alone (e.g. with another retention).

    The interview-date cap is not re-applied: this is the scheduler's own view.
    """
    replayed = fsrs.Card()
    sched = scheduler(retention if retention is not None else desired_retention(card.user))
    for review in card.reviews.order_by("reviewed_at", "pk"):
        replayed, _ = sched.review_card(
            replayed, fsrs.Rating(review.rating), review.reviewed_at.astimezone(datetime.UTC)
        )
    return replayed


def framework_for(kind: str) -> AnswerFramework | None:
    return AnswerFramework.objects.filter(kind=kind).first()


def review_context(user: User, question: Question) -> dict:
    """What the practice form shows for spaced review: the card (if rated) and Prep's method."""
    card = ReviewCard.objects.filter(user=user, question=question).first()
    return {
        "review_card": card,
        "review_due_today": card is not None and local_date(user, card.due) <= local_today(user),
        "rating_choices": Rating.choices,
        "framework": framework_for(question.kind),
    }


def review_export(user: User) -> dict:
    """The candidate's review setting, cards and every rating, for the data export."""
    cards = (
        ReviewCard.objects.filter(user=user)
        .select_related("question__guide")
        .prefetch_related("reviews")
        .order_by("due", "pk")
    )
    return {
        "desired_retention": desired_retention(user),
        "cards": [
            {
                "question": card.question.text,
                "guide": card.question.guide.title,
                "state": card.get_state_display(),
                "due": card.due.isoformat(),
                "last_review": card.last_review.isoformat(),
                "scheduler_card": card.fsrs_card,
                "reviews": [
                    {
                        "rating": r.get_rating_display(),
                        "reviewed_at": r.reviewed_at.isoformat(),
                        "interval_days": r.interval_days,
                        "due_after": r.due_after.isoformat(),
                        "capped_by_interview": r.capped_by_interview,
                    }
                    for r in sorted(card.reviews.all(), key=lambda r: (r.reviewed_at, r.pk))
                ],
            }
            for card in cards
        ],
    }
