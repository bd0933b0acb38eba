"""Celery tasks for study reminders: a periodic dispatcher and one small send task per e-mail.

Reminders are never scheduled days ahead with eta/countdown: on Redis a countdown longer than the
visibility timeout is delivered again (celery#2599). Beat runs the dispatcher every few minutes
instead, and the dispatcher works out what is due from the database.

The tasks keep the names they were registered under in studyplan/ (`name=`): beat schedules and
messages already queued in Redis name a task by that string, and a renamed task would be refused
by the worker as unregistered and its e-mail lost until the dispatcher's lease ran out.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from ops.services import reminder_dispatch_completed

from .delivery import (
    DeliveryDeferred,
    deliveries_send,
    delivery_send,
    reminder_dispatch,
    with_reconnect,
)

logger = logging.getLogger(__name__)


@shared_task(
    name="studyplan.tasks.dispatch_due_reminders_task",
    ignore_result=True,
    # A dispatch that overruns the next beat tick is cut short rather than piling up; the next
    # one picks up where it stopped, since every step is idempotent.
    soft_time_limit=240,
    time_limit=300,
)
def dispatch_due_reminders_task() -> None:
    # The worker reuses its database connection across tasks: if the server dropped it since,
    # the dispatch reconnects rather than waiting for the next beat.
    with_reconnect(
        lambda: reminder_dispatch(
            now=timezone.now(), batch_size=settings.REMINDER_DISPATCH_BATCH_SIZE
        )
    )
    reminder_dispatch_completed()  # /readyz reports beat as stale when this stops


@shared_task(
    name="studyplan.tasks.send_reminder_task",
    bind=True,
    ignore_result=True,
    # Acked only once it returns, and requeued if the worker dies mid-send: the claim in
    # delivery_send turns the second run into a no-op when the first one got that far.
    acks_late=True,
    reject_on_worker_lost=True,
    # The service counts attempts in the database and marks the row failed itself (settings
    # REMINDER_MAX_ATTEMPTS); this bound is only a backstop.
    max_retries=10,
    # Below the claim lease: a claim older than the lease can only be a dead worker's.
    soft_time_limit=settings.REMINDER_SEND_TIME_LIMIT - 30,
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
)
def send_reminder_task(self, delivery_id: int) -> str:
    try:
        return delivery_send(delivery_id=delivery_id)
    except DeliveryDeferred as exc:
        logger.info("Reminder %s deferred %.1fs: %s", delivery_id, exc.countdown, exc)
        raise self.retry(countdown=exc.countdown, exc=exc) from exc


@shared_task(
    name="studyplan.tasks.send_reminders_task",
    ignore_result=True,
    # As above: a chunk cut short by a dying worker runs again, and the deliveries it had already
    # claimed or sent are skipped.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REMINDER_SEND_TIME_LIMIT - 30,
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
)
def send_reminders_task(delivery_ids: list[int]) -> None:
    deliveries_send(delivery_ids=delivery_ids)
