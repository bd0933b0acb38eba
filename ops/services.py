"""Writes made by other apps' jobs so operators can see they are alive."""

import datetime

from django.utils import timezone

from .models import Heartbeat

REMINDER_DISPATCH = "reminder-dispatch"


def heartbeat_record(*, name: str, at: datetime.datetime | None = None) -> None:
    """Record that the job `name` just completed; one upsert, safe with two beats at once."""
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=name, at=at or timezone.now())],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["at"],
    )


def reminder_dispatch_completed() -> None:
    """Called by the reminder dispatcher each time it finishes, for /readyz's beat check."""
    heartbeat_record(name=REMINDER_DISPATCH)
