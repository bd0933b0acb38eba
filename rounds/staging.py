"""Staged edits: a change to a published guide waits for a second recruiter's approval.

A recruiter's save to a published guide, or to anything in it, is run in a transaction; the guide
is exported as it would then be (the guide file format of rounds/content_io), the transaction is
rolled back, and the export is kept as a StagedEdit. Candidates keep seeing the published guide.
Approval imports the kept document, with the importer's guarantees: atomic, rows matched on their
keys so candidates keep their ticks and notes, every row recorded in the guide's history, the
guide's cached pages refreshed by the content signals.

Who is staged: everyone but superusers, the same line as publishing without review (a superuser's
edits are live, as their "Publish without review" is). Drafts and guides in review are edited
directly, as before: nobody sees them yet.

One open staged edit per guide: while it waits, the guide's pages are read-only for recruiters,
so an approval never overwrites a second person's work. A staged edit made from a published
guide that has changed since (a restore, a question approved) is refused at approval rather than
silently undoing that change.
"""

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from questions.models import Question
from studyplan.models import StudyTask

from .content_io.errors import ContentFileInvalid
from .content_io.exporter import guide_export, with_explicit_slugs
from .content_io.importer import ImportResult, guide_import_bytes, progress_losses
from .content_io.loader import decode_content, load_located
from .content_io.schema import validate_guide
from .models import OPEN_STAGED_STATUSES, Guide, GuideStatus, StagedEdit, StagedEditStatus
from .publishing import save_review_step

T = TypeVar("T")


def stages_edits(*, guide: Guide | None, user: User) -> bool:
    """Whether `user`'s changes to `guide` are staged rather than live."""
    return (
        guide is not None
        and guide.pk is not None
        and guide.status == GuideStatus.PUBLISHED
        and not user.is_superuser
    )


def open_edit(guide_id: int) -> StagedEdit | None:
    """The guide's staged edit waiting for review, if any."""
    return (
        StagedEdit.objects.filter(guide_id=guide_id, status__in=OPEN_STAGED_STATUSES)
        .select_related("author", "requested_by")
        .first()
    )


def _who(user: User | None) -> str:
    return (user.display_name or user.email) if user is not None else "a deleted user"


def waiting_message(edit: StagedEdit) -> str:
    return (
        f"“{edit.guide}” has a staged change by {_who(edit.author)} "
        f"({edit.get_status_display().lower()}, {edit.created_at:%d %b %Y %H:%M}). "
        "It must be approved or discarded before the guide can be changed again."
    )


def staged_edit_capture(
    *,
    guide: Guide,
    user: User,
    change: Callable[[], T],
    succeeded: Callable[[T], bool],
    origin: str = "",
) -> tuple[T, StagedEdit | None]:
    """Run `change` (a save to the published `guide`), keep what it makes of the guide as a
    staged edit and roll it back. Returns what `change` returned and the new staged edit: None
    when `change` did not succeed (a form with errors) or changed nothing in the guide.

    Raises ValidationError when the guide already has an open staged edit, or when the result
    would not import (so it could never be approved)."""
    existing = open_edit(guide.pk)
    if existing is not None:
        raise ValidationError(waiting_message(existing), code="conflict")
    document = None
    with transaction.atomic():
        value = change()
        if succeeded(value):
            document = guide_export(guide=guide)
        # Nothing of the change reaches candidates: history rows, admin log and cache versions
        # written inside go with it (a cache version bumped meanwhile only costs a miss).
        transaction.set_rollback(True)
    if document is None:
        return value, None
    base = guide_export(guide=guide)
    if document == base:
        return value, None
    try:
        validate_guide(load_located(decode_content(document.encode())))
    except ContentFileInvalid as exc:
        raise ValidationError(
            "This change cannot be staged: " + "; ".join(exc.lines()[:5]), code="invalid"
        ) from None
    try:
        with transaction.atomic():
            edit = StagedEdit.objects.create(
                guide=guide, document=document, base_document=base, author=user, origin=origin
            )
    except IntegrityError:
        # Someone else staged a change to the same guide a moment earlier.
        raise ValidationError(waiting_message(open_edit(guide.pk)), code="conflict") from None
    return value, edit


def _locked_open(edit: StagedEdit) -> StagedEdit:
    locked = StagedEdit.objects.select_for_update().select_related("guide").get(pk=edit.pk)
    if not locked.is_open:
        raise ValidationError(
            f"This staged change was already {locked.get_status_display().lower()}.",
            code="conflict",
        )
    return locked


def staged_edit_request_review(*, edit: StagedEdit, user: User) -> StagedEdit:
    """Ask a second recruiter to review a staged edit."""
    with transaction.atomic():
        locked = _locked_open(edit)
        if locked.status != StagedEditStatus.STAGED:
            raise ValidationError("This staged change is already in review.", code="conflict")
        # Only its author sends it: a second recruiter who sent it could no longer approve it,
        # and with two recruiters nobody could.
        if user.pk != locked.author_id and not user.is_superuser:
            raise ValidationError(
                f"Only {_who(locked.author)}, who made this change, can send it for review.",
                code="not_author",
            )
        locked.status = StagedEditStatus.IN_REVIEW
        locked.requested_by, locked.requested_at = user, timezone.now()
        locked.save()
    return locked


def staged_edit_losses(*, edit: StagedEdit, guide: Guide) -> str:
    """What approving `edit` takes from candidates ("removes 1 study task that 1 candidate
    ticked"), or "" when nothing.

    The reviewer saw only the file's diff, and approval removes ticked tasks and practised
    questions without asking (the import preview had warned the author alone). Items are
    matched on their keys as the importer matches them (rounds/content_io/importer.py), in a
    fixed number of queries whatever the size of the guide.
    """
    spec = validate_guide(load_located(decode_content(edit.document.encode())))
    task_keys = {task.key for block in spec.study_plan for task in block.tasks if task.key}
    question_keys = {question.key for question, _ in spec.all_questions() if question.key}
    result = ImportResult(guide=guide)
    for kind, gone in (
        (
            "task",
            StudyTask.objects.filter(block__guide_id=edit.guide_id).exclude(key__in=task_keys),
        ),
        (
            "question",
            Question.objects.filter(guide_id=edit.guide_id).exclude(key__in=question_keys),
        ),
    ):
        losses, people = progress_losses(kind, gone)
        result.losses.extend(losses)
        result.loss_candidates[kind] += people
    return result.loss_sentence()


def staged_edit_approve(*, edit: StagedEdit, user: User) -> StagedEdit:
    """Approve a staged edit in review: the guide becomes what it says, reviewed today."""
    with transaction.atomic():
        locked = _locked_open(edit)
        if locked.status != StagedEditStatus.IN_REVIEW:
            raise ValidationError(
                "Send this staged change for review first: another recruiter approves it.",
                code="conflict",
            )
        if user.pk in (locked.author_id, locked.requested_by_id) and not user.is_superuser:
            raise ValidationError(
                "You made or sent this change: another recruiter must approve it.",
                code="self_approval",
            )
        guide = Guide.objects.select_for_update().get(pk=locked.guide_id)
        if guide_export(guide=guide) != locked.base_document:
            raise ValidationError(
                "The published guide has changed since this change was staged; applying it "
                "would undo those changes. Discard it and make the change again.",
                code="stale",
            )
        _apply(guide, locked, user)
        locked.status = StagedEditStatus.APPLIED
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
        # Re-read: the import changed the guide, and history records the whole row.
        guide.refresh_from_db()
        save_review_step(guide, user, last_reviewed=timezone.localdate(locked.decided_at))
    return locked


def _apply(guide: Guide, edit: StagedEdit, user: User) -> None:
    spec = validate_guide(load_located(decode_content(edit.document.encode())))
    if spec.slug != guide.slug:
        # The importer finds the guide by its slug: give it the new one first.
        guide.slug = spec.slug
        guide._history_user = user
        guide.save(update_fields=["slug", "updated_at"])
    reason = f"Staged change by {_who(edit.author)}, approved by {_who(user)}"
    guide_import_bytes(
        raw=edit.document.encode(),
        # The reviewer saw the removals in the diff; candidates' rows on items that stay are
        # kept by the importer.
        allow_removing_progress=True,
        user=user,
        keep_status=True,
        reason=reason[:100],
    )


def staged_edit_discard(*, edit: StagedEdit, user: User) -> StagedEdit:
    """Drop a staged edit; the published guide stays as it is."""
    with transaction.atomic():
        locked = _locked_open(edit)
        locked.status = StagedEditStatus.DISCARDED
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
    return locked


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "gap"
    text: str


def staged_edit_diff(*, edit: StagedEdit, live: str | None = None) -> list[DiffLine]:
    """The staged document against the published guide, line by line with 3 lines of context
    (the YAML file format, the same text Export YAML downloads)."""
    if live is None:
        live = guide_export(guide=edit.guide)
    before, after = with_explicit_slugs(live), with_explicit_slugs(edit.document)
    lines: list[DiffLine] = []
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), n=3, lineterm="")
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
    return lines
