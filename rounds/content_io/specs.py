"""The plain description of a guide that a validated content file becomes."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

from questions.models import QuestionKind
from rounds.models import GuideStatus

KINDS = [kind.value for kind in QuestionKind]
STATUSES = [status.value for status in GuideStatus]


@dataclass
class QuestionSpec:
    text: str
    kind: str
    slug: str
    slug_given: bool
    order: int
    guidance: str = ""
    tags: list[str] = field(default_factory=list)
    published: bool = True
    last_reviewed: datetime.date | None = None
    region_slug: str | None = None
    # The question's stable name in the file; empty for a question the file adds.
    key: str = ""
    path: str = ""
    line: int | None = None


@dataclass
class CriterionSpec:
    order: int
    title: str
    description: str


@dataclass
class RoundSpec:
    order: int
    slug: str
    slug_given: bool
    title: str
    summary: str
    description: str
    what_interviewers_look_for: str
    evaluation_criteria: str
    preparation_tips: str
    rejection_reasons: str
    questions: list[QuestionSpec]


@dataclass
class RegionSpec:
    slug: str
    name: str
    order: int
    interview_focus: str
    tips: str
    questions: list[QuestionSpec]


@dataclass
class TaskSpec:
    text: str
    # The task's stable name in the file; empty for a task the file adds.
    key: str = ""


@dataclass
class BlockSpec:
    start_week: int
    end_week: int
    title: str
    headline: str
    description: str
    tasks: list[TaskSpec]
    # What the block prepares for: round slugs of this guide, question kinds, tag names.
    rounds: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class GuideSpec:
    fields: dict[str, Any]
    criteria: list[CriterionSpec]
    rounds: list[RoundSpec]
    regions: list[RegionSpec]
    questions: list[QuestionSpec]
    study_plan: list[BlockSpec]

    @property
    def slug(self) -> str:
        return self.fields["slug"]

    def all_questions(self) -> list[tuple[QuestionSpec, str | None]]:
        """Every question with the slug of its round (None outside rounds)."""
        found: list[tuple[QuestionSpec, str | None]] = [(q, None) for q in self.questions]
        for region in self.regions:
            found += [(q, None) for q in region.questions]
        for rnd in self.rounds:
            found += [(q, rnd.slug) for q in rnd.questions]
        return found


def question_slug(text: str) -> str:
    """The slug a question gets when the file does not give one (as Question.save derives it)."""
    return slugify(text)[:120].rstrip("-")


def round_slug(title: str) -> str:
    return slugify(title)[:120]
