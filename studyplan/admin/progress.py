"""Admin for candidates' progress: read-mostly, for staff answering support questions.

Candidates are told only they can read their notes, so note text never appears here; staff see
whether notes exist, and the status and dates, which is what support needs.
"""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from questions.models import QuestionProgress
from studyplan.models import Enrolment, TaskProgress


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class TaskProgressInline(ReadOnlyMixin, admin.TabularInline):
    model = TaskProgress
    fields = ["task", "done_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "ticked task"
    verbose_name_plural = "ticked tasks"

    def get_queryset(self, request: HttpRequest) -> QuerySet[TaskProgress]:
        return super().get_queryset(request).select_related("task")


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "guide",
        "status",
        "start_date",
        "target_interview_date",
        "reminders_enabled",
        "tasks_done",
        "created_at",
    ]
    list_filter = ["status", "reminders_enabled", "guide"]
    list_select_related = ["user", "guide"]
    search_fields = ["user__email", "user__display_name", "guide__company", "guide__role"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    inlines = [TaskProgressInline]
    # Staff may switch a plan's reminders off or pause it for a candidate who asks; dates and
    # ownership are the candidate's to change.
    fields = [
        "user",
        "guide",
        "region",
        "start_date",
        "target_interview_date",
        "status",
        "paused_on",
        "reminders_enabled",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [
        "user",
        "guide",
        "region",
        "start_date",
        "target_interview_date",
        "paused_on",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrolment]:
        return super().get_queryset(request).annotate(done_count=Count("task_progress"))

    @admin.display(description="tasks done", ordering="done_count")
    def tasks_done(self, obj: Enrolment) -> int:
        return obj.done_count


@admin.register(QuestionProgress)
class QuestionProgressAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "user",
        "short_question",
        "guide",
        "status",
        "last_practised_at",
        "has_notes",
        "question_deleted",
    ]
    list_filter = ["status", "guide"]
    list_select_related = ["user", "guide"]
    search_fields = ["user__email", "question_text"]
    ordering = ["-updated_at"]
    fields = [
        "user",
        "guide",
        "question",
        "question_text",
        "status",
        "last_practised_at",
        "has_notes",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description="question")
    def short_question(self, obj: QuestionProgress) -> str:
        text = obj.question_text
        return text if len(text) <= 70 else text[:69] + "…"

    @admin.display(description="notes", boolean=True)
    def has_notes(self, obj: QuestionProgress) -> bool:
        return any(
            (obj.answer_draft, obj.star_situation, obj.star_task, obj.star_action, obj.star_result)
        )

    @admin.display(description="question deleted", boolean=True)
    def question_deleted(self, obj: QuestionProgress) -> bool:
        return obj.question_id is None
