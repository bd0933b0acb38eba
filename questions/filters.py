"""The question bank's filters, shared by the bank page and the API."""

import django_filters
from django.db.models import Exists, OuterRef

from practice.models import PracticeStatus, QuestionProgress
from prep.caching import cached_for_content
from rounds.models import Guide, Region, RegionalVariant, Round

from .models import Question, QuestionKind, QuestionQuerySet, Tag

# Every searched word adds a join; nobody needs more than this many to find a question.
SEARCH_MAX_WORDS = 10


def search_words(text: str) -> str:
    """`text` cut to SEARCH_MAX_WORDS words, without characters a database would refuse."""
    return " ".join(text.replace("\x00", "").split()[:SEARCH_MAX_WORDS])


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
        if guide is not None:
            # Evaluated here, once, so a page costs the same few queries however it renders.
            choices = _guide_choices(guide, self.queryset)
        else:
            # Every published guide's choices: the same for every caller until content changes.
            choices = cached_for_content("question-filter-choices", _catalogue_choices)
        for name, options in choices.items():
            self.filters[name].extra["choices"] = options

    def filter_text(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        return queryset.search(search_words(value))

    def filter_tag(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        return queryset.with_tag(value)

    def filter_status(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        return QuestionProgress.objects.of(self.user).filter_questions(queryset, value)


def _guide_choices(guide: Guide, questions: QuestionQuerySet) -> dict[str, list[tuple[str, str]]]:
    """One guide's rounds, regions and tags, each read through an index on the guide."""
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
        "round": _distinct_choices(Round.objects.filter(guide=guide).order_by("order"), "title"),
        "region": _distinct_choices(regions, "name"),
        "tag": _distinct_choices(tags, "name"),
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
