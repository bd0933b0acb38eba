"""Writing a candidate's stories, linking them to questions, and the coverage grid."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from questions.models import Question
from rounds.models import EvaluationCriterion, Guide

from .models import (
    STORY_TAGS_MAX_LENGTH,
    STORY_TEXT_MAX_LENGTH,
    STORY_TITLE_MAX_LENGTH,
    Story,
    split_tags,
)

TEXT_FIELDS = ("situation", "task", "action", "result", "reflection")

# A story linked to this many questions of one guide is flagged: interviewers across rounds
# compare notes, and the same story told three times reads as the only one the candidate has.
OVER_RELIANCE_QUESTIONS = 3


def _validate(*, title: str, tags: str, texts: dict[str, str]) -> dict[str, str]:
    errors = {}
    if not title.strip():
        errors["title"] = "Give the story a short title."
    elif len(title) > STORY_TITLE_MAX_LENGTH:
        errors["title"] = f"Keep the title under {STORY_TITLE_MAX_LENGTH} characters."
    if len(tags) > STORY_TAGS_MAX_LENGTH:
        errors["tags"] = f"Keep the tags under {STORY_TAGS_MAX_LENGTH} characters."
    for name, value in texts.items():
        if len(value) > STORY_TEXT_MAX_LENGTH:
            errors[name] = (
                f"Keep this under {STORY_TEXT_MAX_LENGTH:,} characters "
                f"(it has {len(value):,}); nothing was saved."
            )
    return errors


def _check_links(
    user: User, questions: Iterable[Question] | None, criteria: Iterable[EvaluationCriterion] | None
) -> None:
    """Links only to what the candidate may see: published questions and published guides."""
    if questions is not None:
        ids = {q.pk for q in questions}
        if ids and Question.objects.published().filter(pk__in=ids).count() != len(ids):
            raise ValidationError({"questions": "Link only to published questions."})
    if criteria is not None:
        ids = {c.pk for c in criteria}
        visible = EvaluationCriterion.objects.filter(
            pk__in=ids, guide__in=Guide.objects.published()
        )
        if ids and visible.count() != len(ids):
            raise ValidationError({"criteria": "Choose criteria of a published guide."})


def story_save(
    *,
    user: User,
    story: Story | None = None,
    title: str,
    tags: str = "",
    questions: Iterable[Question] | None = None,
    criteria: Iterable[EvaluationCriterion] | None = None,
    **texts: str,
) -> Story:
    """Create a story (story=None) or update one of the candidate's; links left None are kept."""
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown story fields: {', '.join(sorted(unknown))}")
    if story is not None and story.user_id != user.pk:
        raise ValidationError("This story is not yours.")
    errors = _validate(title=title, tags=tags, texts=texts)
    if errors:
        raise ValidationError(errors)
    questions = list(questions) if questions is not None else None
    criteria = list(criteria) if criteria is not None else None
    _check_links(user, questions, criteria)
    story = story or Story(user=user)
    story.title = title.strip()
    story.tags = ", ".join(split_tags(tags))
    for name, value in texts.items():
        setattr(story, name, value)
    with transaction.atomic():
        story.save()
        if questions is not None:
            story.questions.set(questions)
        if criteria is not None:
            story.criteria.set(criteria)
    return story


def story_delete(*, user: User, story: Story) -> None:
    if story.user_id != user.pk:
        raise ValidationError("This story is not yours.")
    story.delete()


def story_link_question(*, user: User, story: Story, question: Question) -> None:
    """Use one of the candidate's stories for a question (practice form, mock)."""
    if story.user_id != user.pk:
        raise ValidationError("This story is not yours.")
    _check_links(user, [question], None)
    story.questions.add(question)


def story_unlink_question(*, user: User, story: Story, question: Question) -> None:
    if story.user_id != user.pk:
        raise ValidationError("This story is not yours.")
    story.questions.remove(question)


@dataclass
class CoverageRow:
    """One row of the grid: a criterion or a round, and how many links each story has to it."""

    kind: str  # "criterion" or "round"
    label: str
    cells: list[int]
    gap: str = ""
    # For a gap, the one step that fills it: a new story showing the criterion, or the round's
    # questions, each of which has "Write a story for this question".
    fill_url: str = ""
    fill_label: str = ""

    @property
    def covered(self) -> bool:
        return any(self.cells)


@dataclass
class CoverageColumn:
    story: Story
    question_count: int = 0

    @property
    def over_relied(self) -> bool:
        return self.question_count >= OVER_RELIANCE_QUESTIONS


@dataclass
class Coverage:
    guide: Guide
    columns: list[CoverageColumn]
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def gaps(self) -> list[CoverageRow]:
        return [row for row in self.rows if row.gap]

    @property
    def over_relied(self) -> list[CoverageColumn]:
        return [column for column in self.columns if column.over_relied]


def coverage_for(*, user: User, guide: Guide, stories: list[Story]) -> Coverage:
    """How the candidate's stories cover `guide`'s criteria and rounds: three queries.

    A round is covered by a story linked to one of its published questions; a criterion by a
    story the candidate marked as showing it. `stories` are the candidate's, loaded once for
    every guide on the page.
    """
    criteria = list(guide.criteria.order_by("order", "pk"))
    rounds = list(guide.rounds.order_by("order", "pk"))
    story_ids = [s.pk for s in stories]
    links = Story.questions.through.objects.filter(
        story_id__in=story_ids,
        question__in=Question.objects.published().filter(guide=guide),
    ).values_list("story_id", "question__round_id")
    by_round: dict[tuple[int, int | None], int] = {}
    per_story: dict[int, int] = {}
    for story_id, round_id in links:
        by_round[story_id, round_id] = by_round.get((story_id, round_id), 0) + 1
        per_story[story_id] = per_story.get(story_id, 0) + 1
    shows = set(
        Story.criteria.through.objects.filter(
            story_id__in=story_ids, evaluationcriterion__guide=guide
        ).values_list("story_id", "evaluationcriterion_id")
    )
    coverage = Coverage(
        guide=guide,
        columns=[CoverageColumn(story, per_story.get(story.pk, 0)) for story in stories],
    )
    for criterion in criteria:
        row = CoverageRow(
            "criterion",
            criterion.title,
            [1 if (s.pk, criterion.pk) in shows else 0 for s in stories],
        )
        if not row.covered:
            row.gap = f"No story yet shows “{criterion.title}”."
            row.fill_url = f"{reverse('stories:new')}?{urlencode({'criterion': criterion.pk})}"
            row.fill_label = "Write a story that shows it"
        coverage.rows.append(row)
    for rnd in rounds:
        row = CoverageRow(
            "round",
            f"Round {rnd.order}: {rnd.title}",
            [by_round.get((s.pk, rnd.pk), 0) for s in stories],
        )
        if not row.covered:
            row.gap = f"No story yet for a question of round {rnd.order} ({rnd.title})."
            row.fill_url = f"{rnd.get_absolute_url()}#questions-title"
            row.fill_label = "Pick one of its questions"
        coverage.rows.append(row)
    return coverage
