"""Spaced review and activity over the API: the review queue, ratings, cards and history, activity.

Every queryset starts from request.user, so another candidate's cards answer 404 or are absent.
"""

import datetime

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.models import User
from prep.api_fields import RequestSerializer, StrictChoiceField, StrictPrimaryKeyRelatedField
from prep.api_idempotency import idempotent
from questions.models import Question

from . import activity, review
from .review_models import CardState, Rating, Review, ReviewCard

CARD_STATES = ["learning", "review", "relearning"]


def _state_label(value: int | None) -> str | None:
    return CardState(value).label.lower() if value is not None else None


class ReviewSerializer(serializers.ModelSerializer):
    rating = serializers.ChoiceField(
        choices=Rating.choices, help_text="1 Again, 2 Hard, 3 Good, 4 Easy."
    )
    state_before = serializers.SerializerMethodField(help_text="Null for a card's first review.")
    state_after = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "rating",
            "reviewed_at",
            "state_before",
            "state_after",
            "due_before",
            "due_after",
            "interval_days",
            "capped_by_interview",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=CARD_STATES, allow_null=True))
    def get_state_before(self, obj: Review) -> str | None:
        return _state_label(obj.state_before)

    @extend_schema_field(serializers.ChoiceField(choices=CARD_STATES))
    def get_state_after(self, obj: Review) -> str | None:
        return _state_label(obj.state_after)


class ReviewCardSerializer(serializers.ModelSerializer):
    question_text = serializers.CharField(source="question.text", read_only=True)
    guide = serializers.SlugRelatedField(source="question.guide", slug_field="slug", read_only=True)
    state = serializers.SerializerMethodField()
    due_date = serializers.SerializerMethodField(
        help_text="The day the review is due, in the candidate's time zone."
    )

    class Meta:
        model = ReviewCard
        fields = [
            "id",
            "question",
            "question_text",
            "guide",
            "state",
            "due",
            "due_date",
            "last_review",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=CARD_STATES))
    def get_state(self, obj: ReviewCard) -> str | None:
        return _state_label(obj.state)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_due_date(self, obj: ReviewCard) -> datetime.date:
        return review.local_date(obj.user, obj.due)


class ReviewCardDetailSerializer(ReviewCardSerializer):
    reviews = ReviewSerializer(many=True, read_only=True, help_text="Newest first.")

    class Meta(ReviewCardSerializer.Meta):
        fields = [*ReviewCardSerializer.Meta.fields, "reviews"]
        read_only_fields = fields


class RatingCreateSerializer(RequestSerializer):
    question = StrictPrimaryKeyRelatedField(
        queryset=Question.objects.published(), help_text="Id of a published question."
    )
    rating = StrictChoiceField(
        choices=Rating.choices, help_text="How the practice went: 1 Again, 2 Hard, 3 Good, 4 Easy."
    )


class RatingResultSerializer(serializers.Serializer):
    review = ReviewSerializer()
    card = ReviewCardSerializer()


def own_cards(user: User) -> QuerySet[ReviewCard]:
    return (
        ReviewCard.objects.of(user).select_related("user", "question__guide").order_by("due", "pk")
    )


class ReviewQueue(generics.ListAPIView):
    """Reviews due today in the candidate's time zone (overdue ones included), oldest first."""

    serializer_class = ReviewCardSerializer

    def get_queryset(self) -> QuerySet[ReviewCard]:
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # the schema has no signed-in candidate
            return ReviewCard.objects.none()
        return ReviewCard.objects.due_on(user, review.local_today(user)).select_related(
            "user", "question__guide"
        )


class ReviewCardList(generics.ListAPIView):
    """Every card the candidate has, by due time.

    POST rates a practice of a question (FSRS schedules its next review); the first rating of a
    question creates its card (201). Send an `Idempotency-Key` so a retried rating is not
    counted twice.
    """

    serializer_class = ReviewCardSerializer
    conflicts = "The question was unpublished meanwhile, or rated at the same moment elsewhere."

    def get_queryset(self) -> QuerySet[ReviewCard]:
        return own_cards(self.request.user)

    @extend_schema(request=RatingCreateSerializer, responses={201: RatingResultSerializer})
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = RatingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = review.review_submit(
            user=request.user,
            question=serializer.validated_data["question"],
            rating=serializer.validated_data["rating"],
        )
        card = own_cards(request.user).get(pk=saved.card_id)
        location = reverse("api:review-card-detail", args=[card.pk], request=request)
        data = RatingResultSerializer({"review": saved, "card": card}).data
        return Response(data, status.HTTP_201_CREATED, headers={"Location": location})


class ReviewCardDetail(generics.RetrieveAPIView):
    """One card: its state, next due day and every rating, newest first."""

    serializer_class = ReviewCardDetailSerializer

    def get_queryset(self) -> QuerySet[ReviewCard]:
        return own_cards(self.request.user).prefetch_related("reviews")


class ActivityDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    practised = serializers.IntegerField()
    reviewed = serializers.IntegerField()
    tasks = serializers.IntegerField()
    total = serializers.IntegerField()


class RoundReadinessSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The round's id, as POST /mocks/ takes it.")
    slug = serializers.CharField(
        help_text="The round's slug: /guides/{guide}/rounds/{slug}/ describes it."
    )
    title = serializers.CharField()
    ready = serializers.IntegerField(help_text="Practised or confident, with no overdue review.")
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class GuideReadinessSerializer(serializers.Serializer):
    guide = serializers.CharField(
        source="slug", help_text="The guide's slug, by which every endpoint addresses guides."
    )
    guide_id = serializers.IntegerField(help_text="The guide's id; kept for earlier clients.")
    title = serializers.CharField()
    rounds = RoundReadinessSerializer(many=True)


class ActivitySerializer(serializers.Serializer):
    today = serializers.DateField(help_text="Today in the candidate's time zone.")
    streak = serializers.IntegerField(
        help_text="Days in a row with activity, up to today if active today, else up to yesterday."
    )
    active_today = serializers.BooleanField()
    due_today = serializers.IntegerField(help_text="Reviews due today, overdue ones included.")
    days = ActivityDaySerializer(
        many=True,
        help_text=f"Every day from the Monday {activity.HEATMAP_WEEKS - 1} weeks before this "
        f"week's Monday through today, oldest first: {activity.HEATMAP_WEEKS - 1} full weeks "
        f"and this week so far ({7 * (activity.HEATMAP_WEEKS - 1) + 1} to "
        f"{7 * activity.HEATMAP_WEEKS} days), as the site's heatmap shows them.",
    )
    readiness = GuideReadinessSerializer(many=True)


class ActivityView(APIView):
    """The candidate's streak, activity per day since the Monday 11 weeks before this week's,
    and readiness per round."""

    serializer_class = ActivitySerializer

    @extend_schema(responses=ActivitySerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        today = review.local_today(user)
        summary = activity.activity(user=user, today=today)
        data = {
            "today": today,
            "streak": summary.streak,
            "active_today": summary.active_today,
            "due_today": review.due_count(user, today),
            "days": summary.days,
            "readiness": activity.readiness(user=user, today=today),
        }
        return Response(ActivitySerializer(data).data)
