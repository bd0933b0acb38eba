"""The question bank's filters, shared by the bank page and the API."""

from dataclasses import dataclass

import django_filters
from django.db.models import Count, Exists, OuterRef, Q

from practice.models import PracticeStatus, QuestionProgress
from prep.caching import cached_for_content
from rounds.models import Guide, Region, RegionalVariant, Round
from search.services import filter_questions, read_query

from .models import Question, QuestionKind, QuestionQuerySet, Tag

# The filters offered as lists of options, each with how many questions it would show.
FACETS = ("round", "region", "kind", "tag")


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
        if user is None or not user.is_authenticated:
            del self.filters["status"]
        # Each option's row id, for counting without joins (guide pages only).
        self.option_ids: dict[str, dict[str, int]] = {}
        if guide is not None:
            # Evaluated here, once, so a page costs the same few queries however it renders.
            options = _guide_options(guide, self.queryset)
            choices = {
                name: [(slug, label) for slug, label, _ in rows] for name, rows in options.items()
            }
            self.option_ids = {
                name: {slug: pk for slug, _, pk in rows} for name, rows in options.items()
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

    def _option_condition(self, name: str, value: str) -> Q:
        """The questions one option of a facet shows, by row id: no join."""
        if name == "kind":
            return Q(kind=value)
        pk = self.option_ids[name].get(value)
        if name == "tag":
            through = Question.tags.through.objects.filter(question=OuterRef("pk"), tag_id=pk)
            return Q(Exists(through))
        return Q(**{f"{name}_id": pk})

    def facets(self) -> list[Facet]:
        """Each facet's options with how many questions each would show, the other filters
        applied: one query of conditional counts (COUNT(*) FILTER (WHERE …)), however many
        options there are. Guide pages only (it needs `option_ids`)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        base = self.queryset.order_by()
        if data.get("q"):
            base = self.filter_text(base, "q", data["q"])
        if data.get("status") and "status" in self.filters:
            base = self.filter_status(base, "status", data["status"])
        chosen = {name: data.get(name) for name in FACETS if data.get(name)}
        active = {name: self._option_condition(name, value) for name, value in chosen.items()}
        counts = {}
        for name in FACETS:
            others = Q(*(condition for other, condition in active.items() if other != name))
            counts[f"{name}__all"] = Count("pk", filter=others) if others else Count("pk")
            for index, (value, _label) in enumerate(self.filters[name].extra["choices"]):
                option = others & self._option_condition(name, value)
                counts[f"{name}__{index}"] = Count("pk", filter=option)
        row = base.aggregate(**counts)
        return [
            Facet(
                name=name,
                label=self.filters[name].label,
                empty_label=self.filters[name].extra["empty_label"],
                total=row[f"{name}__all"],
                options=[
                    FacetOption(value, label, row[f"{name}__{index}"], chosen.get(name) == value)
                    for index, (value, label) in enumerate(self.filters[name].extra["choices"])
                ],
                chosen=chosen.get(name, ""),
            )
            for name in FACETS
        ]


def _guide_options(guide: Guide, questions: QuestionQuerySet) -> dict[str, list[tuple]]:
    """One guide's rounds, regions and tags as (slug, label, id), each read through an index
    on the guide."""
    shown = questions.filter(guide=guide)
    regions = Region.objects.filter(
        Exists(RegionalVariant.objects.filter(guide=guide, region=OuterRef("pk")))
        | Exists(shown.filter(region=OuterRef("pk")).values("pk"))
    )
    tags = Tag.objects.filter(
        pk__in=Question.tags.through.objects.filter(question__in=shown.values("pk")).values(
            "tag_id"
        )
    )
    return {
        "round": list(
            Round.objects.filter(guide=guide).order_by("order").values_list("slug", "title", "pk")
        ),
        "region": list(regions.values_list("slug", "name", "pk")),
        "tag": list(tags.values_list("slug", "name", "pk")),
    }


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
