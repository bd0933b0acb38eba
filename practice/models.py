"""A candidate's practice of the question bank: status, last-practised time and private notes."""

from django.conf import settings
from django.db import models

NOTE_MAX_LENGTH = 10_000


class PracticeStatus(models.TextChoices):
    NEW = "new", "New"
    PRACTISED = "practised", "Practised"
    CONFIDENT = "confident", "Confident"


class QuestionProgressQuerySet(models.QuerySet["QuestionProgress"]):
    def of(self, user) -> "QuestionProgressQuerySet":
        """The rows of one candidate; anonymous visitors have none."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)

    def practised(self) -> "QuestionProgressQuerySet":
        """Questions the candidate has worked on: practised or confident, not merely noted."""
        return self.exclude(status=PracticeStatus.NEW)


class QuestionProgress(models.Model):
    """A candidate's practice of one question: status and private notes.

    The question is nullable on purpose: when a recruiter deletes a question, the candidate's notes
    stay readable through the copy of its text kept in `question_text`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_progress"
    )
    question = models.ForeignKey(
        "questions.Question",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="progress",
    )
    guide = models.ForeignKey(
        "rounds.Guide", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question_text = models.TextField(help_text="The question's text when last practised.")
    # Kept like question_text, so notes still say which guide they were for once it is deleted.
    guide_title = models.CharField(
        max_length=300, blank=True, help_text="The guide's title when last practised."
    )
    status = models.CharField(
        max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.NEW
    )
    last_practised_at = models.DateTimeField(null=True, blank=True)
    answer_draft = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    star_situation = models.TextField("situation", blank=True, max_length=NOTE_MAX_LENGTH)
    star_task = models.TextField("task", blank=True, max_length=NOTE_MAX_LENGTH)
    star_action = models.TextField("action", blank=True, max_length=NOTE_MAX_LENGTH)
    star_result = models.TextField("result", blank=True, max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionProgressQuerySet.as_manager()

    class Meta:
        # The rows were created by the questions app before practice had its own; keeping the
        # table (and its ids, sequence and indexes) made the move a change of Django's state only.
        db_table = "questions_questionprogress"
        ordering = ["-updated_at"]
        verbose_name_plural = "question progress"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="question_progress_unique_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.question_text[:60]}"

    @property
    def guide_heading(self) -> str:
        """The title of the guide these notes are for, also once the guide is deleted."""
        return self.guide.title if self.guide is not None else self.guide_title

    @property
    def has_notes(self) -> bool:
        """Whether the candidate wrote anything, in the answer draft or the STAR draft."""
        return any(
            (
                self.answer_draft,
                self.star_situation,
                self.star_task,
                self.star_action,
                self.star_result,
            )
        )


# Spaced review and answer frameworks live in their own module; imported so Django registers them.
from .review_models import (  # noqa: E402
    AnswerFramework,
    PracticeSettings,
    Review,
    ReviewCard,
)

__all__ = ["AnswerFramework", "PracticeSettings", "Review", "ReviewCard"]
