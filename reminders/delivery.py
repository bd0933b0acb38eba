"""Reminder delivery services: find what is due, record it once, send it once, lose none.

The (enrolment, kind, week) unique constraint on ReminderDelivery is what makes every step safe to
repeat: two dispatches, two beats or a redelivered task can only ever find the same row. The row is
also the outbox: it is written in the same transaction as whatever made the e-mail due, and the
broker only carries a hint to send it. A send first claims the row in its own committed step
(status "sending", a claim token), talks to the SMTP server outside any transaction, then marks it
sent, reconnecting to the database if it must. Whatever the broker or a worker loses (a queue gone
with a Redis restart, a task never queued, a claim held by a dead worker) the dispatcher finds
again by its lease and queues again; a duplicate task finds the row claimed or sent and does
nothing.
"""

import datetime
import logging
import smtplib
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from studyplan.models import EVE_WINDOW, Enrolment, EnrolmentStatus

from .digest import ChunkData
from .due import due_reminders, is_eligible
from .eve import booking_for, eve_dispatch
from .mail import (
    chunk_shared,
    reminder_message,
    unsubscribe_token_make,
    unsubscribe_token_verify,
)
from .models import DeliveryStatus, ReminderDelivery, ReminderKind

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
# A pending delivery older than this is no longer worth queueing again: the dispatcher stops
# looking at it (a weekly one is refused at send time long before, its week being over).
REQUEUE_HORIZON = datetime.timedelta(days=7)


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
    """Queue the sends once the rows are committed, in chunks that share one SMTP connection.

    The caller has set the rows' `queued_at` in its transaction. Queueing never fails the caller:
    when the broker is down, the deliveries stay pending with no queue time and the next dispatch
    queues them (see `ReminderDeliveryQuerySet.lost`).
    """
    ids = list(delivery_ids)
    if ids:
        transaction.on_commit(lambda: enqueue_sends(ids))


def enqueue_sends(ids: list[int]) -> None:
    from .tasks import send_reminder_task, send_reminders_task

    size = settings.REMINDER_SEND_CHUNK_SIZE
    unqueued: list[int] = []
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        try:
            # retry=False: the dispatcher is the retry. Kombu's own would hold a web request for
            # seconds per chunk while the broker is down, to the same end.
            if len(chunk) == 1:
                send_reminder_task.apply_async((chunk[0],), retry=False)
            else:
                send_reminders_task.apply_async((chunk,), retry=False)
        except Exception as exc:  # noqa: BLE001 - whatever the transport raises, the row keeps it
            logger.warning(
                "Could not queue reminder deliveries %s (%s: %s); the next dispatch queues them",
                chunk,
                type(exc).__name__,
                exc,
            )
            unqueued.extend(chunk)
    if unqueued:
        forget_queued(unqueued)


def forget_queued(ids: list[int]) -> None:
    """Mark deliveries as never queued, so the next dispatch queues them without waiting a lease."""
    try:
        ReminderDelivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
            queued_at=None
        )
    except DatabaseError as exc:
        # Their queue time stays: the dispatcher takes them after the queue lease instead.
        logger.warning("Could not mark reminder deliveries %s as unqueued: %s", ids, exc)


def with_reconnect(step, *, seconds: float | None = None):
    """Run a database step, reconnecting and running it again while the connection is lost.

    For steps that are safe to repeat (a claim, a mark) and run outside any transaction: after a
    database restart, a failover or a terminated backend, Django's connection is dead until it is
    closed and opened again. Gives up after `seconds` (REMINDER_DB_RETRY_SECONDS).
    """
    deadline = time.monotonic() + (
        settings.REMINDER_DB_RETRY_SECONDS if seconds is None else seconds
    )
    pause = 0.1
    while True:
        try:
            return step()
        except (OperationalError, InterfaceError) as exc:
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning("Database connection lost (%s); reconnecting", str(exc).strip())
            try:
                connection.close()
            except DatabaseError:
                pass
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


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
    eve_ids = eve_dispatch(now=now)
    queue_sends(eve_ids)
    result.created += len(eve_ids)
    result.queued += len(eve_ids)
    requeued = requeue_lost(now=now, batch_size=batch_size)
    result.queued += requeued
    logger.info(
        "Reminder dispatch: %s enrolments examined, %s deliveries created, %s sends queued "
        "(%s of them queued again: their task was lost)",
        result.examined,
        result.created,
        result.queued,
        requeued,
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
    queued_at = timezone.now()
    ReminderDelivery.objects.bulk_create(
        [
            ReminderDelivery(
                enrolment_id=eid,
                kind=kind,
                week=week,
                due_at=owed[eid, kind, week].due_at,
                queued_at=queued_at,
            )
            for eid, kind, week in missing
        ],
        ignore_conflicts=True,
    )
    # Queue what this dispatch found missing. If the other dispatch queued the same rows, the send
    # task's claim makes the duplicate a no-op.
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


def requeue_lost(*, now: datetime.datetime, batch_size: int) -> int:
    """Queue again every delivery whose send task was lost, in batches until none is left.

    Leases are measured on the real clock, whatever `now` the dispatch computes due times for.
    Keyset pagination by primary key: a delivery the broker refuses again is not read twice in
    one dispatch.
    """
    clock = timezone.now()
    lost = ReminderDelivery.objects.lost(now=clock).filter(due_at__gt=now - REQUEUE_HORIZON)
    total, last_id = 0, 0
    while True:
        with transaction.atomic():
            batch = lost.filter(pk__gt=last_id).order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                # A row a worker is claiming right now is its business; the next dispatch sees
                # how that ended.
                batch = batch.select_for_update(skip_locked=True)
            ids = list(batch.values_list("pk", flat=True)[:batch_size])
            if not ids:
                return total
            # A stale claim is void from now on: the dead worker never got a 250 for it (or
            # the rule in the README accepts the one duplicate). Restarting the queue lease
            # keeps the next dispatch away from these tasks while they wait for a worker.
            ReminderDelivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.PENDING, claim_token=None, queued_at=clock
            )
            queue_sends(ids)
        total += len(ids)
        last_id = ids[-1]


def later_deliveries() -> QuerySet[ReminderDelivery]:
    """The same enrolment's later weekly or closing deliveries: the outer row's week is over."""
    return ReminderDelivery.objects.filter(enrolment_id=OuterRef("enrolment_id")).filter(
        Q(kind=ReminderKind.WEEK, week__gt=OuterRef("week")) | Q(kind=ReminderKind.FINAL)
    )


def locked_claimable(delivery_id: int, token: uuid.UUID) -> ReminderDelivery | None:
    """The delivery if it may be claimed, row-locked for this transaction; else None.

    `superseded` says whether a later week's reminder or the closing e-mail is already owed,
    i.e. this delivery's study week is over.
    """
    qs = (
        ReminderDelivery.objects.claimable(now=timezone.now(), token=token)
        .select_related("enrolment__user", "enrolment__guide", "enrolment__region")
        .filter(pk=delivery_id)
        .annotate(superseded=Exists(later_deliveries()))
    )
    if connection.features.has_select_for_update_skip_locked:
        # skip_locked: a duplicate of a task claiming this row gives up at once instead of
        # waiting and then finding it claimed.
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.first()


def retry_countdown(attempt: int) -> float:
    """Exponential backoff, capped below the broker's visibility timeout (celery#2599)."""
    base = settings.REMINDER_RETRY_BASE_SECONDS
    return min(base * 2 ** (attempt - 1), settings.REMINDER_RETRY_MAX_SECONDS)


@dataclass
class Claim:
    """A delivery this worker holds, and the e-mail rendered for it."""

    delivery_id: int
    token: uuid.UUID
    attempt: int
    message: EmailMultiAlternatives


def delivery_claim(
    *, delivery_id: int, token: uuid.UUID, connection=None, shared: ChunkData | None = None
) -> Claim | str:
    """Claim a delivery for sending in one committed step, with its e-mail rendered.

    Returns the Claim, or why there is nothing to send: "skipped" (sent, claimed by a live
    worker, gone, or no longer wanted), "expired" (its study week is over) or "failed" (a dead
    worker's claim used up the last attempt).
    """
    with transaction.atomic():
        delivery = locked_claimable(delivery_id, token)
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
        if delivery.kind == ReminderKind.EVE:
            delivery.booking = booking_for(delivery)
            if delivery.booking is None:
                # The round's date was deleted or its result recorded since: nothing to say. The
                # row goes, so a round booked again can still get its eve e-mail.
                delivery.delete()
                return "skipped"
            if timezone.now() >= delivery.booking.eve_at + EVE_WINDOW:
                delivery.status = DeliveryStatus.FAILED
                delivery.last_error = "Not sent: by then it was the round's day."
                delivery.save(update_fields=["last_error", "status", "updated_at"])
                return "expired"
        if delivery.claim_token != token and delivery.attempts >= settings.REMINDER_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = (
                f"Attempt {delivery.attempts}: the worker stopped before the SMTP server answered."
            )
            delivery.save(update_fields=["last_error", "status", "updated_at"])
            return "failed"
        if delivery.claim_token != token:
            delivery.attempts += 1
        delivery.status = DeliveryStatus.SENDING
        delivery.claimed_at = timezone.now()
        delivery.claim_token = token
        # Rendered before the claim commits: an e-mail that cannot be built is never claimed.
        message = reminder_message(delivery, connection=connection, shared=shared)
        delivery.save(
            update_fields=["attempts", "status", "claimed_at", "claim_token", "updated_at"]
        )
    return Claim(delivery_id=delivery_id, token=token, attempt=delivery.attempts, message=message)


def claim_settle(claim: Claim, **fields) -> bool:
    """Record how this worker's claim ended, reconnecting to the database as long as it takes.

    Returns False when the claim was no longer this worker's (it outlived its lease).
    """

    held = ReminderDelivery.objects.filter(pk=claim.delivery_id, claim_token=claim.token)

    def write() -> int:
        return held.update(**fields, updated_at=timezone.now())

    if with_reconnect(write):
        return True
    logger.warning(
        "Reminder %s: its claim lapsed (held past REMINDER_CLAIM_LEASE_SECONDS) before it was "
        "marked %s; another worker may send it again",
        claim.delivery_id,
        fields.get("status"),
    )
    return False


def delivery_send(*, delivery_id: int, connection=None, shared: ChunkData | None = None) -> str:
    """Claim one delivery, send it and mark it sent, at most once.

    Returns "sent", "skipped" (already sent, being sent, gone), "expired" (its study week is
    over) or "failed" (out of attempts).
    Raises DeliveryDeferred when the SMTP server refused it and another attempt is due.
    """
    token = uuid.uuid4()
    # Safe to repeat with the same token: a claim whose commit was cut off is found again.
    claim = with_reconnect(
        lambda: delivery_claim(
            delivery_id=delivery_id, token=token, connection=connection, shared=shared
        )
    )
    if isinstance(claim, str):
        return claim
    # No transaction is open here: the SMTP conversation holds no row lock and no connection
    # state that a database restart could take away with the "sent" mark.
    try:
        claim.message.send()
    except (smtplib.SMTPException, OSError) as exc:
        error = f"Attempt {claim.attempt}: {exc}"[:2000]
        if claim.attempt >= settings.REMINDER_MAX_ATTEMPTS:
            claim_settle(claim, status=DeliveryStatus.FAILED, last_error=error)
            logger.warning("Reminder %s failed for good: %s", delivery_id, exc)
            return "failed"
        countdown = retry_countdown(claim.attempt)
        claim_settle(
            claim,
            status=DeliveryStatus.PENDING,
            last_error=error,
            claim_token=None,
            # The retry task runs then; the queue lease counts from there.
            queued_at=timezone.now() + datetime.timedelta(seconds=countdown),
        )
        raise DeliveryDeferred(str(exc), countdown=countdown) from exc
    claim_settle(claim, status=DeliveryStatus.SENT, sent_at=timezone.now())
    return "sent"


def open_quietly(connection) -> None:
    """Open the SMTP connection now; if that fails, each send opens its own and records why."""
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        connection.close()


def deliveries_send(*, delivery_ids: list[int]) -> Counter:
    """Send several deliveries over one SMTP connection, each claimed and marked on its own.

    A delivery the server refuses is handed to its own retry task, so one bad mailbox never holds
    up the rest of the chunk. Returns how many ended up sent, skipped, failed or deferred.
    """
    from .tasks import send_reminder_task

    outcomes: Counter = Counter()
    shared = with_reconnect(lambda: chunk_shared(delivery_ids))
    # Stop claiming well before the task's time limit, which could strike between a 250 and the
    # "sent" mark; what is left goes back to the queue as a chunk of its own.
    stop_claiming = time.monotonic() + settings.REMINDER_SEND_TIME_LIMIT / 2
    smtp = get_connection()
    open_quietly(smtp)
    try:
        for position, delivery_id in enumerate(delivery_ids):
            if position and time.monotonic() > stop_claiming:
                rest = delivery_ids[position:]
                logger.info("Reminder chunk out of time: %s deliveries queued again", len(rest))
                with_reconnect(
                    lambda rest=rest: ReminderDelivery.objects.filter(
                        pk__in=rest, status=DeliveryStatus.PENDING
                    ).update(queued_at=timezone.now())
                )
                enqueue_sends(rest)
                outcomes["queued again"] += len(rest)
                break
            try:
                outcome = delivery_send(delivery_id=delivery_id, connection=smtp, shared=shared)
                outcomes[outcome] += 1
            except DeliveryDeferred as exc:
                outcomes["deferred"] += 1
                try:
                    send_reminder_task.apply_async((delivery_id,), countdown=exc.countdown)
                except Exception as queue_error:  # noqa: BLE001 - any transport error
                    # Its row says when the retry was due; the dispatcher queues it after that.
                    logger.warning(
                        "Could not queue the retry of reminder %s: %s", delivery_id, queue_error
                    )
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
        now = timezone.now()
        ReminderDelivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING, attempts=0, queued_at=now, updated_at=now
        )
        queue_sends(ids)
    return len(ids)


def reminders_on_enrolment_created(
    *, enrolment_id: int, now: datetime.datetime | None = None
) -> bool:
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
        # Due when they enrolled: the e-mail describes the plan as it stood then.
        defaults={"due_at": now or timezone.now(), "queued_at": timezone.now()},
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
    if switched := enrolment.set_reminders(enabled):
        enrolment.save(update_fields=[*switched, "updated_at"])
    return enrolment


def enrolment_unsubscribe(*, token: str) -> Enrolment | None:
    """Turn reminders off for the enrolment a signed unsubscribe token names."""
    return enrolment_set_reminders(token=token, enabled=False)


def enrolment_resubscribe(*, token: str) -> Enrolment | None:
    """Undo an unsubscribe from the same link, for someone who clicked it by mistake."""
    return enrolment_set_reminders(token=token, enabled=True)
