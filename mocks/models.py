"""Mock interviews: one round's questions under the clock, then the candidate's own grading."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

ANSWER_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 1_000
QUESTIONS_MIN, QUESTIONS_MAX, QUESTIONS_DEFAULT = 1, 10, 4
MINUTES_MIN, MINUTES_MAX, MINUTES_FALLBACK = 1, 60, 10
SCORE_MIN, SCORE_MAX = 1, 4


class MockStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"
    ABANDONED = "abandoned", "Abandoned"


class Outcome(models.TextChoices):
    """How the candidate thinks a question went; shaky and missed go to spaced review."""

    NAILED = "nailed", "Nailed"
    SHAKY = "shaky", "Shaky"
    MISSED = "missed", "Missed"


class MockQuerySet(models.QuerySet["Mock"]):
    def of(self, user) -> "MockQuerySet":
        """The mocks of one candidate; anonymous visitors have none."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)

    def in_progress(self) -> "MockQuerySet":
        return self.filter(status=MockStatus.IN_PROGRESS)


class Mock(models.Model):
    """A candidate's mock of one round: the questions picked, the clock per question, the grades."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mocks"
    )
    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="mocks")
    status = models.CharField(
        max_length=12, choices=MockStatus.choices, default=MockStatus.IN_PROGRESS
    )
    minutes_per_question = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The mean of the criteria grades (1–4), kept so history lists and charts need no aggregate.
    score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)

    objects = MockQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            # One mock in progress per round: resuming from another device finds this one.
            models.UniqueConstraint(
                fields=["user", "round"],
                condition=Q(status="in_progress"),
                name="mock_one_in_progress_per_round",
                violation_error_message="A mock of this round is already in progress.",
            ),
            models.CheckConstraint(
                condition=Q(minutes_per_question__gte=MINUTES_MIN)
                & Q(minutes_per_question__lte=MINUTES_MAX),
                name="mock_minutes_range",
                violation_error_message=(
                    f"Minutes per question must be between {MINUTES_MIN} and {MINUTES_MAX}."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — mock of {self.round_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("mocks:detail", kwargs={"mock_id": self.pk})

    @property
    def is_in_progress(self) -> bool:
        return self.status == MockStatus.IN_PROGRESS

    @property
    def time_allowed(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.minutes_per_question)


class MockAnswer(models.Model):
    """One question of a mock, in order; timing is the server's, never the browser's."""

    mock = models.ForeignKey(Mock, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField(help_text="From 1, in the order asked.")
    question = models.ForeignKey(
        "questions.Question", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept so the history stays readable when a recruiter deletes the question.
    question_text = models.TextField()
    notes = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shown_at = models.DateTimeField(null=True, blank=True, help_text="When the clock started.")
    answered_at = models.DateTimeField(null=True, blank=True)
    seconds_taken = models.PositiveIntegerField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    outcome = models.CharField(max_length=6, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["mock", "position"]
        constraints = [
            models.UniqueConstraint(fields=["mock", "position"], name="mock_answer_position"),
        ]

    def __str__(self) -> str:
        return f"{self.mock_id} #{self.position}"

    @property
    def deadline(self) -> datetime.datetime | None:
        return self.shown_at + self.mock.time_allowed if self.shown_at else None

    @property
    def outcome_or_none(self) -> str | None:
        return self.outcome or None

    def minutes_taken_display(self) -> str:
        if self.seconds_taken is None:
            return ""
        minutes, seconds = divmod(self.seconds_taken, 60)
        return f"{minutes}:{seconds:02d}"


class MockGrade(models.Model):
    """The candidate's grade of themself on one evaluation criterion of the mock's round."""

    mock = models.ForeignKey(Mock, on_delete=models.CASCADE, related_name="grades")
    position = models.PositiveSmallIntegerField()
    # The criterion's text when graded: round criteria are lines of text, not rows.
    criterion = models.CharField(max_length=500)
    score = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=REASON_MAX_LENGTH)

    class Meta:
        ordering = ["mock", "position"]
        constraints = [
            models.UniqueConstraint(fields=["mock", "position"], name="mock_grade_position"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX),
                name="mock_grade_score_1_4",
                violation_error_message=f"A grade is {SCORE_MIN} to {SCORE_MAX}.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
