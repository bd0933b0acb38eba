"""Admin for study plan content: blocks of weeks and their checklists."""

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect

from rounds.admin_order import NextOrderMixin, save_formset_in_order
from studyplan.models import StudyBlock, StudyTask


class StudyTaskInline(NextOrderMixin, admin.TabularInline):
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

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        save_formset_in_order(formset)

    def response_add(self, request: HttpRequest, obj: StudyBlock, post_url_continue=None):
        return self._back_to_guide(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request: HttpRequest, obj: StudyBlock):
        return self._back_to_guide(request, obj) or super().response_change(request, obj)

    def _back_to_guide(self, request: HttpRequest, obj: StudyBlock):
        """A plain "Save" returns to the block's guide, where its siblings are, rather than to
        every guide's blocks; "Save and continue" and "Save and add another" work as usual."""
        if IS_POPUP_VAR in request.POST or any(
            name in request.POST for name in ("_continue", "_addanother", "_saveasnew")
        ):
            return None
        self.message_user(request, f"“{obj}” was saved.", messages.SUCCESS)
        return redirect("admin:rounds_guide_change", obj.guide_id)

    def get_queryset(self, request: HttpRequest) -> QuerySet[StudyBlock]:
        return super().get_queryset(request).annotate(tasks_total=Count("tasks"))

    @admin.display(description="weeks", ordering="start_week")
    def weeks_label(self, block: StudyBlock) -> str:
        return block.weeks_label

    @admin.display(description="tasks", ordering="tasks_total")
    def task_count(self, block: StudyBlock) -> int:
        return block.tasks_total
