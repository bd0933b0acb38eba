"""Admin for what candidates are told only they can read (stories, mocks): superusers only.

The Recruiters group gets no permission on these models (rounds/recruiters.py), and these
admins ask for superuser status besides any permission an operator might grant by hand, so a
staff account given "view story" by mistake still sees nothing.
"""

from django.contrib import admin
from django.http import HttpRequest


def is_active_superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Seen by superusers only, never added or edited here; a superuser may delete (a support
    request to remove something)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_active_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_active_superuser(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_active_superuser(request)


class SuperuserOnlyInline(admin.TabularInline):
    """Read-only rows inside a SuperuserOnlyAdmin page."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_active_superuser(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
