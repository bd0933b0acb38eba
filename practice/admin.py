"""Admin for candidates' practice: read-only, for staff answering support questions.

Candidates are told only they can read their notes, so note text never appears here; staff see
whether notes exist, and the status and dates, which is what support needs.
"""

from django.contrib import admin
from django.http import HttpRequest

from .models import QuestionProgress


@admin.register(QuestionProgress)
class QuestionProgressAdmin(admin.ModelAdmin):
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
        return obj.has_notes

    @admin.display(description="question deleted", boolean=True)
    def question_deleted(self, obj: QuestionProgress) -> bool:
        return obj.question_id is None

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# Registered from their own module, so review and framework admin changes stay apart from these.
from . import review_admin  # noqa: E402, F401
