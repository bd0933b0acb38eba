"""Admin for reminder deliveries: what was sent, what is waiting, what failed and why."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .delivery import delivery_retry
from .models import DeliveryStatus, ReminderDelivery


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "enrolment",
        "kind",
        "week",
        "round",
        "status",
        "due_at",
        "sent_at",
        "attempts",
        "short_error",
    ]
    list_filter = ["status", "kind", "due_at", "enrolment__guide"]
    list_select_related = ["enrolment__user", "enrolment__guide", "round"]
    search_fields = ["enrolment__user__email", "enrolment__guide__company", "last_error"]
    date_hierarchy = "due_at"
    actions = ["retry_failed"]
    # Deliveries are a log written by the reminder workers; editing one by hand would make it lie.
    readonly_fields = [
        "enrolment",
        "kind",
        "week",
        "round",
        "due_at",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "queued_at",
        "claimed_at",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="last error")
    def short_error(self, obj: ReminderDelivery) -> str:
        return obj.last_error if len(obj.last_error) <= 80 else obj.last_error[:79] + "…"

    @admin.action(description="Retry the selected failed deliveries")
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[ReminderDelivery]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        retried = delivery_retry(delivery_ids=ids)
        skipped = len(ids) - retried
        if retried:
            self.message_user(
                request,
                f"{retried} failed deliver{'y' if retried == 1 else 'ies'} queued to send again.",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected deliver{'y was' if skipped == 1 else 'ies were'} left as "
                f"{'it was' if skipped == 1 else 'they were'}: only "
                f"{DeliveryStatus.FAILED.label.lower()} deliveries can be sent again, and a "
                "weekly reminder only while its study week lasts.",
                messages.WARNING,
            )
