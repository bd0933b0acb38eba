"""Admin for study plan content: blocks of weeks and their checklists."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from studyplan.models import StudyBlock, StudyTask


class StudyTaskInline(admin.TabularInline):
    model = StudyTask
    extra = 1
    fields = ["order", "text"]
    verbose_name = "task"
    verbose_name_plural = "checklist (tasks candidates tick off)"


@admin.register(StudyBlock)
class StudyBlockAdmin(admin.ModelAdmin):
    list_display = ["__str__", "guide", "weeks_label", "task_count", "updated_at"]
    list_filter = ["guide"]
    list_select_related = ["guide"]
    search_fields = ["title", "headline", "description", "guide__company", "guide__role"]
    ordering = ["guide__company", "guide__role", "start_week"]
    autocomplete_fields = ["guide"]
    inlines = [StudyTaskInline]
    fields = ["guide", ("start_week", "end_week"), "title", "headline", "description"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[StudyBlock]:
        return super().get_queryset(request).annotate(tasks_total=Count("tasks"))

    @admin.display(description="weeks", ordering="start_week")
    def weeks_label(self, block: StudyBlock) -> str:
        return block.weeks_label

    @admin.display(description="tasks", ordering="tasks_total")
    def task_count(self, block: StudyBlock) -> int:
        return block.tasks_total
