"""Admin for candidates' mock interviews: superusers only, read-only, for support.

Mock answers and self-grades are as private as stories (see stories/admin.py): no Recruiters
permission, superusers only, and the candidate's own words (answer notes, grade reasons) stay
out. Timing, outcomes and scores are what support questions ("my mock timed out") are about.
"""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from prep.private_admin import SuperuserOnlyAdmin, SuperuserOnlyInline

from .models import Mock, MockAnswer, MockGrade


class MockAnswerInline(SuperuserOnlyInline):
    model = MockAnswer
    fields = [
        "position",
        "question_text",
        "shown_at",
        "answered_at",
        "seconds_taken",
        "timed_out",
        "outcome",
        "has_notes",
        "used_story",
    ]
    readonly_fields = fields

    @admin.display(description="notes", boolean=True)
    def has_notes(self, obj: MockAnswer) -> bool:
        return bool(obj.notes.strip())

    @admin.display(description="story", boolean=True)
    def used_story(self, obj: MockAnswer) -> bool:
        return obj.story_id is not None


class MockGradeInline(SuperuserOnlyInline):
    model = MockGrade
    fields = ["position", "criterion", "score"]
    readonly_fields = fields


@admin.register(Mock)
class MockAdmin(SuperuserOnlyAdmin):
    list_display = [
        "user",
        "guide",
        "round",
        "status",
        "started_at",
        "finished_at",
        "score",
        "question_count",
        "minutes_per_question",
    ]
    list_filter = ["status", "round__guide", "started_at"]
    list_select_related = ["user", "round__guide"]
    search_fields = ["user__email", "round__title", "round__guide__company"]
    ordering = ["-started_at", "-pk"]
    date_hierarchy = "started_at"
    fields = [
        "user",
        "round",
        "status",
        "minutes_per_question",
        "started_at",
        "finished_at",
        "score",
    ]
    readonly_fields = fields
    inlines = [MockAnswerInline, MockGradeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mock]:
        return super().get_queryset(request).annotate(answer_total=Count("answers"))

    @admin.display(description="guide", ordering="round__guide__company")
    def guide(self, obj: Mock) -> str:
        return obj.round.guide.title

    @admin.display(description="questions", ordering="answer_total")
    def question_count(self, obj: Mock) -> int:
        return obj.answer_total
