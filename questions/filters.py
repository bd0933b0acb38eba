"""The question bank's filters, shared by the bank page and the API."""

from collections import Counter
from dataclasses import dataclass

import django_filters
from django.db.models import Exists, OuterRef

from practice.models import PracticeStatus, QuestionProgress
from prep.caching import cached_for_content
from rounds.models import Guide, Region, RegionalVariant, Round
from search.services import filter_questions, read_query

from .facet_index import FacetIndex, facet_index
from .models import Question, QuestionKind, QuestionQuerySet, Tag

# The filters offered as lists of options, each with how many questions it would show.
FACETS = ("round", "region", "kind", "tag")
NEW = PracticeStatus.NEW


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool

    @property
    def disabled(self) -> bool:
        """An option that would show nothing cannot be chosen (unless it already is)."""
        return not self.count and not self.checked


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    empty_label: str
    # Questions shown with this facet left at its empty option.
    total: int
    options: list[FacetOption]
    chosen: str = ""


class QuestionFilter(django_filters.FilterSet):
    """Filter questions by round, region, kind, tag and free text, and by the candidate's status.

    Round, region and tag are matched by slug. Pass `guide` to offer only that guide's rounds,
    regions and tags; without it, the choices are every published guide's. Pass the signed-in
    `user` to offer "My status"; for anonymous visitors the field does not exist, so a `status`
    in their address is ignored (and the page cache drops it, see Meta.fields).
    """

    q = django_filters.CharFilter(method="filter_text", label="Search")
    round = django_filters.ChoiceFilter(
        field_name="round__slug", label="Round", empty_label="All rounds"
    )
    region = django_filters.ChoiceFilter(
        field_name="region__slug", label="Region", empty_label="All regions"
    )
    kind = django_filters.ChoiceFilter(
        choices=QuestionKind.choices, label="Kind", empty_label="All kinds"
    )
    tag = django_filters.ChoiceFilter(method="filter_tag", label="Tag", empty_label="All tags")
    status = django_filters.ChoiceFilter(
        choices=PracticeStatus.choices,
        method="filter_status",
        label="My status",
        empty_label="Any status",
    )

    class Meta:
        model = Question
        # What anonymous pages vary by (the page cache's `reads`); status is only for the
        # signed-in, whose pages are never cached.
        fields = ["q", "round", "region", "kind", "tag"]

    def __init__(
        self, data=None, queryset=None, *, guide: Guide | None = None, user=None, **kwargs
    ) -> None:
        super().__init__(data, queryset, **kwargs)
        self.user = user
        self.guide = guide
        if user is None or not user.is_authenticated:
            del self.filters["status"]
        # The guide's questions and options, counted in memory (guide pages only).
        self.index: FacetIndex | None = None
        self.matching_count: int | None = None
        if guide is not None:
            audience = "staff" if getattr(user, "is_staff", False) else "public"
            self.index = facet_index(guide, self.queryset, audience=audience)
            choices = {
                name: [(slug, label) for slug, label, _ in rows]
                for name, rows in self.index.options.items()
            }
        else:
            # Every published guide's choices: the same for every caller until content changes.
            choices = cached_for_content("question-filter-choices", _catalogue_choices)
        for name, options in choices.items():
            self.filters[name].extra["choices"] = options

    def filter_text(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        # Read once: the results and the options' counts search the same words.
        if getattr(self, "_search_terms", None) is None:
            self._search_terms = read_query(value)
        return filter_questions(queryset, self._search_terms)

    def filter_tag(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        return queryset.with_tag(value)

    def filter_status(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        return QuestionProgress.objects.of(self.user).filter_questions(queryset, value)

    def facets(self) -> list[Facet]:
        """Each facet's options with how many questions each would show, the other filters
        applied. Counted in memory over the guide's index; the text filter, when given, costs
        one query for the ids it matches, and a signed-in candidate's statuses one more (the
        "My status" options are counted too). Guide pages only (it needs the index)."""
        # The valid filters only, exactly as `qs` applies them: an unknown value in one is
        # reported and ignored, the others still count.
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        by_text = None
        if data.get("q"):
            base = self.filter_text(self.queryset.order_by(), "q", data["q"])
            by_text = set(base.values_list("pk", flat=True))
        statuses = self._statuses() if "status" in self.filters else None
        among = by_text
        if statuses is not None and data.get("status"):
            candidates = by_text if by_text is not None else {q.pk for q in self.index.questions}
            among = {pk for pk in candidates if statuses.get(pk, NEW) == data["status"]}
        wanted = self.index.wanted
        chosen = {name: data.get(name) for name in FACETS if data.get(name)}
        active = {name: wanted(name, value) for name, value in chosen.items()}
        # Questions matching every filter: the result list's length, so it needs no COUNT.
        self.matching_count = self.index.counts("kind", active, among)[0]
        facets = []
        for name in FACETS:
            others = {other: value for other, value in active.items() if other != name}
            total, per_value = self.index.counts(name, others, among)
            facets.append(
                Facet(
                    name=name,
                    label=self.filters[name].label,
                    empty_label=self.filters[name].extra["empty_label"],
                    total=total,
                    options=[
                        FacetOption(
                            value,
                            label,
                            per_value.get(wanted(name, value), 0),
                            chosen.get(name) == value,
                        )
                        for value, label in self.filters[name].extra["choices"]
                    ],
                    chosen=chosen.get(name, ""),
                )
            )
        if statuses is not None:
            facets.append(self._status_facet(statuses, active, by_text, data.get("status") or ""))
        return facets

    def _statuses(self) -> dict[int, str]:
        """The candidate's status of each question of the guide they have a row for."""
        rows = (
            QuestionProgress.objects.of(self.user)
            .with_shown_status()
            .filter(question__guide_id=self.guide.pk)
            .values_list("question_id", "shown_status")
        )
        return dict(rows)

    def _status_facet(
        self, statuses: dict[int, str], active: dict, by_text: set[int] | None, chosen: str
    ) -> Facet:
        """ "My status" with how many questions each status would show, the other filters on."""
        shown = self.index.matching(active, by_text)
        per_status = Counter(statuses.get(pk, NEW) for pk in shown)
        field = self.filters["status"]
        return Facet(
            name="status",
            label=field.label,
            empty_label=field.extra["empty_label"],
            total=len(shown),
            options=[
                FacetOption(value, label, per_status.get(value, 0), chosen == value)
                for value, label in field.extra["choices"]
            ],
            chosen=chosen,
        )


def _catalogue_choices() -> dict[str, list[tuple[str, str]]]:
    """The rounds, regions and tags of every published guide's published questions."""
    guides = Guide.objects.published()
    published = Question.objects.published()
    # Asked per region in the select list rather than as an OR of EXISTS in WHERE, which
    # PostgreSQL can only answer by hashing every question.
    regions = Region.objects.annotate(
        has_variant=Exists(RegionalVariant.objects.filter(guide__in=guides, region=OuterRef("pk"))),
        has_question=Exists(published.filter(region=OuterRef("pk"))),
    ).values_list("slug", "name", "has_variant", "has_question")
    tags = Tag.objects.filter(
        Exists(
            Question.tags.through.objects.filter(
                tag=OuterRef("pk"), question__in=published.values("pk")
            )
        )
    )
    return {
        "round": _distinct_choices(
            Round.objects.filter(guide__in=guides).order_by("guide", "order"), "title"
        ),
        "region": [(slug, name) for slug, name, *used in regions if any(used)],
        "tag": _distinct_choices(tags, "name"),
    }


def _distinct_choices(queryset, label_field: str) -> list[tuple[str, str]]:
    """(slug, label) pairs in queryset order, each slug once."""
    seen: dict[str, str] = {}
    for slug, label in queryset.values_list("slug", label_field):
        seen.setdefault(slug, label)
    return list(seen.items())
