"""Admin for spaced review (read-only, for support) and Prep's answer frameworks (editable)."""

from django.contrib import admin
from django.http import HttpRequest

from .review_models import AnswerFramework, ReviewCard


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ReviewCard)
class ReviewCardAdmin(ReadOnlyAdmin):
    list_display = ["user", "question", "state", "due", "last_review"]
    list_filter = ["state"]
    list_select_related = ["user", "question"]
    search_fields = ["user__email"]
    fields = ["user", "question", "state", "due", "last_review", "created_at"]
    readonly_fields = fields


@admin.register(AnswerFramework)
class AnswerFrameworkAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "updated_at"]
    fields = ["kind", "title", "steps"]
