"""A candidate's practice of questions: status, last-practised time and private notes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from questions.models import Question, QuestionKind
from rounds.models import Guide, Round
from studyplan.models import Enrolment, EnrolmentStatus, StudyBlock

from .models import NOTE_MAX_LENGTH, PracticeStatus, QuestionProgress

# Questions about what the candidate has done are answered with a story, told in STAR form
# (situation, task, action, result); the STAR text itself lives in stories/, nowhere else.
STAR_KINDS = {QuestionKind.BEHAVIOURAL, QuestionKind.LEADERSHIP, QuestionKind.PEOPLE}


def question_uses_star(question: Question) -> bool:
    """Whether this question is best answered with one of the candidate's stories."""
    return question.kind in STAR_KINDS


def question_practice_as_typed(
    *, user: User, question: Question, status: str | None, answer_draft: str | None
) -> QuestionProgress:
    """Save notes typed on the question's page, keeping the status unless the candidate changed
    it: typing, or rating the question, is not practising it again, so the last-practised time
    moves only with a new status."""
    current = (
        QuestionProgress.objects.filter(user=user, question=question)
        .values_list("status", flat=True)
        .first()
    )
    if status == (current or PracticeStatus.NEW):
        status = None
    return question_practice(user=user, question=question, status=status, answer_draft=answer_draft)


def question_practice(
    *,
    user: User,
    question: Question,
    status: str | None = None,
    answer_draft: str | None = None,
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
    notes = {"answer_draft": answer_draft}
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
    # Two saves of a question's first notes can cross (the autosave of a status choice and the
    # Save button a moment later): both find no row to lock and both insert. The unique
    # constraint stops the second, which waits until the first has committed; it then finds the
    # row and applies its own change on top, as it would have a moment later.
    for _attempt in range(2):
        try:
            return _save_progress(user, question, status, notes, now)
        except IntegrityError:
            continue
    raise ValidationError(
        "Your notes were saved from another tab; reload and retry.", code="conflict"
    )


def _save_progress(
    user: User,
    question: Question,
    status: str | None,
    notes: dict[str, str | None],
    now: datetime.datetime,
) -> QuestionProgress:
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
        progress.save()
    return progress


def question_progress_delete(*, user: User, progress: QuestionProgress) -> None:
    """Delete a candidate's notes on one question, e.g. once its question is gone."""
    if progress.user_id != user.pk:
        raise ValidationError("These notes are not yours.")
    progress.delete()


def _current_block(*, user: User, guide: Guide) -> StudyBlock | None:
    """The block of the candidate's current study week in `guide`, if they follow its plan."""
    enrolment = (
        Enrolment.objects.filter(user=user, guide=guide)
        .exclude(status=EnrolmentStatus.LEFT)
        .select_related("guide", "user")
        .first()
    )
    if enrolment is None:
        return None
    week = max(1, enrolment.week_on(enrolment.local_today()))
    return guide.study_blocks.filter(start_week__lte=week, end_week__gte=week).first()


def block_round(block: StudyBlock) -> Round | None:
    """The round a study block prepares for.

    Until recruiters link blocks to rounds (the study-plan issue), a block's position in the plan
    names it: the first block prepares for the first round, the second for the second, and so
    on; a block past the last round has none.
    """
    position = block.guide.study_blocks.filter(start_week__lt=block.start_week).count()
    return block.guide.rounds.order_by("order", "id")[position : position + 1].first()


def practice_next(
    *,
    user: User,
    guide: Guide,
    round: Round | None = None,
    block: StudyBlock | None = None,
    skipping: Question | None = None,
) -> Question | None:
    """The question the candidate should practise next in `guide`, or None when none is left.

    In this order:
    1. (Spaced review, to come: a question due for review comes first.)
    2. An unpractised question of the theme: `round` when given (a round page), else the round
       of `block` (a study week), else the round of the candidate's current study week in this
       guide (the dashboard); see `block_round` for how a week maps to a round.
    3. Any unpractised question of the guide.
    Unpractised means shown as new (QuestionProgressQuerySet.filter_questions). Within each
    step, questions come in the guide's order: by round, then region and guide-wide ones.
    `skipping` leaves out the question just practised, so a run never offers the same question
    twice in a row.
    """
    # Rounds in their order, then region and guide-wide questions: the same on every database
    # (SQLite sorts NULLs first, PostgreSQL last).
    questions = (
        Question.objects.published()
        .filter(guide=guide)
        .order_by(
            F("round__order").asc(nulls_last=True),
            F("region__order").asc(nulls_last=True),
            "order",
            "id",
        )
    )
    if skipping is not None:
        questions = questions.exclude(pk=skipping.pk)
    new = QuestionProgress.objects.of(user).filter_questions(questions, PracticeStatus.NEW)
    if round is None:
        block = block or _current_block(user=user, guide=guide)
        round = block_round(block) if block is not None else None
    steps = [new.filter(round=round)] if round is not None else []
    steps.append(new)
    for step in steps:
        found = step.select_related("guide").first()
        if found is not None:
            return found
    return None
