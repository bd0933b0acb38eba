"""Mock interviews over the API. Querysets start from request.user: others' answer 404.

Reading a mock changes nothing; a question's clock starts with the mock or with the save of the
answer before it, and the time taken is measured on the server when the answer is posted. As on
the site, a question is shown only once its clock has started.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import User
from prep.api_errors import Conflict
from prep.api_fields import (
    RequestSerializer,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    refuse_any_fields,
)
from prep.api_idempotency import idempotent
from rounds.models import Guide, Round
from stories.models import Story

from . import services
from .models import (
    ANSWER_MAX_LENGTH,
    MINUTES_MAX,
    MINUTES_MIN,
    QUESTIONS_DEFAULT,
    QUESTIONS_MAX,
    QUESTIONS_MIN,
    REASON_MAX_LENGTH,
    SCORE_MAX,
    SCORE_MIN,
    Mock,
    MockAnswer,
    MockGrade,
    Outcome,
)


class MockAnswerSerializer(serializers.ModelSerializer):
    question = serializers.SerializerMethodField(
        help_text="Id of the question; null until its clock starts, as on the site."
    )
    question_text = serializers.SerializerMethodField(
        help_text="The question as asked; null until its clock starts, as on the site."
    )
    deadline = serializers.DateTimeField(
        allow_null=True, help_text="When the time for this question runs out; null until shown."
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        allow_null=True,
        source="outcome_or_none",
        read_only=True,
        help_text="Null until the mock is graded.",
    )

    class Meta:
        model = MockAnswer
        fields = [
            "id",
            "position",
            "question",
            "question_text",
            "notes",
            "story",
            "shown_at",
            "deadline",
            "answered_at",
            "seconds_taken",
            "timed_out",
            "outcome",
        ]
        read_only_fields = fields

    @staticmethod
    def _hidden(answer: MockAnswer) -> bool:
        # A question seen before its turn is a question prepared outside the clock.
        return answer.shown_at is None and answer.mock.is_in_progress

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_question(self, answer: MockAnswer) -> int | None:
        return None if self._hidden(answer) else answer.question_id

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_question_text(self, answer: MockAnswer) -> str | None:
        return None if self._hidden(answer) else answer.question_text


class MockGradeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MockGrade
        fields = ["criterion", "score", "reason"]
        read_only_fields = fields


class MockSerializer(serializers.ModelSerializer):
    guide = serializers.SlugRelatedField(source="round.guide", slug_field="slug", read_only=True)
    round_title = serializers.CharField(source="round.title", read_only=True)
    score = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, help_text="Mean grade, 1 to 4."
    )

    class Meta:
        model = Mock
        fields = [
            "id",
            "guide",
            "round",
            "round_title",
            "status",
            "minutes_per_question",
            "started_at",
            "finished_at",
            "score",
        ]
        read_only_fields = fields


class MockDetailSerializer(MockSerializer):
    answers = MockAnswerSerializer(many=True, read_only=True)
    grades = MockGradeSerializer(many=True, read_only=True)
    criteria = serializers.SerializerMethodField(
        help_text="What to grade, in order: the round's criteria, else the guide's overall ones."
    )
    current_answer = serializers.SerializerMethodField(
        help_text="Id of the answer to give next; null when every question is answered."
    )

    class Meta(MockSerializer.Meta):
        fields = [*MockSerializer.Meta.fields, "criteria", "current_answer", "answers", "grades"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_criteria(self, mock: Mock) -> list[str]:
        return services.criteria_for(mock.round)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_current_answer(self, mock: Mock) -> int | None:
        if not mock.is_in_progress:
            return None
        return next((a.pk for a in mock.answers.all() if a.answered_at is None), None)


class MockCreateSerializer(RequestSerializer):
    round = StrictPrimaryKeyRelatedField(
        queryset=Round.objects.filter(guide__in=Guide.objects.published()),
        help_text="Id of a round of a published guide: `id` in the guide's `rounds`.",
    )
    questions = StrictIntegerField(
        required=False,
        min_value=QUESTIONS_MIN,
        max_value=QUESTIONS_MAX,
        help_text=f"How many questions; {QUESTIONS_DEFAULT} by default.",
    )
    minutes = StrictIntegerField(
        required=False,
        min_value=MINUTES_MIN,
        max_value=MINUTES_MAX,
        help_text="Minutes per question; by default the round's share of the interview time.",
    )


class MockAnswerWriteSerializer(RequestSerializer):
    answer = StrictIntegerField(min_value=1, help_text="The mock's `current_answer`.")
    notes = StrictCharField(
        required=False, allow_blank=True, max_length=ANSWER_MAX_LENGTH, trim_whitespace=False
    )
    story = StrictIntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of one of your stories."
    )


class GradeInputSerializer(RequestSerializer):
    score = StrictIntegerField(min_value=SCORE_MIN, max_value=SCORE_MAX)
    reason = StrictCharField(max_length=REASON_MAX_LENGTH)


class OutcomeInputSerializer(RequestSerializer):
    answer = StrictIntegerField(min_value=1)
    outcome = StrictChoiceField(choices=Outcome.choices)


class MockGradeWriteSerializer(RequestSerializer):
    """Takes the ids of the mock's answers in `context["answers"]`."""

    grades = GradeInputSerializer(many=True, help_text="One per criterion, in `criteria` order.")
    outcomes = OutcomeInputSerializer(many=True, help_text="One per answer of the mock.")

    def validate_outcomes(self, outcomes: list[dict]) -> list[dict]:
        # Checked here, not left to mocks.services.mock_grade, whose errors name the site's form
        # inputs (`outcome_<id>`): a client needs the index of the entry it sent.
        answers = self.context["answers"]
        errors: dict[int, dict[str, list[str]]] = {}
        marked: set[int] = set()
        for index, outcome in enumerate(outcomes):
            if outcome["answer"] not in answers:
                errors[index] = {"answer": ["No such answer in this mock."]}
            elif outcome["answer"] in marked:
                errors[index] = {"answer": ["This answer has an outcome already."]}
            marked.add(outcome["answer"])
        if errors:
            raise serializers.ValidationError(errors)
        missing = [str(pk) for pk in answers if pk not in marked]
        if missing:
            raise serializers.ValidationError(
                f"Give an outcome for every answer of the mock; missing: {', '.join(missing)}."
            )
        return outcomes


def own_mocks(user: User) -> QuerySet[Mock]:
    return Mock.objects.of(user).select_related("round__guide").order_by("-started_at", "-pk")


def _detail(request: Request, pk: int) -> Response:
    mock = own_mocks(request.user).prefetch_related("answers__mock", "grades").get(pk=pk)
    return Response(MockDetailSerializer(mock).data)


class MockList(generics.ListAPIView):
    """The candidate's mocks, newest first. POST starts one (one in progress per round)."""

    serializer_class = MockSerializer
    conflicts = "A mock of this round is already in progress, or the round has no questions."

    def get_queryset(self) -> QuerySet[Mock]:
        return own_mocks(self.request.user)

    @extend_schema(request=MockCreateSerializer, responses={201: MockDetailSerializer})
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = MockCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        mock = services.mock_start(
            user=request.user,
            rnd=data["round"],
            questions=data.get("questions", QUESTIONS_DEFAULT),
            minutes=data.get("minutes"),
        )
        response = _detail(request, mock.pk)
        response.status_code = status.HTTP_201_CREATED
        response["Location"] = reverse("api:mock-detail", args=[mock.pk], request=request)
        return response


class _OwnMock(generics.GenericAPIView):
    serializer_class = MockDetailSerializer

    def get_queryset(self) -> QuerySet[Mock]:
        return own_mocks(self.request.user)


class MockDetail(_OwnMock):
    """One mock with its answers and grades. Reading it changes nothing: the first question's
    clock starts with the mock, each next one's when the answer before it is saved."""

    def get(self, request: Request, pk: int) -> Response:
        self.get_object()
        return _detail(request, pk)


class MockQuestionStartView(_OwnMock):
    """Start the clock of the current question if it has not started (a mock begun before
    clocks started with it); starting it again keeps the first start."""

    conflicts = "The mock is over, or every question is answered."

    @extend_schema(request=None, responses=MockDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        refuse_any_fields(request)
        mock = self.get_object()
        answer = services.current_answer(mock) if mock.is_in_progress else None
        if answer is None:
            raise Conflict("This mock has no question to start.")
        answer.mock = mock
        services.answer_start(user=request.user, answer=answer)
        return _detail(request, mock.pk)


class MockAnswerView(_OwnMock):
    """Answer the current question: saved with the time taken, also past the deadline."""

    conflicts = "The mock is over, or this question was already answered."

    @extend_schema(request=MockAnswerWriteSerializer, responses=MockDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        mock = self.get_object()
        serializer = MockAnswerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answer = mock.answers.filter(pk=data["answer"]).first()
        if answer is None:
            raise serializers.ValidationError({"answer": "No such answer in this mock."})
        story = None
        if data.get("story") is not None:
            story = Story.objects.of(request.user).filter(pk=data["story"]).first()
            if story is None:
                raise serializers.ValidationError({"story": "Choose one of your own stories."})
        answer.mock = mock
        services.answer_save(
            user=request.user, answer=answer, notes=data.get("notes", ""), story=story
        )
        return _detail(request, mock.pk)


class MockGradeView(_OwnMock):
    """Grade the mock and mark each question; shaky and missed go to spaced review."""

    conflicts = "The mock is over, or some questions are not answered yet."

    @extend_schema(request=MockGradeWriteSerializer, responses=MockDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        mock = self.get_object()
        answers = list(mock.answers.order_by("position").values_list("pk", flat=True))
        serializer = MockGradeWriteSerializer(data=request.data, context={"answers": answers})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.mock_grade(
            user=request.user,
            mock=mock,
            grades=[(g["score"], g["reason"]) for g in data["grades"]],
            outcomes={o["answer"]: o["outcome"] for o in data["outcomes"]},
        )
        return _detail(request, mock.pk)


class MockAbandonView(_OwnMock):
    """Abandon a mock in progress; a new one of the round can start."""

    conflicts = "The mock is already over."

    @extend_schema(request=None, responses=MockDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        refuse_any_fields(request)
        services.mock_abandon(user=request.user, mock=self.get_object())
        return _detail(request, pk)
