"""The question bank over the API: public questions and tags, a candidate's own practice."""

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from prep.api_http import PublicContentMixin
from rounds.api import WebUrlField, WebUrlMixin

from .filters import QuestionFilter
from .models import Question, Tag


class QuestionApiFilter(QuestionFilter):
    """The question bank page's filters, plus the guide, which the page takes from its URL."""

    guide = django_filters.CharFilter(
        field_name="guide__slug", help_text="Guide slug, e.g. okx-head-of-engineering."
    )
    # Redeclared only to document them; the parent fills in the valid slugs per request.
    q = django_filters.CharFilter(
        method="filter_text", help_text="Words that must all appear in text, guidance or a tag."
    )
    round = django_filters.ChoiceFilter(field_name="round__slug", help_text="Round slug.")
    region = django_filters.ChoiceFilter(field_name="region__slug", help_text="Region slug.")
    tag = django_filters.ChoiceFilter(field_name="tags__slug", distinct=True, help_text="Tag slug.")

    class Meta(QuestionFilter.Meta):
        fields = ["guide", *QuestionFilter.Meta.fields]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "name"]


class QuestionSerializer(WebUrlMixin, serializers.ModelSerializer):
    guide = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    round = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Empty for guide-wide questions."
    )
    region = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Set when typical of one region."
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
            "guidance or a tag). Ordered by guide, round, region and position."
        )
    )
)
class QuestionList(PublicContentMixin, generics.ListAPIView):
    serializer_class = QuestionSerializer
    filterset_class = QuestionApiFilter

    def get_queryset(self) -> QuerySet[Question]:
        return _public_questions().order_by(
            "guide__company",
            "guide__role",
            "guide_id",
            "round__order",
            "region__order",
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
