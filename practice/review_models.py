"""Spaced review (FSRS cards and their reviews), a candidate's review setting, answer frameworks.

Kept apart from models.py so the practice app's status work and this module change different
files; models.py imports these classes so Django registers them under the practice app.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q

from questions.models import QuestionKind
from rounds.models import GuideStatus

RETENTION_MIN = 0.70
RETENTION_MAX = 0.97
RETENTION_DEFAULT = 0.9


class Rating(models.IntegerChoices):
    """How a practice went, as the candidate rates it; the values are FSRS's own."""

    AGAIN = 1, "Again"
    HARD = 2, "Hard"
    GOOD = 3, "Good"
    EASY = 4, "Easy"


class CardState(models.IntegerChoices):
    """FSRS's card states; a card never reviewed has no row at all."""

    LEARNING = 1, "Learning"
    REVIEW = 2, "Review"
    RELEARNING = 3, "Relearning"


def local_day_bounds(
    time_zone: str, day: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of `day` and of the next day in `time_zone` (23 or 25 hours at DST)."""
    zone = zoneinfo.ZoneInfo(time_zone)
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


class ReviewCardQuerySet(models.QuerySet["ReviewCard"]):
    def of(self, user) -> "ReviewCardQuerySet":
        """The cards of one candidate; anonymous visitors have none."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)

    def due_on(self, user, local_date: datetime.date) -> "ReviewCardQuerySet":
        """The candidate's cards due on or before `local_date` in their time zone, oldest due first.

        A card due at any time of a local day is due from that day's first minute, so a review
        scheduled for 18:00 shows in the morning's queue.
        """
        _, end = local_day_bounds(user.time_zone, local_date)
        return (
            self.of(user)
            .filter(
                due__lt=end,
                question__is_published=True,
                question__guide__status=GuideStatus.PUBLISHED,
            )
            .order_by("due", "pk")
        )

    def due_between(self, user, start: datetime.date, end: datetime.date) -> "ReviewCardQuerySet":
        """Cards falling due from local day `start` to local day `end` inclusive, oldest first."""
        first, _ = local_day_bounds(user.time_zone, start)
        _, after = local_day_bounds(user.time_zone, end)
        return self.due_on(user, end).filter(due__gte=first, due__lt=after)


def due_for_review(user, local_date: datetime.date) -> Exists:
    """For annotating a Question queryset: whether the candidate's review of it is due that day.

    `Question.objects.annotate(due_for_review=due_for_review(user, today))` adds no query, so
    question lists can show "due for review" beside each row's status.
    """
    if user is None or not user.is_authenticated:
        return Exists(ReviewCard.objects.none())
    _, end = local_day_bounds(user.time_zone, local_date)
    return Exists(ReviewCard.objects.filter(user_id=user.pk, question=OuterRef("pk"), due__lt=end))


class ReviewCard(models.Model):
    """A candidate's FSRS card for one question: when it is next due, and the scheduler's state."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    question = models.ForeignKey(
        "questions.Question", on_delete=models.CASCADE, related_name="review_cards"
    )
    state = models.PositiveSmallIntegerField(choices=CardState.choices)
    # The due time after the interview-date cap; the scheduler's own is in `fsrs_card`.
    due = models.DateTimeField(db_index=True, help_text="When the question is next due.")
    last_review = models.DateTimeField()
    fsrs_card = models.JSONField(help_text="The scheduler's card (fsrs Card.to_dict()).")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="review_card_unique_per_user"
            ),
        ]
        indexes = [models.Index(fields=["user", "due"], name="review_card_user_due")]

    def __str__(self) -> str:
        return f"{self.user} — card {self.question_id}"


class Review(models.Model):
    """One rating of one card: kept so the history can be shown and the scheduler re-run."""

    card = models.ForeignKey(ReviewCard, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField(db_index=True)
    state_before = models.PositiveSmallIntegerField(
        choices=CardState.choices, null=True, blank=True, help_text="Empty for a first review."
    )
    state_after = models.PositiveSmallIntegerField(choices=CardState.choices)
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField()
    interval_days = models.PositiveIntegerField(
        help_text="Local days from this review to the next due day (0: again today)."
    )
    capped_by_interview = models.BooleanField(
        default=False, help_text="Whether the due day was brought forward before the interview."
    )

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=4),
                name="review_rating_1_4",
                violation_error_message="A rating is 1 (Again) to 4 (Easy).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_rating_display()} on {self.reviewed_at:%Y-%m-%d}"


class PracticeSettings(models.Model):
    """A candidate's practice preferences; no row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_settings"
    )
    desired_retention = models.FloatField(
        default=RETENTION_DEFAULT,
        validators=[MinValueValidator(RETENTION_MIN), MaxValueValidator(RETENTION_MAX)],
        help_text="The chance of recalling an answer when its review falls due (0.70–0.97); "
        "higher means more frequent reviews.",
    )

    class Meta:
        verbose_name_plural = "practice settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    desired_retention__gte=RETENTION_MIN, desired_retention__lte=RETENTION_MAX
                ),
                name="practice_settings_retention_range",
                violation_error_message=(
                    f"The desired retention must be between {RETENTION_MIN} and {RETENTION_MAX}."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — retention {self.desired_retention:.2f}"


class AnswerFramework(models.Model):
    """Prep's general method for answering one kind of question, shown beside the practice form."""

    kind = models.CharField(
        max_length=20,
        choices=QuestionKind.choices,
        unique=True,
        help_text="The question kind this method is shown for.",
    )
    title = models.CharField(max_length=120, help_text="A short name, e.g. “STAR”.")
    steps = models.TextField(
        help_text="One step per line; a line may start with a name and a colon, e.g. "
        "“Situation: where, when, who”."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def step_list(self) -> list[tuple[str, str]]:
        """The steps as (name, explanation) pairs; a line with no colon has no name."""
        result = []
        for line in self.steps.splitlines():
            line = line.strip().lstrip("-•").strip()
            if not line:
                continue
            name, sep, rest = line.partition(":")
            result.append((name.strip(), rest.strip()) if sep else ("", line))
        return result
