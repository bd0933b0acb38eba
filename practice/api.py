"""A candidate's own practice over the API: status and notes per question."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import User
from prep.api_errors import Conflict
from prep.api_fields import (
    RequestSerializer,
    StrictCharField,
    StrictChoiceField,
    StrictPrimaryKeyRelatedField,
)
from prep.api_http import check_if_match, representation_etag
from prep.api_idempotency import idempotent
from questions.models import Question

from .models import NOTE_MAX_LENGTH, PracticeStatus, QuestionProgress
from .services import question_practice, question_progress_delete, question_uses_star

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
    guide_title = serializers.CharField(
        source="guide_heading",
        read_only=True,
        help_text="The guide's title; kept when the guide is deleted (guide is then null).",
    )
    question_text = serializers.CharField(
        source="question_heading",
        read_only=True,
        help_text="The question's text as it reads now; kept when the question is deleted.",
    )
    uses_star = serializers.SerializerMethodField(
        help_text=(
            "Whether this question is best answered with one of your stories, told in STAR "
            "form (behavioural kinds); stories hold the STAR text, see /stories/."
        )
    )

    class Meta:
        model = QuestionProgress
        fields = [
            "id",
            "question",
            "guide",
            "guide_title",
            "question_text",
            "status",
            "last_practised_at",
            "answer_draft",
            "uses_star",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_uses_star(self, progress: QuestionProgress) -> bool:
        return progress.question is not None and question_uses_star(progress.question)


class PracticeUpdateSerializer(RequestSerializer):
    """Fields left out keep their saved value."""

    status = StrictChoiceField(
        choices=PracticeStatus.choices,
        required=False,
        help_text="Practised or confident also stamps the last-practised time.",
    )
    answer_draft = _note_field("Free-form notes or a draft answer.")


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


def _locked_etag(user: User, **lookup: Any) -> tuple[QuestionProgress | None, str | None]:
    """The notes, locked until the transaction ends, and their ETag; (None, None) if none."""
    progress = own_practice(user).select_for_update(of=("self",)).filter(**lookup).first()
    if progress is None:
        return None, None
    return progress, representation_etag(PracticeSerializer(progress).data)


def _practice_answer(
    progress: QuestionProgress, status_code: int = status.HTTP_200_OK, **headers: str
) -> Response:
    data = PracticeSerializer(progress).data
    return Response(data, status_code, headers={"ETag": representation_etag(data), **headers})


class PracticeList(generics.ListAPIView):
    """The signed-in candidate's practice notes, most recently changed first.

    POST records practice of a question: it creates the notes (201) or updates the existing
    ones (200); fields left out keep their saved value. Send the notes' `ETag` in `If-Match` to
    update them only if no other device has saved since.
    """

    serializer_class = PracticeSerializer
    conflicts = (
        "The question was unpublished meanwhile, or these notes were created at the same "
        "moment from another device; read them and retry."
    )
    if_match = True

    def get_queryset(self) -> QuerySet[QuestionProgress]:
        return own_practice(self.request.user)

    @extend_schema(
        request=PracticeCreateSerializer,
        responses={200: PracticeSerializer, 201: PracticeSerializer},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = PracticeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        question = fields.pop("question")
        with transaction.atomic():
            existing, etag = _locked_etag(request.user, question=question)
            check_if_match(request, etag)
            saved = question_practice(user=request.user, question=question, **fields)
        saved = own_practice(request.user).get(pk=saved.pk)
        if existing is not None:
            return _practice_answer(saved)
        location = reverse("api:practice-detail", args=[saved.pk], request=request)
        return _practice_answer(saved, status.HTTP_201_CREATED, Location=location)


class PracticeDetail(generics.GenericAPIView):
    """One of the candidate's practice notes; PATCH updates it, DELETE removes it.

    Answers carry an `ETag`; send it back in `If-Match` with PATCH or DELETE and the change is
    made only if the notes are still as you read them (412 otherwise).
    """

    serializer_class = PracticeSerializer
    conflicts = "The question was removed or unpublished; its notes can only be read or deleted."
    if_match = True

    def get_queryset(self) -> QuerySet[QuestionProgress]:
        return own_practice(self.request.user)

    def _lock(self, request: Request) -> QuestionProgress:
        progress, etag = _locked_etag(request.user, pk=self.kwargs["pk"])
        if progress is None:
            raise NotFound()
        check_if_match(request, etag)
        return progress

    def get(self, request: Request, pk: int) -> Response:
        return _practice_answer(self.get_object())

    @extend_schema(request=PracticeUpdateSerializer, responses=PracticeSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        serializer = PracticeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            progress = self._lock(request)
            if progress.question is None:
                raise Conflict("This question has been removed; its notes can only be deleted.")
            question_practice(
                user=request.user, question=progress.question, **serializer.validated_data
            )
        return _practice_answer(self.get_object())

    def delete(self, request: Request, pk: int) -> Response:
        with transaction.atomic():
            question_progress_delete(user=request.user, progress=self._lock(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
