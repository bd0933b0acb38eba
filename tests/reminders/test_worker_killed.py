"""A worker killed with SIGKILL in the middle of a batch: nothing lost, nothing sent twice.

The send task is acknowledged only after it returns (acks_late), so the task the dead worker was
running stays unacknowledged in Redis and is delivered again after the visibility timeout; the
row lock and the pending-status check make any redelivered task a no-op once its e-mail is sent.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from studyplan.delivery import reminder_dispatch
from studyplan.models import DeliveryStatus, ReminderDelivery
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import INTEGRATION_VISIBILITY_TIMEOUT, SPRING_MONDAY, utc, wait_until
from .smtp import RecordingHandler, SMTPServer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CANDIDATES = 8
HELD = 4  # the worker is killed while the SMTP server has not yet answered this e-mail


def database_url() -> str:
    db = connection.settings_dict  # the test database, e.g. test_prep_ci
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker_process(broker: dict, smtp_port: int, name: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": broker["url"],
        "CELERY_QUEUE": broker["queue"],
        "CELERY_KEY_PREFIX": broker["options"]["global_keyprefix"],
        "CELERY_VISIBILITY_TIMEOUT": str(INTEGRATION_VISIBILITY_TIMEOUT),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "SITE_URL": settings.SITE_URL,
    }
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "prep", "worker"),
            *("--pool", "solo", "--queues", broker["queue"], "--hostname", f"{name}@%h"),
            *("--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "INFO"),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
            first = start_worker_process(broker, server.port, "first", tmp_path / "first.log")
            workers.append(first)
            reminder_dispatch(now=utc(2026, 3, 30, 12))

            assert handler.holding.wait(timeout=30), (tmp_path / "first.log").read_text()
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            assert len(handler.messages) == HELD - 1

            # A replacement worker looks for unacknowledged tasks older than the visibility
            # timeout as it starts (and then every 100 s with kombu's defaults).
            time.sleep(INTEGRATION_VISIBILITY_TIMEOUT + 0.5)
            second = start_worker_process(broker, server.port, "second", tmp_path / "second.log")
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
    # The e-mail the first worker died on was tried twice, every other one once.
    assert sum(handler.attempts.values()) == CANDIDATES + 1
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {1}
