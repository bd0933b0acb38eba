"""Admin for candidates' stories: superusers only, read-only, for answering support questions.

Candidates are told only they can read their stories: prep/private_admin.py keeps recruiters and
other staff out. Even for superusers the STAR text and reflection stay out of these pages:
support needs to know a story exists, whose it is and what it is linked to, not what it says.
"""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from prep.private_admin import SuperuserOnlyAdmin

from .models import Story


@admin.register(Story)
class StoryAdmin(SuperuserOnlyAdmin):
    list_display = [
        "title",
        "user",
        "parts_written",
        "question_count",
        "from_draft",
        "updated_at",
    ]
    list_filter = [("from_star_draft", admin.EmptyFieldListFilter), "created_at", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "title"]
    ordering = ["-updated_at"]
    date_hierarchy = "created_at"
    fields = [
        "user",
        "title",
        "parts_written",
        "question_count",
        "from_draft",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Story]:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="written")
    def parts_written(self, obj: Story) -> str:
        """Which parts hold text, e.g. "situation, action" (never the text itself)."""
        parts = ("situation", "task", "action", "result", "reflection")
        written = [name for name in parts if getattr(obj, name).strip()]
        return ", ".join(written) or "title only"

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, obj: Story) -> int:
        return obj.question_total

    @admin.display(description="from a STAR draft", boolean=True)
    def from_draft(self, obj: Story) -> bool:
        return obj.from_star_draft_id is not None
