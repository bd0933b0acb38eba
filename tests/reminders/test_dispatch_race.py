"""Two beats dispatching at the same moment on PostgreSQL still send each e-mail once."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from reminders.delivery import reminder_dispatch
from reminders.models import DeliveryStatus, ReminderDelivery
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import SPRING_MONDAY, utc

pytestmark = pytest.mark.django_db(transaction=True)

CANDIDATES = 30


def test_two_dispatches_at_the_same_moment_send_each_reminder_once(
    guide, eager_celery, settings, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks and concurrent transactions: run with DATABASE_URL (CI does)")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    emails = [f"race{n}@example.com" for n in range(CANDIDATES)]
    for email in emails:
        EnrolmentFactory(
            user=UserFactory(email=email, time_zone="Europe/London"),
            guide=guide,
            start_date=SPRING_MONDAY,
        )
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    # The worst interleaving, every time: both have read which deliveries exist (none) before
    # either inserts its first batch.
    insert = ReminderDelivery.objects.bulk_create
    both_read = threading.Barrier(2, timeout=10)
    waited = threading.local()

    def insert_together(*args, **kwargs):
        if not getattr(waited, "done", False):
            waited.done = True
            both_read.wait()
        return insert(*args, **kwargs)

    monkeypatch.setattr(ReminderDelivery.objects, "bulk_create", insert_together)

    def beat() -> None:
        try:
            start.wait()
            reminder_dispatch(now=utc(2026, 3, 23, 12), batch_size=7)
        except BaseException as exc:  # reported by the assert below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(emails)
    assert ReminderDelivery.objects.count() == CANDIDATES
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
