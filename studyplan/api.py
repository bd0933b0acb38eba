"""Study plans over the API: a guide's public plan, and a candidate's enrolments and ticks."""

from django.db.models import Prefetch, QuerySet
from rest_framework import generics, serializers

from prep.api_http import PublicContentMixin
from rounds.api import GuideScopedMixin
from rounds.models import Guide

from .models import StudyBlock, StudyTask


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
