"""Admin for study plan content: blocks of weeks and their checklists."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect

from questions.models import QuestionKind
from rounds.admin_order import NextOrderMixin, SortableInlineMixin, save_formset_in_order
from rounds.staging_admin import StagedEditAdminMixin
from studyplan.models import StudyBlock, StudyTask


class StudyBlockForm(forms.ModelForm):
    question_kinds = forms.MultipleChoiceField(
        label="Question kinds",
        choices=QuestionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=StudyBlock._meta.get_field("question_kinds").help_text,
    )

    class Meta:
        model = StudyBlock
        fields = [
            "guide",
            "start_week",
            "end_week",
            "title",
            "headline",
            "description",
            "rounds",
            "question_kinds",
            "tags",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        guide_id = self.instance.guide_id or self.data.get("guide") or self.initial.get("guide")
        rounds = self.fields.get("rounds")
        if rounds is not None and guide_id:
            # Only the block's own guide's rounds make sense; offered in their interview order.
            rounds.queryset = rounds.queryset.filter(guide_id=guide_id).order_by("order")

    def clean(self) -> dict:
        cleaned = super().clean()
        guide = cleaned.get("guide")
        other = [r for r in cleaned.get("rounds") or [] if guide and r.guide_id != guide.pk]
        if other:
            self.add_error("rounds", f"“{other[0]}” is a round of another guide.")
        return cleaned


class StudyTaskInline(SortableInlineMixin, NextOrderMixin, admin.TabularInline):
    model = StudyTask
    extra = 1
    fields = ["order", "text"]
    verbose_name = "task"
    verbose_name_plural = "checklist (tasks candidates tick off)"


@admin.register(StudyBlock)
class StudyBlockAdmin(StagedEditAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "guide", "weeks_label", "task_count", "updated_at"]
    list_filter = ["guide"]
    list_select_related = ["guide"]
    search_fields = ["title", "headline", "description", "guide__company", "guide__role"]
    ordering = ["guide__company", "guide__role", "start_week"]
    # Plain selects rather than Django's autocomplete and two-box filter widgets, which fail axe
    # and the Nu checker (see questions/admin.py).
    inlines = [StudyTaskInline]
    form = StudyBlockForm
    fieldsets = [
        (
            None,
            {"fields": ["guide", ("start_week", "end_week"), "title", "headline", "description"]},
        ),
        (
            "What it prepares for",
            {
                "fields": ["rounds", "question_kinds", "tags"],
                "description": "Links the block to the question bank: while the block is on, "
                "the candidate's dashboard offers these rounds' questions of these kinds.",
            },
        ),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "rounds":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        elif db_field.name == "tags":
            # As on the question form: checkboxes, no Ctrl/Cmd-click (and no help saying so).
            kwargs["widget"] = forms.CheckboxSelectMultiple(attrs={"class": "tag-choices"})
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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
