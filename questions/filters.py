"""The question bank's filters, shared by the bank page and the API."""

import django_filters
from django.db.models import Q

from rounds.models import Guide, Region, Round

from .models import Question, QuestionKind, QuestionQuerySet, Tag

# Every searched word adds a join; nobody needs more than this many to find a question.
SEARCH_MAX_WORDS = 10


def search_words(text: str) -> str:
    """`text` cut to SEARCH_MAX_WORDS words, without characters a database would refuse."""
    return " ".join(text.replace("\x00", "").split()[:SEARCH_MAX_WORDS])


class QuestionFilter(django_filters.FilterSet):
    """Filter questions by round, region, kind, tag and free text.

    Round, region and tag are matched by slug. Pass `guide` to offer only that guide's rounds,
    regions and tags; without it, the choices come from the guides of `queryset`.
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
    tag = django_filters.ChoiceFilter(
        field_name="tags__slug", label="Tag", empty_label="All tags", distinct=True
    )

    class Meta:
        model = Question
        fields = ["q", "round", "region", "kind", "tag"]

    def __init__(self, data=None, queryset=None, *, guide: Guide | None = None, **kwargs) -> None:
        super().__init__(data, queryset, **kwargs)
        questions = self.queryset
        guides = Guide.objects.filter(pk=guide.pk) if guide else questions.values("guide")
        # Evaluated here, once, so a page costs the same few queries however it renders.
        self.filters["round"].extra["choices"] = _distinct_choices(
            Round.objects.filter(guide__in=guides).order_by("guide", "order"), "title"
        )
        self.filters["region"].extra["choices"] = _distinct_choices(
            Region.objects.filter(
                Q(variants__guide__in=guides) | Q(questions__in=questions)
            ).distinct(),
            "name",
        )
        self.filters["tag"].extra["choices"] = _distinct_choices(
            Tag.objects.filter(questions__in=questions).distinct(), "name"
        )

    def filter_text(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        return queryset.search(search_words(value))


def _distinct_choices(queryset, label_field: str) -> list[tuple[str, str]]:
    """(slug, label) pairs in queryset order, each slug once."""
    seen: dict[str, str] = {}
    for slug, label in queryset.values_list("slug", label_field):
        seen.setdefault(slug, label)
    return list(seen.items())
