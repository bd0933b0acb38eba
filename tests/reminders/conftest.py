import datetime
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from kombu import pools as kombu_pools

from prep.celery import app as celery_app
from studyplan.models import Enrolment
from tests.factories import EnrolmentFactory, build_guide

# Monday 23 March 2026: Europe/London moves to summer time on Sunday 29 March, so week 2 of a plan
# starting today begins on the first Monday after the change.
SPRING_MONDAY = datetime.date(2026, 3, 23)


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Passwords play no part here; hashing one per candidate at full strength would dominate.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_celery():
    """Run queued tasks in-process at once, as if a worker picked them up immediately."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def guide(db):
    return build_guide(company="OKX", slug="okx-head-of-engineering", rounds=2, blocks=4)


@pytest.fixture
def alice_enrolment(alice, guide) -> Enrolment:
    return EnrolmentFactory(user=alice, guide=guide, start_date=SPRING_MONDAY)


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks, eager_celery, settings):
    """Run one dispatch at `now` and every send it queues, like beat plus a worker would."""
    from reminders.delivery import reminder_dispatch

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def run(now: datetime.datetime, batch_size: int = 100):
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_dispatch(now=now, batch_size=batch_size)

    return run


# --- Integration: a real broker (Redis), a real worker and a real SMTP server ---------------------

# Short, so a task whose worker was killed is delivered again within the test; every task here
# takes milliseconds, far below it.
INTEGRATION_VISIBILITY_TIMEOUT = 4


def reset_broker_state() -> None:
    """Forget pooled broker connections and cached routes so changed options take effect."""
    for attr in ("default_queue", "queues", "router"):
        celery_app.amqp.__dict__.pop(attr, None)
    celery_app.amqp._producer_pool = None
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    # Kombu keeps its pools in a process-wide registry keyed by broker URL: a pool closed above
    # would be handed out again ("Acquire on closed pool") once the URL is switched back.
    kombu_pools.reset()


@pytest.fixture(scope="session")
def broker():
    """This test session's own queue and Redis key prefix, removed afterwards.

    Another engineer's test run may use the same Redis database at the same time: with its own
    queue name and key prefix, neither run can take the other's tasks.
    """
    import uuid

    import redis
    from django.conf import settings

    if not settings.REDIS_URL:
        pytest.skip("integration tests need Redis: set REDIS_URL (CI sets it)")
    name = f"prep-test-{uuid.uuid4().hex[:12]}"
    conf = celery_app.conf
    saved = (conf.task_default_queue, conf.broker_transport_options)
    options = {
        **(conf.broker_transport_options or {}),
        "global_keyprefix": f"{name}:",
        "visibility_timeout": INTEGRATION_VISIBILITY_TIMEOUT,
        # Look for tasks of dead workers every second rather than every 10 x 10 s.
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    conf.task_default_queue = name
    conf.broker_transport_options = options
    reset_broker_state()
    yield {"queue": name, "url": settings.REDIS_URL, "options": options}
    conf.task_default_queue, conf.broker_transport_options = saved
    reset_broker_state()
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match=f"{name}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port, with Django's SMTP backend pointed at it."""
    from .smtp import RecordingHandler, SMTPServer

    handler = RecordingHandler()
    with SMTPServer(handler) as server:
        # Django's test runner swaps in the in-memory backend; these tests want the real one.
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 10
        yield handler


def wait_until(predicate, timeout: float = 20.0, message: str = "condition"):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict  # the test database, e.g. test_prep_ci
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker_process(
    broker: dict, smtp_port: int, name: str, log: Path, **extra_env: str
) -> subprocess.Popen:
    """`celery worker` in a process of its own, as in production, on this session's queue."""
    from django.conf import settings

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
        **extra_env,
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


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    from .smtp import OwnRedis

    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()
