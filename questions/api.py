"""The question bank over the API: public questions and tags."""

import re

import django_filters
from django.db.models import F, QuerySet
from django.utils.cache import patch_cache_control
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request

from practice.models import PracticeStatus, QuestionProgress
from prep.api_http import PublicContentMixin
from rounds.api import WebUrlField, WebUrlMixin
from search.services import filter_questions, read_query
from search.terms import MAX_WORDS

from .models import Question, QuestionKind, QuestionQuerySet, Tag

# What Django's SlugField accepts, and so every slug in the database.
SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,255}")


class SlugFilter(django_filters.CharFilter):
    """Matches by slug. A value no slug can have matches nothing, exactly like an unknown slug:
    to a client both are "no such thing here", an empty list, and the database never sees it."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        if not SLUG_PATTERN.fullmatch(value):
            return qs.none()
        return super().filter(qs, value)


class QuestionApiFilter(django_filters.FilterSet):
    """The question bank page's filters, matched by slug.

    Unlike the page, which offers the existing rounds, regions and tags in drop-downs, the API
    answers an unknown slug with an empty list, as it always has for `guide`: a question bank with
    no questions for that tag yet is not an error. `kind` is a fixed list (an enum in the schema),
    so a value outside it is a 400.
    """

    guide = SlugFilter(
        field_name="guide__slug",
        help_text="Guide slug, e.g. okx-head-of-engineering; an unknown slug gives an empty list.",
    )
    round = SlugFilter(
        field_name="round__slug",
        help_text="Round slug, e.g. round-2 (with `guide`, that guide's round); an unknown slug "
        "gives an empty list.",
    )
    region = SlugFilter(
        field_name="region__slug",
        help_text="Region slug: questions typical of that region; an unknown slug gives an empty "
        "list.",
    )
    kind = django_filters.ChoiceFilter(
        # "" is listed because HTML forms send `kind=` for "all kinds", and it is accepted.
        choices=[("", "All kinds"), *QuestionKind.choices],
        empty_label=None,
        help_text="Kind of question; empty for all kinds. Another value is a 400.",
    )
    tag = django_filters.CharFilter(
        method="filter_tag",
        help_text="Tag slug (see /tags/); an unknown slug gives an empty list.",
    )
    q = django_filters.CharFilter(
        method="filter_text",
        help_text="Words that must all be found in the text, guidance, kind or a tag: by their "
        "English stem on PostgreSQL (or a close spelling), by substring on SQLite (the first "
        f"{MAX_WORDS} count).",
    )
    status = django_filters.ChoiceFilter(
        choices=PracticeStatus.choices,
        method="filter_status",
        help_text="Only questions with this status in your own practice (a question you never "
        "practised is new). Needs authentication: without it, a 400. Answers filtered by status "
        "are yours alone (Cache-Control: private, no-store).",
    )

    class Meta:
        model = Question
        fields = ["guide", "round", "region", "kind", "tag", "q", "status"]

    def filter_text(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        return filter_questions(queryset, read_query(value))

    def filter_tag(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        # By id through the tag table, not a join that needs DISTINCT over every question.
        if not SLUG_PATTERN.fullmatch(value):
            return queryset.none()
        return queryset.with_tag(value)

    def filter_status(self, queryset: QuestionQuerySet, name: str, value: str) -> QuestionQuerySet:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            # Silently listing every question would look like "all of these are new".
            raise serializers.ValidationError(
                {"status": ["Filtering by your status needs authentication (an API token)."]}
            )
        return QuestionProgress.objects.of(user).filter_questions(queryset, value)


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "name"]


class QuestionSerializer(WebUrlMixin, serializers.ModelSerializer):
    guide = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    round = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Null for guide-wide questions.",
    )
    region = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Set when typical of one region.",
    )
    kind_display = serializers.CharField(source="get_kind_display")
    tags = TagSerializer(many=True)
    web_url = WebUrlField()

    class Meta:
        model = Question
        fields = [
            "id",
            "slug",
            "guide",
            "round",
            "region",
            "kind",
            "kind_display",
            "text",
            "guidance",
            "tags",
            "last_reviewed",
            "updated_at",
            "web_url",
        ]


def _public_questions() -> QuerySet[Question]:
    return (
        Question.objects.published()
        .select_related("guide", "round", "region")
        .prefetch_related("tags")
    )


@extend_schema_view(
    get=extend_schema(
        description=(
            "Published questions of published guides, filtered by guide, round, region, kind "
            "and tag (slugs), and searched with `q` (every word must appear in the text, "
            "guidance or a tag). Ordered by guide, round, region and position. With "
            "authentication, `status` lists only the questions you have practised, marked "
            "confident or not yet practised (new)."
        )
    )
)
class QuestionList(PublicContentMixin, generics.ListAPIView):
    serializer_class = QuestionSerializer
    filterset_class = QuestionApiFilter

    def _is_own_list(self, request: Request) -> bool:
        return "status" in request.query_params

    def get(self, request: Request, *args, **kwargs):
        if self._is_own_list(request):
            # A list filtered by the caller's own practice is theirs alone: it never comes from,
            # or goes into, the answers shared by every caller.
            return generics.ListAPIView.get(self, request, *args, **kwargs)
        return super().get(request, *args, **kwargs)

    def finalize_response(self, request: Request, response, *args, **kwargs):
        if self._is_own_list(request):
            response = generics.ListAPIView.finalize_response(
                self, request, response, *args, **kwargs
            )
            patch_cache_control(response, private=True, no_store=True)
            return response
        return super().finalize_response(request, response, *args, **kwargs)

    def paginate_queryset(self, queryset: QuerySet[Question]) -> list[Question] | None:
        """The page's questions, chosen by id first and then loaded.

        Ordering a tag's 1,500 questions across all guides by guide, round and region reads
        every one of them; reading only their ids and sort keys lets PostgreSQL answer from
        indexes (questions 0009), and only the page's 20 rows are then loaded whole.
        """
        ids = super().paginate_queryset(
            queryset.prefetch_related(None).values_list("pk", flat=True)
        )
        if ids is None:
            return None
        loaded = queryset.filter(pk__in=ids).order_by().in_bulk()
        return [loaded[pk] for pk in ids]

    def get_queryset(self) -> QuerySet[Question]:
        return _public_questions().order_by(
            "guide__company",
            "guide__role",
            "guide_id",
            # PostgreSQL sorts NULL last anyway; said so that SQLite lists the same order.
            F("round__order").asc(nulls_last=True),
            F("region__order").asc(nulls_last=True),
            "order",
            "id",
        )


class QuestionDetail(PublicContentMixin, generics.RetrieveAPIView):
    """One published question."""

    serializer_class = QuestionSerializer

    def get_queryset(self) -> QuerySet[Question]:
        return _public_questions()


class TagList(PublicContentMixin, generics.ListAPIView):
    """Tags used by at least one published question."""

    serializer_class = TagSerializer

    def get_queryset(self) -> QuerySet[Tag]:
        return (
            Tag.objects.filter(questions__in=Question.objects.published())
            .distinct()
            .order_by("name", "id")
        )
