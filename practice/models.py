"""A candidate's practice of the question bank: status, last-practised time and private notes."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, F, QuerySet

NOTE_MAX_LENGTH = 10_000


class PracticeStatus(models.TextChoices):
    NEW = "new", "New"
    PRACTISED = "practised", "Practised"
    CONFIDENT = "confident", "Confident"


@dataclass(frozen=True)
class PracticeMark:
    """What a question list shows of the candidate's practice of one question."""

    status: str
    label: str
    last_practised_at: datetime.datetime | None = None


NEW_MARK = PracticeMark(PracticeStatus.NEW, PracticeStatus.NEW.label)


class QuestionProgressQuerySet(models.QuerySet["QuestionProgress"]):
    def of(self, user) -> "QuestionProgressQuerySet":
        """The rows of one candidate; anonymous visitors have none."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)

    def practised(self) -> "QuestionProgressQuerySet":
        """Questions the candidate has worked on: practised or confident, not merely noted."""
        return self.exclude(status=PracticeStatus.NEW)

    def with_shown_status(self) -> "QuestionProgressQuerySet":
        """Annotate `shown_status`, the status every list shows and the bank filters by.

        The one place a row's shown status is derived. Today it is the status the candidate
        chose; spaced review adds a `When(<card due>, then=Value("due"))` before the default, and
        every list, filter and count follows.
        """
        return self.annotate(shown_status=Case(default=F("status"), output_field=CharField()))

    def filter_questions(self, questions: QuerySet, status: str) -> QuerySet:
        """`questions` narrowed to those these rows show as `status`; no row at all is new.

        Written as `id IN (…)` / `NOT IN (…)` subqueries, so the bank's count and page queries
        stay two, whatever the number of rows.
        """
        # NOT IN over a NULL matches nothing, so notes on deleted questions stay out.
        rows = self.with_shown_status().filter(question__isnull=False)
        if status == PracticeStatus.NEW:
            worked = rows.exclude(shown_status=PracticeStatus.NEW)
            return questions.exclude(pk__in=worked.values("question_id"))
        return questions.filter(pk__in=rows.filter(shown_status=status).values("question_id"))

    def marks_for(self, question_ids: Iterable[int]) -> dict[int, PracticeMark]:
        """The mark of each question in `question_ids` (new when there is no row): one query."""
        ids = set(question_ids)
        marks = dict.fromkeys(ids, NEW_MARK)
        if not ids:
            return marks
        # Spaced review's "due" gets its label here too.
        labels = dict(PracticeStatus.choices)
        rows = (
            self.with_shown_status()
            .filter(question_id__in=ids)
            .values_list("question_id", "shown_status", "last_practised_at")
        )
        for question_id, shown, practised_at in rows:
            if shown != PracticeStatus.NEW:
                marks[question_id] = PracticeMark(shown, labels[shown], practised_at)
        return marks


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
    def question_heading(self) -> str:
        """The question's text as it reads now (a recruiter may have reworded it since), also
        once the question is deleted. Like guide_heading: load `question` with the row."""
        return self.question.text if self.question is not None else self.question_text

    @property
    def has_notes(self) -> bool:
        """Whether the candidate wrote an answer draft (STAR text lives in their stories)."""
        return bool(self.answer_draft)


# Spaced review and answer frameworks live in their own module; imported so Django registers them.
from .review_models import (  # noqa: E402
    AnswerFramework,
    PracticeSettings,
    Review,
    ReviewCard,
)

__all__ = ["AnswerFramework", "PracticeSettings", "Review", "ReviewCard"]
