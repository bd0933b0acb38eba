"""The claim and lease rules that make a send happen once and never get lost.

A worker claims a delivery (status "sending") in its own committed step, talks to SMTP, then marks
it sent. A claim older than REMINDER_CLAIM_LEASE_SECONDS is a dead worker's: the dispatcher queues
it again and a worker sends it. A pending delivery queued longer ago than
REMINDER_QUEUE_LEASE_SECONDS (or never queued) lost its task and is queued again.
"""

import datetime
import smtplib
import uuid

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from reminders.delivery import (
    DeliveryDeferred,
    delivery_claim,
    delivery_send,
    with_reconnect,
)
from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import SPRING_MONDAY, utc

WEEK_1 = utc(2026, 3, 23, 12)


@pytest.fixture(autouse=True)
def leases(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REMINDER_QUEUE_LEASE_SECONDS = 180
    settings.REMINDER_CLAIM_LEASE_SECONDS = 300


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def week_1(enrolment, **fields) -> ReminderDelivery:
    return ReminderDelivery.objects.create(
        enrolment=enrolment, kind=ReminderKind.WEEK, week=1, due_at=utc(2026, 3, 23, 9), **fields
    )


def claimed(delivery: ReminderDelivery, seconds_ago: float) -> ReminderDelivery:
    """As if a worker had claimed it `seconds_ago` and not been heard of since."""
    ReminderDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING,
        claimed_at=ago(seconds_ago),
        claim_token=uuid.uuid4(),
        attempts=1,
        queued_at=ago(seconds_ago),
    )
    delivery.refresh_from_db()
    return delivery


@pytest.mark.django_db
def test_a_live_workers_claim_is_left_alone(alice_enrolment):
    delivery = claimed(week_1(alice_enrolment), seconds_ago=299)

    assert delivery_send(delivery_id=delivery.pk) == "skipped"

    assert mail.outbox == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENDING, 1)


@pytest.mark.django_db
def test_a_claim_older_than_the_lease_is_sent_again(alice_enrolment):
    delivery = claimed(week_1(alice_enrolment), seconds_ago=301)

    assert delivery_send(delivery_id=delivery.pk) == "sent"

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


@pytest.mark.django_db
def test_dispatch_queues_a_dead_workers_claim_after_the_lease_only(alice_enrolment, dispatch):
    delivery = claimed(week_1(alice_enrolment), seconds_ago=200)

    assert dispatch(WEEK_1).queued == 0
    assert mail.outbox == []

    claimed(delivery, seconds_ago=301)
    assert dispatch(WEEK_1).queued == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_delivery_the_broker_never_took_is_queued_by_the_next_dispatch(alice_enrolment, dispatch):
    delivery = week_1(alice_enrolment, queued_at=None)

    assert dispatch(WEEK_1).queued == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_every_lost_delivery_is_queued_in_one_dispatch_whatever_the_batch_size(
    guide, dispatch, django_capture_on_commit_callbacks
):
    deliveries = [
        week_1(
            EnrolmentFactory(
                user=UserFactory(email=f"lost{n}@example.com"),
                guide=guide,
                start_date=SPRING_MONDAY,
            ),
            queued_at=ago(181),
        )
        for n in range(7)
    ]

    result = dispatch(WEEK_1, batch_size=3)

    assert result.queued == 7
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        d.enrolment.user.email for d in deliveries
    )
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


@pytest.mark.django_db
def test_two_tasks_for_one_delivery_send_one_email(alice_enrolment):
    delivery = week_1(alice_enrolment)
    token = uuid.uuid4()
    claim = delivery_claim(delivery_id=delivery.pk, token=token)

    # The duplicate task (re-queued while the first was on its way) finds the row claimed.
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert mail.outbox == []
    # Claiming again with the same token (a retry after a cut-off commit) finds its own claim.
    assert delivery_claim(delivery_id=delivery.pk, token=token).attempt == claim.attempt == 1


@pytest.mark.django_db
def test_the_documented_window_a_worker_killed_between_the_250_and_the_mark(
    alice_enrolment, dispatch
):
    delivery = week_1(alice_enrolment)
    claim = delivery_claim(delivery_id=delivery.pk, token=uuid.uuid4())
    claim.message.send()  # the SMTP server said 250; the worker dies before marking it sent
    assert dispatch(WEEK_1).queued == 0  # within the lease nothing happens

    ReminderDelivery.objects.filter(pk=delivery.pk).update(claimed_at=ago(301))
    dispatch(WEEK_1)

    # The one duplicate the README owns up to.
    assert [m.to for m in mail.outbox] == [["alice@example.com"]] * 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


@pytest.mark.django_db
def test_a_refused_send_waits_for_its_retry_rather_than_the_dispatcher(
    alice_enrolment, dispatch, monkeypatch, settings
):
    settings.REMINDER_RETRY_BASE_SECONDS = 600
    delivery = week_1(alice_enrolment)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPDataError(451, b"Try again later")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(DeliveryDeferred):
        delivery_send(delivery_id=delivery.pk)
    monkeypatch.undo()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.claim_token) == (DeliveryStatus.PENDING, None)
    # Its retry is due in ten minutes: the next dispatches leave it to that task.
    assert delivery.queued_at > timezone.now() + datetime.timedelta(seconds=590)
    assert dispatch(WEEK_1).queued == 0


@pytest.mark.django_db(transaction=True)
def test_a_step_cut_off_by_a_lost_connection_runs_again_on_a_new_one():
    calls = []

    def step():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return "done"

    assert with_reconnect(step, seconds=5) == "done"
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_database_that_stays_away_is_reported_not_retried_forever():
    def step():
        raise OperationalError("could not connect to server")

    with pytest.raises(OperationalError):
        with_reconnect(step, seconds=0.3)


@pytest.mark.django_db
def test_a_chunk_out_of_time_queues_the_rest_instead_of_racing_its_time_limit(
    guide, eager_celery, settings
):
    from reminders.delivery import deliveries_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REMINDER_SEND_TIME_LIMIT = 0  # out of time as soon as the first e-mail is sent
    ids = [
        week_1(
            EnrolmentFactory(
                user=UserFactory(email=f"slow{n}@example.com"),
                guide=guide,
                start_date=SPRING_MONDAY,
            )
        ).pk
        for n in range(3)
    ]

    outcomes = deliveries_send(delivery_ids=ids)

    assert outcomes == {"sent": 1, "queued again": 2}
    # The rest went out through the chunk queued again, once each.
    assert sorted(m.to[0] for m in mail.outbox) == [f"slow{n}@example.com" for n in range(3)]
