"""Review of single questions: draft → in review → published, approved by a second recruiter.

The same rules as a guide's review (rounds/publishing.py): whoever sent a question for review
cannot approve it unless they are a superuser, and the approval sets its "last reviewed" date.
Candidates see a question only when it is published and its guide is too.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from rounds.models import ReviewOutcome
from rounds.publishing import refuse_self_approval, save_review_step

from .models import Question, QuestionReview, QuestionStatus


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


def question_review_request(*, question: Question, user: User) -> QuestionReview:
    """Send a draft question for review."""
    with transaction.atomic():
        locked = _locked(question)
        if locked.status != QuestionStatus.DRAFT:
            raise ValidationError(
                f"“{locked}” is {locked.get_status_display().lower()}: only a draft question "
                "can be sent for review.",
                code="conflict",
            )
        review = QuestionReview.objects.create(question=locked, requested_by=user)
        save_review_step(locked, user, status=QuestionStatus.IN_REVIEW)
    return review


def _pending(question: Question) -> QuestionReview:
    review = QuestionReview.objects.filter(question=question, outcome=ReviewOutcome.PENDING).first()
    if question.status != QuestionStatus.IN_REVIEW or review is None:
        raise ValidationError(f"“{question}” is not waiting for review.", code="conflict")
    return review


def question_review_approve(*, question: Question, user: User) -> QuestionReview:
    """Approve a question in review: it is published and marked reviewed today."""
    with transaction.atomic():
        locked = _locked(question)
        review = _pending(locked)
        refuse_self_approval(requested_by_id=review.requested_by_id, user=user, what=locked)
        now = timezone.now()
        review.outcome, review.decided_by, review.decided_at = ReviewOutcome.APPROVED, user, now
        review.save()
        save_review_step(
            locked, user, status=QuestionStatus.PUBLISHED, last_reviewed=timezone.localdate(now)
        )
    return review


def question_review_return(*, question: Question, user: User) -> QuestionReview:
    """Send a question in review back to draft."""
    with transaction.atomic():
        locked = _locked(question)
        review = _pending(locked)
        review.outcome, review.decided_by = ReviewOutcome.RETURNED, user
        review.decided_at = timezone.now()
        review.save()
        save_review_step(locked, user, status=QuestionStatus.DRAFT)
    return review
