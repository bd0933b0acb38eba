from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from . import admin_tokens  # noqa: F401  (registers the API token admin)
from .models import User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "display_name", "email_confirmed_at", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "reminders_enabled", "groups"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["last_login", "date_joined", "email_confirmed_at", "pending_email"]
    fieldsets = [
        (None, {"fields": ["email", "pending_email", "password"]}),
        ("Profile", {"fields": ["display_name", "time_zone", "region"]}),
        (
            "Reminders",
            {
                "fields": [
                    "email_confirmed_at",
                    "reminders_enabled",
                    "reminder_weekday",
                    "reminder_hour",
                ]
            },
        ),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
