"""The checks behind /readyz: django-health-check's database and cache, plus broker and beat."""

import dataclasses
import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from kombu import Connection

from .models import Heartbeat
from .services import REMINDER_DISPATCH

# Short enough that a load balancer's probe (typically 5-10 s) gets an answer, not a time-out.
BROKER_CONNECT_TIMEOUT = 2


@dataclasses.dataclass
class Broker(HealthCheck):
    """Celery's broker answers: it can say how many tasks wait in the default queue."""

    timeout = datetime.timedelta(seconds=BROKER_CONNECT_TIMEOUT + 1)

    def run(self) -> None:
        try:
            broker_queue_length(settings.CELERY_TASK_DEFAULT_QUEUE)
        except Exception as exc:  # kombu raises the transport's own errors (redis, OSError...)
            raise ServiceUnavailable("cannot connect to the Celery broker") from exc


def broker_queue_length(queue: str) -> int:
    """Tasks waiting in `queue`: a real round trip to the broker (LLEN on Redis)."""
    # The settings Celery itself reads (namespace CELERY), so this is the broker tasks go to.
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        connect_timeout=BROKER_CONNECT_TIMEOUT,
    ) as broker:
        # Not passive: on Redis an empty queue has no key, which a passive declare reports as
        # "not found"; declaring creates nothing there and counts the messages all the same.
        return broker.default_channel.queue_declare(queue=queue).message_count


@dataclasses.dataclass
class ReminderDispatch(HealthCheck):
    """Beat's reminder dispatch completed within two of its intervals.

    The dispatcher runs on a worker, so a fresh heartbeat also shows that beat, the broker and at
    least one worker are working together.
    """

    def run(self) -> None:
        interval = settings.REMINDER_DISPATCH_EVERY_SECONDS
        try:
            # The check runs in a thread of its own: close the connection it opened, as
            # django-health-check's database check does, rather than leave one per thread.
            with connection.temporary_connection():
                last = (
                    Heartbeat.objects.filter(name=REMINDER_DISPATCH)
                    .values_list("at", flat=True)
                    .first()
                )
        except DatabaseError as exc:
            raise ServiceUnavailable("cannot read the last dispatch from the database") from exc
        if last is None:
            raise ServiceUnavailable("no reminder dispatch has completed yet")
        age = (timezone.now() - last).total_seconds()
        if age > 2 * interval:
            raise ServiceUnavailable(
                f"last reminder dispatch completed {age:.0f} s ago; beat runs it every {interval} s"
            )


def readiness_checks() -> dict[str, HealthCheck]:
    """The checks of one probe by the name /readyz reports them under (part of its contract)."""
    return {
        "database": Database(),
        "cache": Cache(),
        "broker": Broker(),
        "beat": ReminderDispatch(),
    }


# Our own checks' messages name no host, port or credential, so they may go to the public;
# django-health-check's carry driver text (e.g. the database host), which stays in the log.
PUBLIC_DETAIL = (Broker, ReminderDispatch)
