"""Review before publishing: draft → in review → published, approved by a second recruiter.

The recruiter who sent a guide for review cannot approve it (a superuser can, for a team of
one); the approval sets the guide's "last reviewed" date. Each step is a GuideReview row and,
through django-simple-history, a version of the guide naming who took it.

Edits to a guide that is already published are staged until a second recruiter approves them:
rounds/staging.py. Single questions have the same steps: questions/publishing.py.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import Guide, GuideReview, GuideStatus, ReviewOutcome


def _locked(guide: Guide) -> Guide:
    return Guide.objects.select_for_update().get(pk=guide.pk)


def save_review_step(instance: Guide | Any, user: User, **fields) -> None:
    """Set `fields` on a guide or question and save just them, as a version by `user`.

    Shared by the review steps of guides, questions (questions/publishing.py) and staged edits.
    """
    for name, value in fields.items():
        setattr(instance, name, value)
    # simple-history records the version under the user who took the step.
    instance._history_user = user
    instance.save(update_fields=[*fields, "updated_at"])


def refuse_self_approval(*, requested_by_id: int | None, user: User, what: object) -> None:
    """The second-person rule: whoever sent `what` for review cannot approve it, unless they
    are a superuser (a team of one)."""
    if requested_by_id == user.pk and not user.is_superuser:
        raise ValidationError(
            f"You sent “{what}” for review: another recruiter must approve it.",
            code="self_approval",
        )


def review_request(*, guide: Guide, user: User, note: str = "") -> GuideReview:
    """Send a draft guide for review."""
    with transaction.atomic():
        locked = _locked(guide)
        if locked.status != GuideStatus.DRAFT:
            raise ValidationError(
                f"“{locked}” is {locked.get_status_display().lower()}: only a draft can be sent "
                "for review.",
                code="conflict",
            )
        review = GuideReview.objects.create(guide=locked, requested_by=user, note=note.strip())
        save_review_step(locked, user, status=GuideStatus.IN_REVIEW)
    guide.status = locked.status
    return review


def _pending(guide: Guide) -> GuideReview:
    review = GuideReview.objects.filter(guide=guide, outcome=ReviewOutcome.PENDING).first()
    if guide.status != GuideStatus.IN_REVIEW or review is None:
        raise ValidationError(f"“{guide}” is not waiting for review.", code="conflict")
    return review


def review_approve(*, guide: Guide, user: User, note: str = "") -> GuideReview:
    """Approve a guide in review: it is published and marked reviewed today."""
    with transaction.atomic():
        locked = _locked(guide)
        review = _pending(locked)
        refuse_self_approval(requested_by_id=review.requested_by_id, user=user, what=locked)
        now = timezone.now()
        review.outcome = ReviewOutcome.APPROVED
        review.decided_by, review.decided_at, review.decision_note = user, now, note.strip()
        review.save()
        save_review_step(
            locked, user, status=GuideStatus.PUBLISHED, last_reviewed=timezone.localdate(now)
        )
    guide.status, guide.last_reviewed = locked.status, locked.last_reviewed
    return review


def review_return(*, guide: Guide, user: User, note: str = "") -> GuideReview:
    """Send a guide in review back to draft, with the reviewer's reasons."""
    with transaction.atomic():
        locked = _locked(guide)
        review = _pending(locked)
        review.outcome = ReviewOutcome.RETURNED
        review.decided_by, review.decided_at = user, timezone.now()
        review.decision_note = note.strip()
        review.save()
        save_review_step(locked, user, status=GuideStatus.DRAFT)
    guide.status = locked.status
    return review


def review_summary(review: GuideReview) -> str:
    """One line of a guide's review record, e.g. "Sent by Rita on 27 Nov 2026: approved by Sam
    on 28 Nov 2026 (Looks right)"."""

    def who(user: User | None) -> str:
        return (user.display_name or user.email) if user is not None else "a deleted user"

    line = f"Sent by {who(review.requested_by)} on {review.requested_at:%d %b %Y}"
    if review.note:
        line += f" ({review.note})"
    if review.outcome == ReviewOutcome.PENDING:
        return line + ": waiting for approval"
    verb = "approved" if review.outcome == ReviewOutcome.APPROVED else "returned to draft"
    line += f": {verb} by {who(review.decided_by)}"
    if review.decided_at:
        line += f" on {review.decided_at:%d %b %Y}"
    if review.decision_note:
        line += f" ({review.decision_note})"
    return line
