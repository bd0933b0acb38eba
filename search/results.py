"""What a search answers, the same shape from either engine."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from questions.models import Question
from rounds.models import Guide, Round

from .terms import Term


@dataclass
class GuideHit:
    guide: Guide
    title_html: SafeString
    excerpt_html: SafeString


@dataclass
class RoundHit:
    round: Round
    title_html: SafeString
    excerpt_html: SafeString


@dataclass
class QuestionHit:
    question: Question
    text_html: SafeString


@dataclass
class SearchResults:
    """Guides, rounds and the ranked ids of questions matching every term of a query.

    Questions come as ids, best first, so a page can show one page of them (question_hits);
    `kind_counts` counts every matching question by kind, before the `kind` filter.
    """

    query: str
    terms: list[Term]
    guides: list[GuideHit] = field(default_factory=list)
    rounds: list[RoundHit] = field(default_factory=list)
    question_ids: list[int] = field(default_factory=list)
    # More questions matched than the engine ranks (search.services.MAX_QUESTIONS).
    more_questions: bool = False
    kind_counts: dict[str, int] = field(default_factory=dict)
