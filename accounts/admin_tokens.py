"""Staff can see which API tokens a candidate holds and revoke one, e.g. after a reported leak."""

from django.contrib import admin
from django.http import HttpRequest

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "name"]
    readonly_fields = ["user", "name", "hint", "created_at"]
    fields = readonly_fields
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Keys are shown once, to the candidate who makes them on their settings page.
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
