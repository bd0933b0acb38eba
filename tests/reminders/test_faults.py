"""Reminders under faults, with a real worker process, Redis, PostgreSQL and SMTP server.

- Redis restarted without persistence mid-batch: the queued sends vanish with it; the next
  dispatch after the queue lease queues every pending delivery again, and each arrives once.
- The worker's PostgreSQL connections terminated (pg_terminate_backend) mid-batch, once while the
  SMTP server holds an e-mail: the worker reconnects, marks the accepted e-mail sent and carries
  on; nothing stays pending and nothing goes out twice, with no further dispatch.
- The broker unreachable while a candidate enrols: the enrolment succeeds, and the welcome e-mail
  goes out with the first dispatch once Redis is back.

Only this test's own redis-server is restarted, and only backends of this test's own database are
terminated.
"""

import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prep.celery import app as celery_app
from reminders.delivery import reminder_dispatch
from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import SPRING_MONDAY, reset_broker_state, start_worker_process, stop, utc, wait_until
from .smtp import RecordingHandler, SMTPServer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WEEK_2 = utc(2026, 3, 30, 12)
QUEUE_LEASE = 2  # seconds, for the dispatcher in this process; 180 in production


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the worker runs in another process, and these faults are PostgreSQL's; "
            "run with DATABASE_URL set to PostgreSQL, as CI does"
        )


@pytest.fixture
def on_own_redis(broker, own_redis):
    """This process's Celery app and the worker, both on the test's own redis-server."""
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = own_redis.url
    reset_broker_state()
    yield {**broker, "url": own_redis.url}
    celery_app.conf.broker_url = saved
    reset_broker_state()


def candidates(guide, count: int, prefix: str) -> list[str]:
    emails = [f"{prefix}{n}@example.com" for n in range(count)]
    for email in emails:
        EnrolmentFactory(user=UserFactory(email=email), guide=guide, start_date=SPRING_MONDAY)
    return emails


def received_once_each(handler: RecordingHandler, emails: list[str]) -> bool:
    return sorted(m["To"] for m in handler.messages) == sorted(emails)


def all_sent(count: int) -> bool:
    return ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).count() == count


def terminate_worker_connections() -> int:
    """Drop every other connection to this test's database, as a failover or restart would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_redis_restarted_mid_batch_every_reminder_arrives_once(
    on_own_redis, own_redis, guide, tmp_path, settings
):
    settings.REMINDER_SEND_CHUNK_SIZE = 4
    settings.REMINDER_QUEUE_LEASE_SECONDS = QUEUE_LEASE
    emails = candidates(guide, 40, "restart")
    handler = RecordingHandler(delay=0.05)
    with SMTPServer(handler) as server:
        worker = start_worker_process(on_own_redis, server.port, "restart", tmp_path / "w.log")
        try:
            reminder_dispatch(now=WEEK_2)
            handler.wait_for(6, timeout=90)
            own_redis.restart()  # the queue and the unacknowledged tasks are gone
            back = time.monotonic()

            # What the worker had in hand still goes out; the rest waits for the dispatcher.
            time.sleep(QUEUE_LEASE + 1)
            lost = ReminderDelivery.objects.filter(status=DeliveryStatus.PENDING).count()
            assert 0 < lost < 40 - 6

            result = reminder_dispatch(now=WEEK_2)  # beat's next tick
            assert result.created == 0 and result.queued >= lost
            wait_until(lambda: all_sent(40), timeout=60, message="every delivery sent")
            recovered = time.monotonic() - back
        finally:
            stop(worker)

    assert received_once_each(handler, emails), (tmp_path / "w.log").read_text()[-3000:]
    assert recovered < 30


def test_database_connections_terminated_mid_batch_lose_and_repeat_nothing(
    broker, guide, tmp_path, settings
):
    settings.REMINDER_SEND_CHUNK_SIZE = 5
    emails = candidates(guide, 30, "dbdrop")
    held = 8
    handler = RecordingHandler(hold_at=held, delay=0.02)
    with SMTPServer(handler) as server:
        worker = start_worker_process(broker, server.port, "dbdrop", tmp_path / "w.log")
        try:
            reminder_dispatch(now=WEEK_2)
            # Generous: the worker starts in a process of its own on a busy CI machine.
            assert handler.holding.wait(timeout=90), (tmp_path / "w.log").read_text()

            # The SMTP server has the e-mail and has not answered: the worker holds no
            # transaction (and no row lock) meanwhile, so there is nothing to roll back.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state LIKE 'idle in transaction%%'"
                )
                assert cursor.fetchone()[0] == 0
            assert terminate_worker_connections() >= 1
            handler.release()  # 250: the worker must reconnect to mark it sent

            handler.wait_for(held + 7, timeout=30)
            terminate_worker_connections()  # and again, at whatever it is doing

            wait_until(lambda: all_sent(30), timeout=60, message="every delivery marked sent")
        finally:
            stop(worker)

    log = (tmp_path / "w.log").read_text()
    assert received_once_each(handler, emails), log[-3000:]
    assert sum(handler.attempts.values()) == 30
    assert "reconnecting" in log
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {1}


def test_welcome_queued_while_redis_is_down_arrives_once_redis_is_back(
    on_own_redis, own_redis, alice, guide, tmp_path, settings
):
    own_redis.stop()
    client = Client()
    client.force_login(alice)

    response = client.post(
        reverse("studyplan:enrol", kwargs={"guide_slug": guide.slug}),
        {"start_date": timezone.localdate().isoformat()},
    )

    assert response.status_code == 302
    welcome = ReminderDelivery.objects.get(kind=ReminderKind.WELCOME)
    assert (welcome.status, welcome.queued_at) == (DeliveryStatus.PENDING, None)

    own_redis.start()
    handler = RecordingHandler()
    with SMTPServer(handler) as server:
        worker = start_worker_process(on_own_redis, server.port, "welcome", tmp_path / "w.log")
        try:
            reminder_dispatch(now=timezone.now())
            messages = handler.wait_for(1, timeout=90)
            wait_until(lambda: all_sent(1), message="the welcome marked sent")
        finally:
            stop(worker)

    assert [m["To"] for m in messages] == ["alice@example.com"]
    assert messages[0]["Subject"].startswith("Welcome to your")
