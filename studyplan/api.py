"""Study plans over the API: a guide's public plan, and a candidate's enrolments and ticks."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import User
from prep.api_fields import (
    RequestSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictSlugRelatedField,
    refuse_any_fields,
)
from prep.api_http import PublicContentMixin
from prep.api_idempotency import idempotent
from rounds.api import GuideScopedMixin
from rounds.models import Guide, Region

from . import progress, services
from .models import (
    Enrolment,
    EnrolmentPeriod,
    RoundBooking,
    RoundResult,
    StudyBlock,
    StudyTask,
    TaskProgress,
)
from .services import ReplanMode


class StudyTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = StudyTask
        fields = ["id", "order", "text"]


class StudyBlockSerializer(serializers.ModelSerializer):
    weeks = serializers.CharField(source="weeks_label", help_text='e.g. "1-2".')
    tasks = StudyTaskSerializer(many=True, help_text="The block's checklist, in order.")

    class Meta:
        model = StudyBlock
        fields = ["start_week", "end_week", "weeks", "title", "headline", "description", "tasks"]


class StudyBlockList(PublicContentMixin, GuideScopedMixin, generics.ListAPIView):
    """A published guide's study plan: its blocks of weeks, each with its checklist."""

    serializer_class = StudyBlockSerializer

    def get_guide_queryset(self, guide: Guide) -> QuerySet[StudyBlock]:
        return (
            StudyBlock.objects.filter(guide=guide)
            .prefetch_related(Prefetch("tasks", StudyTask.objects.order_by("order", "id")))
            .order_by("start_week", "id")
        )


# A candidate's own enrolments and ticks. Every queryset starts from request.user, so another
# candidate's enrolment is simply not found (404), in lists and detail alike.


def _count(queryset: QuerySet, *, per: str) -> Coalesce:
    """A correlated COUNT, so list rows carry their totals without extra queries."""
    counted = queryset.order_by().values(per).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def own_enrolments(user: User) -> QuerySet[Enrolment]:
    # By id, so the schema generator (an anonymous request) gets an empty list, not an error.
    return (
        Enrolment.objects.filter(user_id=user.pk)
        .select_related("user", "guide", "region")
        .prefetch_related(
            "guide__study_blocks",
            Prefetch("periods", queryset=EnrolmentPeriod.objects.select_related("block")),
            Prefetch("bookings", queryset=RoundBooking.objects.select_related("round")),
        )
        .annotate(
            tasks_total=_count(
                StudyTask.objects.filter(block__guide=OuterRef("guide")), per="block__guide"
            ),
            tasks_done=_count(
                TaskProgress.objects.filter(enrolment=OuterRef("pk")), per="enrolment"
            ),
        )
        .order_by("-created_at", "-id")
    )


class GuideRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guide
        fields = ["slug", "title", "plan_weeks"]


class PeriodSerializer(serializers.Serializer):
    block = serializers.IntegerField(source="block.pk", help_text="The study block's id.")
    title = serializers.CharField(source="block.title")
    start_week = serializers.IntegerField(source="block.start_week")
    end_week = serializers.IntegerField(source="block.end_week")
    start_date = serializers.DateField(source="start", help_text="First day, candidate's zone.")
    end_date = serializers.DateField(source="end", help_text="Last day (inclusive).")


class RoundDateSerializer(serializers.ModelSerializer):
    round = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    round_title = serializers.CharField(source="round.title", read_only=True)

    class Meta:
        model = RoundBooking
        fields = ["round", "round_title", "date", "time", "time_zone", "result"]


class RoundDateInputSerializer(RequestSerializer):
    date = serializers.DateField(help_text="The round's day, in the candidate's time zone.")
    time = serializers.TimeField(
        required=False, allow_null=True, help_text="Local start time (HH:MM), if known."
    )
    result = StrictChoiceField(
        choices=RoundResult.choices,
        required=False,
        allow_blank=True,
        help_text="Empty before the round; then waiting, passed or not_passed.",
    )


class EnrolmentSerializer(serializers.ModelSerializer):
    guide = GuideRefSerializer()
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    week = serializers.SerializerMethodField(
        help_text="Study week today: 0 before the start, plan_weeks + 1 once finished."
    )
    tasks_done = serializers.IntegerField(help_text="Ticked tasks in this plan.")
    tasks_total = serializers.IntegerField(help_text="All tasks in this plan.")
    next_reminder_at = serializers.SerializerMethodField(
        help_text="When the next weekly reminder is due; null if none will be sent."
    )
    plan_end = serializers.DateField(
        source="schedule.end", read_only=True, help_text="The plan's last day."
    )
    periods = serializers.SerializerMethodField(
        help_text="Each study block with the days this candidate studies it. Standard plans "
        "have 7-day weeks from start_date; a plan fitted to an interview has its own, "
        "possibly shorter, periods."
    )
    round_dates = RoundDateSerializer(
        source="bookings", many=True, read_only=True, help_text="Booked rounds, by date."
    )
    can_undo_replan = serializers.SerializerMethodField(
        help_text="Whether POST replan/undo/ can put back the schedule before the last re-plan."
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "guide",
            "region",
            "status",
            "start_date",
            "target_interview_date",
            "paused_on",
            "reminders_enabled",
            "week",
            "tasks_done",
            "tasks_total",
            "next_reminder_at",
            "plan_end",
            "periods",
            "round_dates",
            "can_undo_replan",
            "created_at",
            "updated_at",
        ]

    def get_week(self, enrolment: Enrolment) -> int:
        return enrolment.week_on(enrolment.local_today())

    @extend_schema_field(PeriodSerializer(many=True))
    def get_periods(self, enrolment: Enrolment) -> list:
        periods = enrolment.schedule.periods(enrolment.guide.study_blocks.all())
        return PeriodSerializer(periods, many=True).data

    def get_can_undo_replan(self, enrolment: Enrolment) -> bool:
        return bool(enrolment.previous_schedule)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_reminder_at(self, enrolment: Enrolment) -> str | None:
        due = progress.next_reminder_at(enrolment)
        return serializers.DateTimeField().to_representation(due) if due else None


class EnrolmentCreateSerializer(RequestSerializer):
    guide = StrictSlugRelatedField(
        slug_field="slug",
        queryset=Guide.objects.published(),
        help_text="Slug of a published guide.",
    )
    start_date = serializers.DateField(
        required=False, help_text="Day one of week 1; defaults to next Monday where you live."
    )
    region = StrictSlugRelatedField(
        slug_field="slug",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text="Region slug; defaults to your profile's region.",
    )
    target_interview_date = serializers.DateField(required=False, allow_null=True)
    time_zone = StrictCharField(
        required=False,
        max_length=64,
        help_text="IANA time zone, e.g. Asia/Singapore; becomes your account's time zone.",
    )


class EnrolmentUpdateSerializer(RequestSerializer):
    region = StrictSlugRelatedField(
        slug_field="slug", queryset=Region.objects.all(), required=False, allow_null=True
    )
    target_interview_date = serializers.DateField(required=False, allow_null=True)
    reminders_enabled = StrictBooleanField(
        required=False, help_text="Weekly reminders for this plan."
    )


class ReplanSerializer(RequestSerializer):
    mode = StrictChoiceField(
        choices=ReplanMode.CHOICES,
        help_text="`shift`: the first unfinished week starts today, weeks at normal length; "
        "`target`: the remaining blocks fit between today and the day before the interview "
        "(compressed in proportion to their length; with under 7 days left only the date is "
        "recorded). The web pages preview first; API clients apply at once and may undo.",
    )
    target_interview_date = serializers.DateField(required=False, allow_null=True)


class EnrolmentTaskSerializer(serializers.ModelSerializer):
    block_title = serializers.CharField(source="block.title")
    start_week = serializers.IntegerField(source="block.start_week")
    end_week = serializers.IntegerField(source="block.end_week")
    done = serializers.SerializerMethodField()
    done_at = serializers.DateTimeField(allow_null=True, help_text="When it was ticked.")

    class Meta:
        model = StudyTask
        fields = ["id", "order", "text", "block_title", "start_week", "end_week", "done", "done_at"]

    def get_done(self, task: StudyTask) -> bool:
        return task.done_at is not None


class TaskDoneSerializer(RequestSerializer):
    done = StrictBooleanField(help_text="true ticks the task, false unticks it.")


class OwnEnrolmentMixin:
    def get_enrolment(self) -> Enrolment:
        return get_object_or_404(own_enrolments(self.request.user), pk=self.kwargs["pk"])


class EnrolmentList(generics.ListCreateAPIView):
    """The signed-in candidate's enrolments, newest first; POST enrols in a guide."""

    serializer_class = EnrolmentSerializer
    conflicts = "You are already enrolled in this guide (a plan you left can be enrolled again)."

    def get_queryset(self) -> QuerySet[Enrolment]:
        return own_enrolments(self.request.user)

    @extend_schema(request=EnrolmentCreateSerializer, responses={201: EnrolmentSerializer})
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = EnrolmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment = services.enrolment_create(user=request.user, **serializer.validated_data)
        enrolment = own_enrolments(request.user).get(pk=enrolment.pk)
        location = reverse("api:enrolment-detail", args=[enrolment.pk], request=request)
        return Response(
            EnrolmentSerializer(enrolment).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class EnrolmentDetail(OwnEnrolmentMixin, generics.GenericAPIView):
    """One of the signed-in candidate's enrolments; PATCH changes region, date or reminders."""

    serializer_class = EnrolmentSerializer

    def get_queryset(self) -> QuerySet[Enrolment]:
        return own_enrolments(self.request.user)

    def get(self, request: Request, pk: int) -> Response:
        return Response(EnrolmentSerializer(self.get_enrolment()).data)

    @extend_schema(request=EnrolmentUpdateSerializer, responses=EnrolmentSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        enrolment = self.get_enrolment()
        serializer = EnrolmentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = {
            "region": enrolment.region,
            "target_interview_date": enrolment.target_interview_date,
            "reminders_enabled": enrolment.reminders_enabled,
            **serializer.validated_data,
        }
        with transaction.atomic():
            services.enrolment_update(enrolment=enrolment, **changes)
        return Response(EnrolmentSerializer(self.get_enrolment()).data)


class EnrolmentAction(OwnEnrolmentMixin, generics.GenericAPIView):
    """Base for POST /enrolments/{id}/<action>/ endpoints that call one service."""

    serializer_class = EnrolmentSerializer
    # Set by each subclass: the studyplan service that performs the action.
    service: Callable[..., Enrolment]

    def get_queryset(self) -> QuerySet[Enrolment]:
        return own_enrolments(self.request.user)

    @extend_schema(request=None, responses=EnrolmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        refuse_any_fields(request)
        self.service(enrolment=self.get_enrolment())
        return Response(EnrolmentSerializer(self.get_enrolment()).data)


class EnrolmentPause(EnrolmentAction):
    """Pause an active plan: weeks keep counting, reminders stop."""

    conflicts = "Only an active plan can be paused: this one is already paused, or was left."

    service = staticmethod(services.enrolment_pause)


class EnrolmentResume(EnrolmentAction):
    """Resume a paused plan where its dates put it."""

    conflicts = "Only a paused plan can be resumed: this one is active, or was left."

    service = staticmethod(services.enrolment_resume)


class EnrolmentLeave(EnrolmentAction):
    """Leave a guide; ticks and notes are kept for a later return."""

    conflicts = "You have already left this guide."

    service = staticmethod(services.enrolment_leave)


class EnrolmentReplan(OwnEnrolmentMixin, generics.GenericAPIView):
    """Move the plan's start so the remaining weeks fit: from today, or to an interview date."""

    serializer_class = EnrolmentSerializer
    conflicts = "You have left this guide (enrol again first), or every task is already done."

    def get_queryset(self) -> QuerySet[Enrolment]:
        return own_enrolments(self.request.user)

    @extend_schema(request=ReplanSerializer, responses=EnrolmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        enrolment = self.get_enrolment()
        serializer = ReplanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.enrolment_replan(enrolment=enrolment, **serializer.validated_data)
        return Response(EnrolmentSerializer(self.get_enrolment()).data)


def _tasks_of(enrolment: Enrolment) -> QuerySet[StudyTask]:
    done_at = TaskProgress.objects.filter(enrolment=enrolment, task=OuterRef("pk"))
    return (
        StudyTask.objects.filter(block__guide_id=enrolment.guide_id)
        .select_related("block")
        .annotate(done_at=Subquery(done_at.values("done_at")[:1]))
        .order_by("block__start_week", "order", "id")
    )


class EnrolmentTaskList(OwnEnrolmentMixin, generics.ListAPIView):
    """Every task of the enrolment's plan, in plan order, with whether it is ticked."""

    serializer_class = EnrolmentTaskSerializer

    def get_queryset(self) -> QuerySet[StudyTask]:
        if getattr(self, "swagger_fake_view", False):
            return StudyTask.objects.none()
        return _tasks_of(self.get_enrolment())


class EnrolmentTaskDetail(OwnEnrolmentMixin, generics.GenericAPIView):
    """One task of the enrolment's plan; PUT ticks or unticks it."""

    serializer_class = EnrolmentTaskSerializer
    conflicts = "You have left this guide; enrol again to track progress."

    def get_queryset(self) -> QuerySet[StudyTask]:
        if getattr(self, "swagger_fake_view", False):
            return StudyTask.objects.none()
        return _tasks_of(self.get_enrolment())

    def get(self, request: Request, pk: int, task_id: int) -> Response:
        task = get_object_or_404(self.get_queryset(), pk=task_id)
        return Response(EnrolmentTaskSerializer(task).data)

    @extend_schema(request=TaskDoneSerializer, responses=EnrolmentTaskSerializer)
    def put(self, request: Request, pk: int, task_id: int) -> Response:
        enrolment = self.get_enrolment()
        task = get_object_or_404(_tasks_of(enrolment), pk=task_id)
        serializer = TaskDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.task_set_done(enrolment=enrolment, task=task, **serializer.validated_data)
        return Response(EnrolmentTaskSerializer(_tasks_of(enrolment).get(pk=task_id)).data)


class EnrolmentReplanUndo(EnrolmentAction):
    """Put back the schedule the last re-plan (or round date) replaced; one step back."""

    conflicts = "There is no re-plan to undo, or you have left this guide."

    service = staticmethod(services.enrolment_replan_undo)


class EnrolmentRoundDate(OwnEnrolmentMixin, generics.GenericAPIView):
    """PUT records the day (and local time) a round is booked for, and later its result;
    DELETE forgets it. A study block preparing for the round is brought forward if it would
    come after it. Both answer with the enrolment as it now is."""

    serializer_class = EnrolmentSerializer
    conflicts = "You have left this guide; enrol again to record your rounds."

    def get_queryset(self) -> QuerySet[Enrolment]:
        return own_enrolments(self.request.user)

    def _round(self, enrolment: Enrolment, slug: str):
        return get_object_or_404(enrolment.guide.rounds, slug=slug)

    @extend_schema(request=RoundDateInputSerializer, responses=EnrolmentSerializer)
    def put(self, request: Request, pk: int, round_slug: str) -> Response:
        enrolment = self.get_enrolment()
        rnd = self._round(enrolment, round_slug)
        serializer = RoundDateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.round_booking_save(
            enrolment=enrolment,
            round=rnd,
            date=data["date"],
            time=data.get("time"),
            result=data.get("result") or "",
        )
        return Response(EnrolmentSerializer(self.get_enrolment()).data)

    # Answered with the enrolment (200) as PUT is, so a client shows the plan's round_dates
    # without reading it again; drf-spectacular documents a DELETE as 204 unless told the status.
    @extend_schema(request=None, responses={200: EnrolmentSerializer})
    def delete(self, request: Request, pk: int, round_slug: str) -> Response:
        enrolment = self.get_enrolment()
        rnd = self._round(enrolment, round_slug)
        booking = get_object_or_404(RoundBooking, enrolment=enrolment, round=rnd)
        services.round_booking_delete(enrolment=enrolment, booking=booking)
        return Response(EnrolmentSerializer(self.get_enrolment()).data)
