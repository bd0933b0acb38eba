"""One guide's question bank as a small in-memory index: each question's round, region, kind and
tags, and the rounds, regions and tags a filter can offer.

The bank shows, beside every filter option, how many questions it would show with the other
filters applied. Asked of the database, that is one conditional count per option: a query the ORM
took 40–50 ms to compile for a guide with a few dozen tags, on every request of a signed-in
candidate (whose pages are never served from the page cache). A guide has a few hundred
questions, so counting them in Python from this index takes well under a millisecond, and the
index itself is built once per version of the guide and shared by every process through the
cache (`prep.caching.cached_for_guide`).
"""

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef

from prep.caching import cached_for_guide
from rounds.models import Guide, Region, RegionalVariant, Round

from .models import Question, QuestionQuerySet, Tag

# (slug, label, row id) of each option, in the order the filter offers them.
Option = tuple[str, str, int]


@dataclass(frozen=True)
class IndexedQuestion:
    pk: int
    round_id: int | None
    region_id: int | None
    kind: str
    tag_ids: frozenset[int]

    def value_id(self, facet: str) -> object:
        """This question's value for one facet: a row id, or the kind's value."""
        if facet == "round":
            return self.round_id
        if facet == "region":
            return self.region_id
        return self.kind

    def matches(self, facet: str, wanted: object) -> bool:
        if facet == "tag":
            return wanted in self.tag_ids
        return self.value_id(facet) == wanted


@dataclass(frozen=True)
class FacetIndex:
    options: dict[str, list[Option]]
    questions: tuple[IndexedQuestion, ...]

    @cached_property
    def _ids(self) -> dict[str, dict[str, int]]:
        return {name: {slug: pk for slug, _, pk in rows} for name, rows in self.options.items()}

    def wanted(self, facet: str, value: str) -> object:
        """What a question must have to match one option: the kind itself, else the option's
        row id (None for a slug this guide does not have, which matches nothing)."""
        return value if facet == "kind" else self._ids[facet].get(value)

    def matching(self, others: dict[str, object], among: set[int] | None) -> list[int]:
        """Ids of the questions matching every filter in `others` (and in `among`, unless None)."""
        return [
            question.pk
            for question in self.questions
            if (among is None or question.pk in among)
            and all(question.matches(name, value) for name, value in others.items())
        ]

    def counts(
        self, facet: str, others: dict[str, object], among: set[int] | None
    ) -> tuple[int, Counter]:
        """How many questions match every filter in `others` (restricted to the ids in `among`,
        the text and status filters' matches, unless None), and how many of those each value
        of `facet` has: one pass over the guide's questions."""
        total, per_value = 0, Counter()
        for question in self.questions:
            if among is not None and question.pk not in among:
                continue
            if not all(question.matches(name, value) for name, value in others.items()):
                continue
            total += 1
            if facet == "tag":
                per_value.update(question.tag_ids)
            else:
                per_value[question.value_id(facet)] += 1
        return total, per_value


def facet_index(guide: Guide, questions: QuestionQuerySet, *, audience: str) -> FacetIndex:
    """The index of `questions` (one guide's questions a visitor may see), kept per version of
    that guide. `audience` names who may see that set ("public", "staff"): staff see drafts, so
    their index is another entry."""
    return cached_for_guide(
        guide.slug, f"question-facets:{audience}", lambda: build_facet_index(guide, questions)
    )


def build_facet_index(guide: Guide, questions: QuestionQuerySet) -> FacetIndex:
    shown = questions.filter(guide=guide).order_by()
    rows = list(shown.values_list("pk", "round_id", "region_id", "kind"))
    tags_of: dict[int, set[int]] = {}
    through = Question.tags.through.objects.filter(question__in=shown.values("pk"))
    for question_id, tag_id in through.values_list("question_id", "tag_id"):
        tags_of.setdefault(question_id, set()).add(tag_id)
    return FacetIndex(
        options=_options(guide, shown, tag_ids=set().union(*tags_of.values())),
        questions=tuple(
            IndexedQuestion(pk, round_id, region_id, kind, frozenset(tags_of.get(pk, ())))
            for pk, round_id, region_id, kind in rows
        ),
    )


def _options(guide: Guide, shown: QuestionQuerySet, *, tag_ids: set[int]) -> dict[str, list]:
    """The guide's rounds; the regions it has a variant for or a question of; its questions'
    tags. Each read through an index on the guide."""
    regions = Region.objects.filter(
        Exists(RegionalVariant.objects.filter(guide=guide, region=OuterRef("pk")))
        | Exists(shown.filter(region=OuterRef("pk")).values("pk"))
    )
    return {
        "round": list(
            Round.objects.filter(guide=guide).order_by("order").values_list("slug", "title", "pk")
        ),
        "region": list(regions.values_list("slug", "name", "pk")),
        "tag": list(Tag.objects.filter(pk__in=tag_ids).values_list("slug", "name", "pk")),
    }
