"""Public, read-only API over guides, their rounds and their regional differences."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from prep.api_http import PublicContentMixin
from questions.models import Question
from studyplan.models import StudyBlock

from .models import EvaluationCriterion, Guide, Region, RegionalVariant, Round
from .text import content_lines


class LinesField(serializers.CharField):
    """A one-item-per-line text field, served as the list of its items."""

    def to_representation(self, value: str) -> list[str]:
        return content_lines(value)


extend_schema_field({"type": "array", "items": {"type": "string"}})(LinesField)


class WebUrlField(serializers.SerializerMethodField):
    """The absolute address of the object's page on the site."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", "The page on the Prep website.")
        super().__init__(method_name="get_web_url_value", **kwargs)


extend_schema_field(OpenApiTypes.URI)(WebUrlField)


class WebUrlMixin:
    def get_web_url_value(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class SalarySerializer(serializers.Serializer):
    currency = serializers.CharField(source="salary_currency", help_text="ISO 4217 code.")
    min = serializers.IntegerField(source="salary_min", allow_null=True)
    max = serializers.IntegerField(source="salary_max", allow_null=True)
    display = serializers.CharField(
        source="salary_display", help_text="e.g. US$180,000 – US$250,000"
    )


class GuideSerializer(WebUrlMixin, serializers.ModelSerializer):
    title = serializers.CharField(help_text="Role at company, e.g. Head of Engineering at OKX.")
    round_count = serializers.IntegerField(help_text="Number of interview rounds.")
    duration_display = serializers.CharField(help_text='Typical duration, e.g. "~14 days".')
    experience_display = serializers.CharField(help_text='e.g. "8 - 15 yrs".')
    salary = SalarySerializer(source="*")
    total_minutes_display = serializers.CharField(help_text='Time in interviews, e.g. "225 min".')
    web_url = WebUrlField()

    class Meta:
        model = Guide
        fields = [
            "slug",
            "title",
            "company",
            "role",
            "category",
            "summary",
            "round_count",
            "typical_duration_days",
            "duration_display",
            "experience_min_years",
            "experience_max_years",
            "experience_display",
            "salary",
            "total_interview_minutes",
            "total_minutes_display",
            "plan_weeks",
            "last_reviewed",
            "updated_at",
            "web_url",
        ]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationCriterion
        # The id is what POST /stories/ takes to link a story to the criterion.
        fields = ["id", "order", "title", "description"]


class RoundSummarySerializer(serializers.ModelSerializer):
    question_count = serializers.IntegerField(help_text="Published questions asked in this round.")

    class Meta:
        model = Round
        fields = ["id", "order", "slug", "title", "summary", "question_count"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["slug", "name"]


class VariantSerializer(serializers.ModelSerializer):
    region = RegionSerializer()
    interview_focus = LinesField()
    tips = LinesField()

    class Meta:
        model = RegionalVariant
        fields = ["region", "interview_focus", "tips"]


class BlockSummarySerializer(serializers.ModelSerializer):
    weeks = serializers.CharField(source="weeks_label", help_text='e.g. "1-2".')

    class Meta:
        model = StudyBlock
        fields = ["start_week", "end_week", "weeks", "title", "headline"]


class GuideDetailSerializer(GuideSerializer):
    preparation_tips = LinesField()
    criteria = CriterionSerializer(many=True, help_text="Overall evaluation criteria, in order.")
    rounds = RoundSummarySerializer(many=True, help_text="The process timeline, in order.")
    regional_variants = VariantSerializer(many=True, help_text="How interviews differ by region.")
    study_blocks = BlockSummarySerializer(many=True, help_text="The study plan's blocks.")

    class Meta(GuideSerializer.Meta):
        fields = [
            *GuideSerializer.Meta.fields,
            "preparation_tips",
            "criteria",
            "rounds",
            "regional_variants",
            "study_blocks",
        ]


class QuestionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "slug", "kind", "text"]


class RoundSerializer(WebUrlMixin, serializers.ModelSerializer):
    what_interviewers_look_for = LinesField()
    evaluation_criteria = LinesField()
    preparation_tips = LinesField()
    rejection_reasons = LinesField(help_text="Common reasons for rejection.")
    questions = QuestionSummarySerializer(many=True, help_text="Published questions asked here.")
    web_url = WebUrlField()

    class Meta:
        model = Round
        fields = [
            "id",
            "order",
            "slug",
            "title",
            "summary",
            "description",
            "what_interviewers_look_for",
            "evaluation_criteria",
            "preparation_tips",
            "rejection_reasons",
            "questions",
            "updated_at",
            "web_url",
        ]


class GuideVariantSerializer(WebUrlMixin, VariantSerializer):
    web_url = WebUrlField()

    class Meta(VariantSerializer.Meta):
        fields = [*VariantSerializer.Meta.fields, "web_url"]


class RegionGuideVariantSerializer(VariantSerializer):
    guide = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    guide_title = serializers.CharField(source="guide.title")

    class Meta(VariantSerializer.Meta):
        fields = ["guide", "guide_title", "interview_focus", "tips"]


class RegionDetailSerializer(RegionSerializer):
    variants = RegionGuideVariantSerializer(
        many=True, help_text="This region's differences in each published guide."
    )

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "variants"]


def published_guide(slug: str) -> Guide:
    return get_object_or_404(Guide.objects.published(), slug=slug)


class GuideScopedMixin:
    """A list of one published guide's content, under /guides/<guide_slug>/; 404 for drafts."""

    def get_queryset(self) -> QuerySet:
        # The schema generator calls this without URL arguments, to learn the model.
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.get_guide_queryset(published_guide(self.kwargs["guide_slug"]))


def _published_questions() -> QuerySet[Question]:
    return Question.objects.published().order_by("order", "id")


class GuideList(PublicContentMixin, generics.ListAPIView):
    """Published interview guides."""

    serializer_class = GuideSerializer

    def get_queryset(self) -> QuerySet[Guide]:
        return Guide.objects.published().with_round_count().order_by("company", "role", "id")


class GuideDetail(PublicContentMixin, generics.RetrieveAPIView):
    """One published guide with its criteria, rounds, regions and study plan outline."""

    serializer_class = GuideDetailSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "guide_slug"

    def get_queryset(self) -> QuerySet[Guide]:
        rounds = Round.objects.annotate(
            question_count=Count("questions", filter=Q(questions__is_published=True))
        ).order_by("order")
        return (
            Guide.objects.published()
            .with_round_count()
            .prefetch_related(
                Prefetch("criteria", EvaluationCriterion.objects.order_by("order")),
                Prefetch("rounds", rounds),
                Prefetch(
                    "regional_variants",
                    RegionalVariant.objects.select_related("region"),
                ),
                Prefetch("study_blocks", StudyBlock.objects.order_by("start_week")),
            )
        )


class RoundList(PublicContentMixin, GuideScopedMixin, generics.ListAPIView):
    """The rounds of a published guide, in interview order."""

    serializer_class = RoundSerializer

    def get_guide_queryset(self, guide: Guide) -> QuerySet[Round]:
        return (
            Round.objects.filter(guide=guide)
            .select_related("guide")
            .prefetch_related(Prefetch("questions", _published_questions()))
            .order_by("order", "id")
        )


class RoundDetail(PublicContentMixin, generics.RetrieveAPIView):
    """One round of a published guide, with the questions asked in it."""

    serializer_class = RoundSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "round_slug"

    def get_queryset(self) -> QuerySet[Round]:
        return (
            Round.objects.filter(guide__in=Guide.objects.published())
            .filter(guide__slug=self.kwargs["guide_slug"])
            .select_related("guide")
            .prefetch_related(Prefetch("questions", _published_questions()))
        )


class GuideVariantList(PublicContentMixin, GuideScopedMixin, generics.ListAPIView):
    """How a published guide's interviews differ from region to region."""

    serializer_class = GuideVariantSerializer

    def get_guide_queryset(self, guide: Guide) -> QuerySet[RegionalVariant]:
        return (
            RegionalVariant.objects.filter(guide=guide)
            .select_related("guide", "region")
            .order_by("region__order", "region__name", "id")
        )


class GuideVariantDetail(PublicContentMixin, generics.RetrieveAPIView):
    """One region's interview focus and tips for a published guide."""

    serializer_class = GuideVariantSerializer
    lookup_field = "region__slug"
    lookup_url_kwarg = "region_slug"

    def get_queryset(self) -> QuerySet[RegionalVariant]:
        return RegionalVariant.objects.filter(
            guide__in=Guide.objects.published(), guide__slug=self.kwargs["guide_slug"]
        ).select_related("guide", "region")


def _regions_with_variants() -> QuerySet[Region]:
    variants = (
        RegionalVariant.objects.filter(guide__in=Guide.objects.published())
        .select_related("guide")
        .order_by("guide__company", "guide__role", "id")
    )
    return Region.objects.prefetch_related(Prefetch("variants", variants))


class RegionList(PublicContentMixin, generics.ListAPIView):
    """Regions, each with its differences in every published guide."""

    serializer_class = RegionDetailSerializer

    def get_queryset(self) -> QuerySet[Region]:
        return _regions_with_variants().order_by("order", "name", "id")


class RegionDetail(PublicContentMixin, generics.RetrieveAPIView):
    """One region with its differences in every published guide."""

    serializer_class = RegionDetailSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "region_slug"

    def get_queryset(self) -> QuerySet[Region]:
        return _regions_with_variants()
