"""Prometheus metrics: django-prometheus's request metrics plus reminder gauges.

Request metrics are counters kept in each process by django-prometheus's middleware. With several
gunicorn workers each has its own, so PROMETHEUS_MULTIPROC_DIR must name a directory the workers
share (prometheus_client's multiprocess mode) or every scrape reads one random worker.

Reminder gauges are different: they are computed from the database when Prometheus scrapes, so
every process gives the same, correct answer and nothing needs sharing.
"""

import logging
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric

from reminders.models import DeliveryStatus, ReminderDelivery

from .health import broker_queue_length

logger = logging.getLogger(__name__)


class ReminderCollector:
    """Reminder deliveries by status, what is due and unsent, and the broker's queue length."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        try:
            by_status = dict(
                ReminderDelivery.objects.order_by()
                .values_list("status")
                .annotate(count=Count("pk"))
                .values_list("status", "count")
            )
            due = ReminderDelivery.objects.filter(
                status=DeliveryStatus.PENDING, due_at__lte=now
            ).aggregate(count=Count("pk"), oldest=Min("due_at"))
        except DatabaseError:
            # Request metrics stay useful while the database is down; the missing series
            # (absent() in an alert) and /readyz say what is wrong.
            logger.warning("Reminder metrics skipped: the database did not answer", exc_info=True)
        else:
            deliveries = GaugeMetricFamily(
                "prep_reminder_deliveries",
                "Reminder e-mails recorded, by status (sent and failed only ever grow, except "
                "when an account is deleted).",
                labels=["status"],
            )
            for status in sorted({*DeliveryStatus.values, *by_status}):
                deliveries.add_metric([status], by_status.get(status, 0))
            yield deliveries
            yield GaugeMetricFamily(
                "prep_reminders_due",
                "Reminder e-mails whose time has come and that are not sent yet.",
                value=due["count"],
            )
            oldest = due["oldest"]
            yield GaugeMetricFamily(
                "prep_reminders_oldest_due_seconds",
                "How long the oldest unsent due reminder has been waiting (0 when none is).",
                value=(now - oldest).total_seconds() if oldest else 0,
            )
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        try:
            length = broker_queue_length(queue)
        except Exception:  # the transport's own errors: redis, OSError...
            logger.warning("Queue length skipped: the broker did not answer", exc_info=True)
        else:
            gauge = GaugeMetricFamily(
                "prep_celery_queue_length",
                "Tasks waiting in the Celery broker for a worker.",
                labels=["queue"],
            )
            gauge.add_metric([queue], length)
            yield gauge


def metrics_text() -> bytes:
    """Everything /metrics shows, in Prometheus's text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests_registry)
    else:
        requests_registry = REGISTRY
    # A registry of its own, built per scrape: registering with the global one would run the
    # collector (and query the database) at import time.
    reminders_registry = CollectorRegistry()
    reminders_registry.register(ReminderCollector())
    return generate_latest(requests_registry) + generate_latest(reminders_registry)
