"""A worker killed with SIGKILL in the middle of a batch: nothing lost, nothing sent twice.

The send task is acknowledged only after it returns (acks_late), so the task the dead worker was
running stays unacknowledged in Redis and is delivered again after the visibility timeout. The
delivery the worker had claimed but the SMTP server had not yet accepted is sent again once its
claim is older than the claim lease; the claim makes every other redelivered send a no-op.
"""

import signal
import time

import pytest
from django.db import connection

from reminders.delivery import reminder_dispatch
from reminders.models import DeliveryStatus, ReminderDelivery
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import (
    INTEGRATION_VISIBILITY_TIMEOUT,
    SPRING_MONDAY,
    start_worker_process,
    stop,
    utc,
    wait_until,
)
from .smtp import RecordingHandler, SMTPServer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CANDIDATES = 8
HELD = 4  # the worker is killed while the SMTP server has not yet answered this e-mail
CLAIM_LEASE = 3  # seconds; shorter than the visibility timeout, so the redelivered task takes it


def test_killed_worker_loses_nothing_and_duplicates_nothing(broker, guide, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip(
            "a worker in another process cannot open the in-memory SQLite test database; "
            "run with DATABASE_URL set to PostgreSQL, as CI does"
        )
    emails = [f"candidate{n}@example.com" for n in range(CANDIDATES)]
    for email in emails:
        EnrolmentFactory(user=UserFactory(email=email), guide=guide, start_date=SPRING_MONDAY)
    handler = RecordingHandler(hold_at=HELD)
    workers = []
    with SMTPServer(handler) as server:
        try:
            lease = {"REMINDER_CLAIM_LEASE_SECONDS": str(CLAIM_LEASE)}
            first = start_worker_process(
                broker, server.port, "first", tmp_path / "first.log", **lease
            )
            workers.append(first)
            reminder_dispatch(now=utc(2026, 3, 30, 12))

            assert handler.holding.wait(timeout=30), (tmp_path / "first.log").read_text()
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            assert len(handler.messages) == HELD - 1

            # A replacement worker looks for unacknowledged tasks older than the visibility
            # timeout as it starts (and then every 100 s with kombu's defaults).
            time.sleep(INTEGRATION_VISIBILITY_TIMEOUT + 0.5)
            second = start_worker_process(
                broker, server.port, "second", tmp_path / "second.log", **lease
            )
            workers.append(second)
            handler.wait_for(CANDIDATES, timeout=45)
            wait_until(
                lambda: (
                    ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).count()
                    == CANDIDATES
                ),
                message="every delivery marked sent",
            )
        finally:
            for worker in workers:
                stop(worker)

    assert sorted(m["To"] for m in handler.messages) == sorted(emails)
    # The e-mail the first worker died on was tried twice (its claim counted as an attempt),
    # every other one once.
    assert sum(handler.attempts.values()) == CANDIDATES + 1
    attempts = sorted(ReminderDelivery.objects.values_list("attempts", flat=True))
    assert attempts == [1] * (CANDIDATES - 1) + [2]
