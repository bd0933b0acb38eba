"""Admin for candidates' study plans: read-mostly, for staff answering support questions.

Their practice of questions and its notes are in practice/admin.py.
"""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

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
        "reminders_off_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [
        "reminders_off_at",
        "user",
        "guide",
        "region",
        "start_date",
        "target_interview_date",
        "paused_on",
        "created_at",
        "updated_at",
    ]

    def save_model(self, request: HttpRequest, obj: Enrolment, form, change: bool) -> None:
        if "reminders_enabled" in form.changed_data:
            # Switched off by staff at the candidate's request counts as an unsubscribe too.
            wanted = obj.reminders_enabled
            obj.reminders_enabled = not wanted
            obj.set_reminders(wanted)
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrolment]:
        return super().get_queryset(request).annotate(done_count=Count("task_progress"))

    @admin.display(description="tasks done", ordering="done_count")
    def tasks_done(self, obj: Enrolment) -> int:
        return obj.done_count
