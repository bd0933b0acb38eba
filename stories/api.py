"""A candidate's stories over the API. Querysets start from request.user: others' answer 404."""

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import User
from prep.api_fields import RequestSerializer, StrictCharField, StrictPrimaryKeyRelatedField
from prep.api_idempotency import idempotent
from questions.models import Question
from rounds.models import EvaluationCriterion, Guide

from .models import (
    STORY_TAGS_MAX_LENGTH,
    STORY_TEXT_MAX_LENGTH,
    STORY_TITLE_MAX_LENGTH,
    Story,
)
from .services import TEXT_FIELDS, story_delete, story_save


class StorySerializer(serializers.ModelSerializer):
    tags = serializers.ListField(
        child=serializers.CharField(), source="tag_list", help_text="The candidate's own tags."
    )
    questions = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the questions this story answers."
    )
    criteria = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the evaluation criteria it shows."
    )

    class Meta:
        model = Story
        fields = [
            "id",
            "title",
            *TEXT_FIELDS,
            "tags",
            "questions",
            "criteria",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _text(help_text: str) -> StrictCharField:
    return StrictCharField(
        required=False,
        allow_blank=True,
        max_length=STORY_TEXT_MAX_LENGTH,
        trim_whitespace=False,
        help_text=help_text,
    )


class StoryWriteSerializer(RequestSerializer):
    """Fields left out of a PATCH keep their saved value."""

    title = StrictCharField(max_length=STORY_TITLE_MAX_LENGTH)
    situation = _text("The context: where, when, who.")
    task = _text("What you had to achieve.")
    action = _text("What you did.")
    result = _text("The outcome.")
    reflection = _text("What you learned.")
    tags = serializers.ListField(
        child=StrictCharField(max_length=60),
        required=False,
        max_length=20,
        help_text="Your own tags.",
    )
    # ListField, not many=True: DRF's many-related field takes a JSON object for an empty list.
    questions = serializers.ListField(
        child=StrictPrimaryKeyRelatedField(queryset=Question.objects.published()),
        required=False,
        max_length=500,
        help_text="Ids of published questions this story answers (`id` in /questions/); "
        "replaces the links.",
    )
    criteria = serializers.ListField(
        child=StrictPrimaryKeyRelatedField(
            queryset=EvaluationCriterion.objects.filter(guide__in=Guide.objects.published())
        ),
        required=False,
        max_length=200,
        help_text="Ids of evaluation criteria it shows (`id` in a guide's `criteria`); replaces "
        "the links.",
    )

    def validate_tags(self, value: list[str]) -> list[str]:
        if len(", ".join(value)) > STORY_TAGS_MAX_LENGTH:
            raise serializers.ValidationError(
                f"Keep the tags under {STORY_TAGS_MAX_LENGTH} characters together."
            )
        return value


def own_stories(user: User) -> QuerySet[Story]:
    return Story.objects.of(user).prefetch_related("questions", "criteria").order_by("title", "pk")


def _save(request: Request, story: Story | None, data: dict) -> Story:
    tags = data.pop("tags", None)
    if story is not None:
        data.setdefault("title", story.title)
        for name in TEXT_FIELDS:
            data.setdefault(name, getattr(story, name))
        tags_text = ", ".join(tags) if tags is not None else story.tags
    else:
        tags_text = ", ".join(tags or [])
    return story_save(user=request.user, story=story, tags=tags_text, **data)


class StoryList(generics.ListAPIView):
    """The signed-in candidate's stories, by title. POST writes a new one."""

    serializer_class = StorySerializer

    def get_queryset(self) -> QuerySet[Story]:
        return own_stories(self.request.user)

    @extend_schema(request=StoryWriteSerializer, responses={201: StorySerializer})
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = StoryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            story = _save(request, None, dict(serializer.validated_data))
        story = own_stories(request.user).get(pk=story.pk)
        location = reverse("api:story-detail", args=[story.pk], request=request)
        return Response(
            StorySerializer(story).data, status.HTTP_201_CREATED, headers={"Location": location}
        )


class StoryDetail(generics.RetrieveAPIView):
    """One of the candidate's stories; PATCH changes it, DELETE removes it."""

    serializer_class = StorySerializer

    def get_queryset(self) -> QuerySet[Story]:
        return own_stories(self.request.user)

    @extend_schema(request=StoryWriteSerializer, responses=StorySerializer)
    def patch(self, request: Request, pk: int) -> Response:
        story = self.get_object()
        serializer = StoryWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            _save(request, story, dict(serializer.validated_data))
        return Response(StorySerializer(own_stories(request.user).get(pk=story.pk)).data)

    def delete(self, request: Request, pk: int) -> Response:
        story_delete(user=request.user, story=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
