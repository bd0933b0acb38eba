"""Reminder delivery services: find what is due, record it once, send it once.

The (enrolment, kind, week) unique constraint on ReminderDelivery is what makes every step safe to
repeat: two dispatches, two beats or a redelivered task can only ever find the same row, and the
send locks that row and re-checks it is still pending before talking to the SMTP server.
"""

import datetime
import logging
import smtplib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import DeliveryStatus, Enrolment, EnrolmentStatus, ReminderDelivery, ReminderKind
from .reminder_mail import (
    chunk_shared,
    reminder_message,
    unsubscribe_token_make,
    unsubscribe_token_verify,
)
from .reminders import due_reminders, is_eligible

__all__ = [
    "DeliveryDeferred",
    "deliveries_send",
    "delivery_retry",
    "delivery_send",
    "enrolment_resubscribe",
    "enrolment_unsubscribe",
    "reminder_dispatch",
    "reminders_on_enrolment_created",
    "reminders_on_plan_changed",
    "unsubscribe_token_make",
    "unsubscribe_token_verify",
]

logger = logging.getLogger(__name__)

# The longest plan a guide may have (52 weeks) plus the closing e-mail's grace week: an enrolment
# that started earlier than this can owe nothing, so the dispatch query never reads it.
OLDEST_START = datetime.timedelta(weeks=54)
# A pending row untouched this long lost its task (e.g. the process died between commit and
# enqueue): the dispatch queues it again. Longer than the whole retry schedule, so a row that is
# only waiting for its next retry is left alone.
STALE_PENDING = datetime.timedelta(hours=2)


class DeliveryDeferred(Exception):
    """Sending failed for now; the task should retry after `countdown` seconds."""

    def __init__(self, message: str, *, countdown: float) -> None:
        super().__init__(message)
        self.countdown = countdown


@dataclass
class DispatchResult:
    examined: int = 0
    created: int = 0
    queued: int = 0


def queue_sends(delivery_ids: Iterable[int]) -> None:
    """Enqueue the sends once the rows are committed, in chunks that share one SMTP connection."""
    from .tasks import send_reminder_task, send_reminders_task

    ids = list(delivery_ids)
    if not ids:
        return
    size = settings.REMINDER_SEND_CHUNK_SIZE

    def enqueue() -> None:
        if len(ids) == 1:
            send_reminder_task.delay(ids[0])
            return
        for start in range(0, len(ids), size):
            send_reminders_task.delay(ids[start : start + size])

    transaction.on_commit(enqueue)


def due_enrolments(now: datetime.datetime) -> QuerySet[Enrolment]:
    """Enrolments that may owe a reminder: eligible people, plans not long over."""
    return Enrolment.objects.filter(
        status=EnrolmentStatus.ACTIVE,
        reminders_enabled=True,
        user__is_active=True,
        user__reminders_enabled=True,
        user__email_confirmed_at__isnull=False,
        # Day one may be "tomorrow" in UTC while already today in Kiritimati (UTC+14).
        start_date__lte=(now + datetime.timedelta(days=1)).date(),
        start_date__gte=(now - OLDEST_START).date(),
    ).select_related("user", "guide")


def reminder_dispatch(*, now: datetime.datetime, batch_size: int = 500) -> DispatchResult:
    """Record every reminder due at `now` and queue its send.

    Reads enrolments in batches by primary key (keyset pagination), so memory stays flat however
    many candidates there are, and each batch commits on its own.
    """
    result = DispatchResult()
    last_id = 0
    while True:
        batch = list(due_enrolments(now).filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if not batch:
            break
        last_id = batch[-1].pk
        result.examined += len(batch)
        with transaction.atomic():
            created, queued = dispatch_batch(batch, now)
        result.created += created
        result.queued += queued
    result.queued += requeue_stale(now=now, limit=batch_size)
    logger.info(
        "Reminder dispatch: %s enrolments examined, %s deliveries created, %s sends queued",
        result.examined,
        result.created,
        result.queued,
    )
    return result


def dispatch_batch(batch: list[Enrolment], now: datetime.datetime) -> tuple[int, int]:
    owed = {
        (enrolment.pk, due.kind, due.week): due
        for enrolment in batch
        for due in due_reminders(enrolment, now)
    }
    if not owed:
        return 0, 0
    enrolment_ids = {key[0] for key in owed}
    existing = set(
        ReminderDelivery.objects.filter(enrolment_id__in=enrolment_ids).values_list(
            "enrolment_id", "kind", "week"
        )
    )
    missing = [key for key in owed if key not in existing]
    # ignore_conflicts: a second dispatch running at the same moment may insert the same rows;
    # the unique constraint keeps one and this insert quietly skips it.
    ReminderDelivery.objects.bulk_create(
        [
            ReminderDelivery(
                enrolment_id=eid, kind=kind, week=week, due_at=owed[eid, kind, week].due_at
            )
            for eid, kind, week in missing
        ],
        ignore_conflicts=True,
    )
    # Queue what this dispatch found missing. If the other dispatch queued the same rows, the send
    # task's row lock and status check make the duplicate a no-op.
    wanted = set(missing)
    new_ids = [
        pk
        for pk, eid, kind, week in ReminderDelivery.objects.filter(
            enrolment_id__in=enrolment_ids, status=DeliveryStatus.PENDING, attempts=0
        ).values_list("pk", "enrolment_id", "kind", "week")
        if (eid, kind, week) in wanted
    ]
    queue_sends(new_ids)
    return len(missing), len(new_ids)


def requeue_stale(*, now: datetime.datetime, limit: int) -> int:
    """Queue again pending deliveries whose task was lost, while they are still relevant."""
    with transaction.atomic():
        stale = list(
            ReminderDelivery.objects.filter(
                status=DeliveryStatus.PENDING,
                updated_at__lt=now - STALE_PENDING,
                due_at__gt=now - datetime.timedelta(days=7),
            )
            .order_by("due_at")
            .values_list("pk", flat=True)[:limit]
        )
        # Touch them so the next dispatch does not queue them again while these tasks run.
        ReminderDelivery.objects.filter(pk__in=stale).update(updated_at=now)
        queue_sends(stale)
    return len(stale)


def later_deliveries() -> QuerySet[ReminderDelivery]:
    """The same enrolment's later weekly or closing deliveries: the outer row's week is over."""
    return ReminderDelivery.objects.filter(enrolment_id=OuterRef("enrolment_id")).filter(
        Q(kind=ReminderKind.WEEK, week__gt=OuterRef("week")) | Q(kind=ReminderKind.FINAL)
    )


def locked_pending(delivery_id: int) -> ReminderDelivery | None:
    """The pending delivery, row-locked for this transaction; None if another worker has it.

    `superseded` says whether a later week's reminder or the closing e-mail is already owed,
    i.e. this delivery's study week is over.
    """
    qs = (
        ReminderDelivery.objects.select_related(
            "enrolment__user", "enrolment__guide", "enrolment__region"
        )
        .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .annotate(superseded=Exists(later_deliveries()))
    )
    if connection.features.has_select_for_update_skip_locked:
        # skip_locked: a duplicate of a task already sending this row gives up at once instead
        # of waiting and then finding it sent.
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.first()


def retry_countdown(attempt: int) -> float:
    """Exponential backoff, capped below the broker's visibility timeout (celery#2599)."""
    base = settings.REMINDER_RETRY_BASE_SECONDS
    return min(base * 2 ** (attempt - 1), settings.REMINDER_RETRY_MAX_SECONDS)


def delivery_send(*, delivery_id: int, connection=None, shared: dict | None = None) -> str:
    """Send one pending delivery and mark it sent, at most once.

    Returns "sent", "skipped" (already sent, being sent, gone), "expired" (its study week is
    over) or "failed" (out of attempts).
    Raises DeliveryDeferred when the SMTP server refused it and another attempt is due.
    """
    max_attempts = settings.REMINDER_MAX_ATTEMPTS
    with transaction.atomic():
        delivery = locked_pending(delivery_id)
        if delivery is None:
            return "skipped"
        if not is_eligible(delivery.enrolment):
            # Unsubscribed, paused or left since it was queued: nothing is owed any more. The row
            # goes, so a later dispatch can owe it again if the candidate turns reminders back on.
            delivery.delete()
            return "skipped"
        if delivery.kind == ReminderKind.WEEK and delivery.superseded:
            # Its task waited past the end of the week (workers down while beat kept dispatching,
            # or a long retry): sent now, it would arrive beside the current week's reminder.
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = (
                f"Not sent: study week {delivery.week} was over before it could be sent."
            )
            delivery.save(update_fields=["last_error", "status", "updated_at"])
            return "expired"
        delivery.attempts += 1
        message = reminder_message(delivery, connection=connection, shared=shared)
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            delivery.last_error = f"Attempt {delivery.attempts}: {exc}"[:2000]
            if delivery.attempts >= max_attempts:
                delivery.status = DeliveryStatus.FAILED
                delivery.save(update_fields=["attempts", "last_error", "status", "updated_at"])
                logger.warning("Reminder %s failed for good: %s", delivery_id, exc)
                return "failed"
            delivery.save(update_fields=["attempts", "last_error", "updated_at"])
            error = DeliveryDeferred(str(exc), countdown=retry_countdown(delivery.attempts))
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["attempts", "status", "sent_at", "updated_at"])
            return "sent"
    raise error


def open_quietly(connection) -> None:
    """Open the SMTP connection now; if that fails, each send opens its own and records why."""
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        connection.close()


def deliveries_send(*, delivery_ids: list[int]) -> Counter:
    """Send several deliveries over one SMTP connection, each locked and marked on its own.

    A delivery the server refuses is handed to its own retry task, so one bad mailbox never holds
    up the rest of the chunk. Returns how many ended up sent, skipped, failed or deferred.
    """
    from .tasks import send_reminder_task

    outcomes: Counter = Counter()
    shared = chunk_shared(delivery_ids)
    smtp = get_connection()
    open_quietly(smtp)
    try:
        for delivery_id in delivery_ids:
            try:
                outcome = delivery_send(delivery_id=delivery_id, connection=smtp, shared=shared)
                outcomes[outcome] += 1
            except DeliveryDeferred as exc:
                outcomes["deferred"] += 1
                send_reminder_task.apply_async((delivery_id,), countdown=exc.countdown)
                # A refusal can leave the SMTP session in any state: start the next one afresh.
                smtp.close()
                open_quietly(smtp)
    finally:
        smtp.close()
    return outcomes


def delivery_retry(*, delivery_ids: Iterable[int]) -> int:
    """Give failed deliveries a fresh set of attempts and queue them; returns how many.

    A weekly reminder whose study week is over is left failed: the send would refuse it anyway.
    """
    with transaction.atomic():
        ids = list(
            ReminderDelivery.objects.select_for_update()
            .filter(pk__in=list(delivery_ids), status=DeliveryStatus.FAILED)
            .exclude(Q(kind=ReminderKind.WEEK) & Exists(later_deliveries()))
            .values_list("pk", flat=True)
        )
        ReminderDelivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING, attempts=0, updated_at=timezone.now()
        )
        queue_sends(ids)
    return len(ids)


def reminders_on_enrolment_created(*, enrolment_id: int) -> bool:
    """Owe the welcome e-mail for a new enrolment and queue it once the enrolment is committed.

    Returns whether one was queued: nothing goes to unconfirmed addresses or people who turned
    reminders off, and re-enrolling never sends a second welcome.
    """
    enrolment = Enrolment.objects.select_related("user", "guide").get(pk=enrolment_id)
    # Enrolling again after leaving starts the plan afresh: weekly and closing e-mails of the
    # earlier run must not stand in for the new run's weeks.
    enrolment.deliveries.filter(kind__in=[ReminderKind.WEEK, ReminderKind.FINAL]).delete()
    if not is_eligible(enrolment):
        return False
    delivery, created = ReminderDelivery.objects.get_or_create(
        enrolment=enrolment,
        kind=ReminderKind.WELCOME,
        week=0,
        defaults={"due_at": timezone.now()},
    )
    if created:
        queue_sends([delivery.pk])
    return created


def reminders_on_plan_changed(*, enrolment_id: int, now: datetime.datetime | None = None) -> int:
    """Forget the weekly and closing e-mails of a plan's old timeline after it is re-planned.

    Re-planning renumbers the weeks: without this, the week that starts again today would count as
    already e-mailed, and the candidate would hear nothing for weeks. Returns how many went.
    """
    enrolment = Enrolment.objects.select_related("user", "guide").get(pk=enrolment_id)
    current = max(enrolment.week_on(enrolment.local_today(now)), 1)
    deleted, _ = enrolment.deliveries.filter(
        Q(kind=ReminderKind.WEEK, week__gte=current) | Q(kind=ReminderKind.FINAL)
    ).delete()
    return deleted


def enrolment_set_reminders(*, token: str, enabled: bool) -> Enrolment | None:
    """Switch reminders for the enrolment a signed token names; None if the token is bad."""
    enrolment_id = unsubscribe_token_verify(token=token)
    if enrolment_id is None:
        return None
    enrolment = Enrolment.objects.select_related("guide", "user").filter(pk=enrolment_id).first()
    if enrolment is None:
        return None
    if enrolment.reminders_enabled != enabled:
        enrolment.reminders_enabled = enabled
        enrolment.save(update_fields=["reminders_enabled", "updated_at"])
    return enrolment


def enrolment_unsubscribe(*, token: str) -> Enrolment | None:
    """Turn reminders off for the enrolment a signed unsubscribe token names."""
    return enrolment_set_reminders(token=token, enabled=False)


def enrolment_resubscribe(*, token: str) -> Enrolment | None:
    """Undo an unsubscribe from the same link, for someone who clicked it by mistake."""
    return enrolment_set_reminders(token=token, enabled=True)
