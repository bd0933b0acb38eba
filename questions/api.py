"""The question bank over the API: public questions and tags, a candidate's own practice."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from prep.api_fields import StrictCharField, StrictPrimaryKeyRelatedField
from prep.api_http import PublicContentMixin
from rounds.api import WebUrlField, WebUrlMixin

from .filters import QuestionFilter
from .models import NOTE_MAX_LENGTH, PracticeStatus, Question, QuestionKind, QuestionProgress, Tag
from .services import question_practice, question_progress_delete, question_uses_star


class QuestionApiFilter(QuestionFilter):
    """The question bank page's filters, plus the guide, which the page takes from its URL."""

    guide = django_filters.CharFilter(
        field_name="guide__slug", help_text="Guide slug, e.g. okx-head-of-engineering."
    )
    # Redeclared only to document them; the parent fills in the valid slugs per request.
    q = django_filters.CharFilter(
        method="filter_text", help_text="Words that must all appear in text, guidance or a tag."
    )
    kind = django_filters.ChoiceFilter(
        # "" is listed because HTML forms send `kind=` for "all kinds", and it is accepted.
        choices=[("", "All kinds"), *QuestionKind.choices],
        empty_label=None,
        help_text="Kind of question; empty for all kinds.",
    )
    round = django_filters.ChoiceFilter(field_name="round__slug", help_text="Round slug.")
    region = django_filters.ChoiceFilter(field_name="region__slug", help_text="Region slug.")
    tag = django_filters.ChoiceFilter(method="filter_tag", help_text="Tag slug.")

    class Meta(QuestionFilter.Meta):
        fields = ["guide", *QuestionFilter.Meta.fields]


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


# A candidate's own practice notes. The queryset starts from request.user, so another
# candidate's notes answer 404.


def _note_field(label: str) -> StrictCharField:
    return StrictCharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_LENGTH,
        trim_whitespace=False,
        help_text=label,
    )


class PracticeSerializer(serializers.ModelSerializer):
    question = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Null once a recruiter has deleted the question."
    )
    guide = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    uses_star = serializers.SerializerMethodField(
        help_text="Whether a STAR draft suits this question (behavioural kinds)."
    )

    class Meta:
        model = QuestionProgress
        fields = [
            "id",
            "question",
            "guide",
            "question_text",
            "status",
            "last_practised_at",
            "answer_draft",
            "star_situation",
            "star_task",
            "star_action",
            "star_result",
            "uses_star",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_uses_star(self, progress: QuestionProgress) -> bool:
        return progress.question is not None and question_uses_star(progress.question)


class PracticeUpdateSerializer(serializers.Serializer):
    """Fields left out keep their saved value."""

    status = serializers.ChoiceField(
        choices=PracticeStatus.choices,
        required=False,
        help_text="Practised or confident also stamps the last-practised time.",
    )
    answer_draft = _note_field("Free-form notes or a draft answer.")
    star_situation = _note_field("STAR: the situation.")
    star_task = _note_field("STAR: the task.")
    star_action = _note_field("STAR: the action you took.")
    star_result = _note_field("STAR: the result.")


class PracticeCreateSerializer(PracticeUpdateSerializer):
    question = StrictPrimaryKeyRelatedField(
        queryset=Question.objects.published(), help_text="Id of a published question."
    )


def own_practice(user: User) -> QuerySet[QuestionProgress]:
    return (
        QuestionProgress.objects.filter(user_id=user.pk)
        .select_related("question", "guide")
        .order_by("-updated_at", "-id")
    )


class PracticeList(generics.ListAPIView):
    """The signed-in candidate's practice notes, most recently changed first.

    POST records practice of a question: it creates the notes (201) or updates the existing
    ones (200); fields left out keep their saved value.
    """

    serializer_class = PracticeSerializer

    def get_queryset(self) -> QuerySet[QuestionProgress]:
        return own_practice(self.request.user)

    @extend_schema(
        request=PracticeCreateSerializer,
        responses={200: PracticeSerializer, 201: PracticeSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = PracticeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        question = fields.pop("question")
        existed = QuestionProgress.objects.filter(user=request.user, question=question).exists()
        saved = question_practice(user=request.user, question=question, **fields)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(PracticeSerializer(own_practice(request.user).get(pk=saved.pk)).data, code)


class PracticeDetail(generics.GenericAPIView):
    """One of the candidate's practice notes; PATCH updates it, DELETE removes it."""

    serializer_class = PracticeSerializer

    def get_queryset(self) -> QuerySet[QuestionProgress]:
        return own_practice(self.request.user)

    def get(self, request: Request, pk: int) -> Response:
        return Response(PracticeSerializer(self.get_object()).data)

    @extend_schema(request=PracticeUpdateSerializer, responses=PracticeSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        progress = self.get_object()
        serializer = PracticeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if progress.question is None:
            raise ValidationError("This question has been removed; its notes can only be deleted.")
        question_practice(
            user=request.user, question=progress.question, **serializer.validated_data
        )
        return Response(PracticeSerializer(self.get_object()).data)

    def delete(self, request: Request, pk: int) -> Response:
        question_progress_delete(user=request.user, progress=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
