"""A candidate's practice of questions: status, last-practised time and private notes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from questions.models import Question, QuestionKind

from .models import NOTE_MAX_LENGTH, PracticeStatus, QuestionProgress

NOTE_FIELDS = ("answer_draft", "star_situation", "star_task", "star_action", "star_result")
STAR_FIELDS = NOTE_FIELDS[1:]

# STAR drafts (situation, task, action, result) suit questions about what the candidate has done.
STAR_KINDS = {QuestionKind.BEHAVIOURAL, QuestionKind.LEADERSHIP, QuestionKind.PEOPLE}


def question_uses_star(question: Question) -> bool:
    """Whether the practice form offers a STAR draft for this question."""
    return question.kind in STAR_KINDS


def question_practice(
    *,
    user: User,
    question: Question,
    status: str | None = None,
    answer_draft: str | None = None,
    star_situation: str | None = None,
    star_task: str | None = None,
    star_action: str | None = None,
    star_result: str | None = None,
    now: datetime.datetime | None = None,
) -> QuestionProgress:
    """Record practice of a visible question; arguments left as None keep their saved value.

    Marking a question practised or confident stamps the last-practised time. The question's text
    and guide are copied so the notes stay readable if a recruiter later deletes the question.
    """
    if not Question.objects.published().filter(pk=question.pk).exists():
        raise ValidationError("This question is not available.", code="conflict")
    if status is not None and status not in PracticeStatus.values:
        raise ValidationError(
            {"status": "Choose one of: " + ", ".join(str(c) for c in PracticeStatus.labels)}
        )
    notes = {
        "answer_draft": answer_draft,
        "star_situation": star_situation,
        "star_task": star_task,
        "star_action": star_action,
        "star_result": star_result,
    }
    errors = {
        name: (
            f"Keep this note under {NOTE_MAX_LENGTH:,} characters "
            f"(it has {len(value):,}); nothing was saved."
        )
        for name, value in notes.items()
        if value is not None and len(value) > NOTE_MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        progress = (
            QuestionProgress.objects.select_for_update()
            .filter(user=user, question=question)
            .first()
        )
        if progress is None:
            progress = QuestionProgress(user=user, question=question)
        progress.guide_id = question.guide_id
        progress.guide_title = question.guide.title
        progress.question_text = question.text
        if status is not None:
            progress.status = status
            if status != PracticeStatus.NEW:
                progress.last_practised_at = now
        for name, value in notes.items():
            if value is not None:
                setattr(progress, name, value)
        try:
            with transaction.atomic():
                progress.save()
        except IntegrityError:
            raise ValidationError(
                "Your notes were saved from another tab; reload and retry.", code="conflict"
            ) from None
    return progress


def question_progress_delete(*, user: User, progress: QuestionProgress) -> None:
    """Delete a candidate's notes on one question, e.g. once its question is gone."""
    if progress.user_id != user.pk:
        raise ValidationError("These notes are not yours.")
    progress.delete()
