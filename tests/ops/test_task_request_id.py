"""A task queued during a request carries the request's id into the worker's log lines."""

import logging
import uuid

import pytest
from django.conf import settings
from django_guid import clear_guid, set_guid
from django_guid.log_filters import CorrelationId
from kombu import Connection

from ops.models import Heartbeat
from ops.services import REMINDER_DISPATCH
from prep.celery import app as celery_app
from reminders.tasks import dispatch_due_reminders_task
from tests.reminders.conftest import broker, wait_until  # noqa: F401 (broker is a fixture)


def broker_connection() -> Connection:
    return Connection(
        settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
    )


@pytest.mark.django_db
def test_a_task_queued_during_a_request_carries_its_id_in_the_message():
    request_id = uuid.uuid4().hex
    with broker_connection() as transport:
        waiting = transport.SimpleQueue(settings.CELERY_TASK_DEFAULT_QUEUE)
        set_guid(request_id)  # as the middleware does for the request that queues the task
        try:
            dispatch_due_reminders_task.apply_async(connection=transport)
        finally:
            clear_guid()
        message = waiting.get(timeout=10)
        headers = message.headers
        message.ack()
        waiting.close()
    assert headers["X-Request-ID"] == request_id


@pytest.fixture
def delivery_log():
    """Lines the reminder service logs, with the request id the production handler would add."""
    captured: list[logging.LogRecord] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(record)

    handler = Capture(level=logging.INFO)
    handler.addFilter(CorrelationId(correlation_id_field="request_id"))
    logger = logging.getLogger("reminders.delivery")
    saved = logger.level
    logger.setLevel(logging.INFO)
    # On the logger itself: a worker reconfigures the root logger's handlers when it starts.
    logger.addHandler(handler)
    yield captured
    logger.removeHandler(handler)
    logger.setLevel(saved)


@pytest.fixture
def worker(broker, django_db_blocker):  # noqa: F811 (the fixture imported above)
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connection, connections

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("a worker thread needs a database it can share: run on PostgreSQL, as CI")

    def close_connections(**kwargs) -> None:
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    with django_db_blocker.unblock():
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=[broker["queue"]]
        ) as running:
            yield running
    task_postrun.disconnect(close_connections)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_the_task_under_the_request_id_that_queued_it(worker, delivery_log):
    request_id = uuid.uuid4().hex
    set_guid(request_id)  # as the middleware does for the request that queues the task
    try:
        dispatch_due_reminders_task.delay()
    finally:
        clear_guid()
    wait_until(
        lambda: Heartbeat.objects.filter(name=REMINDER_DISPATCH).exists(),
        message="the dispatch to run on the worker",
    )
    [line] = [r for r in delivery_log if r.getMessage().startswith("Reminder dispatch:")]
    assert line.request_id == request_id


@pytest.mark.django_db
def test_a_task_beat_started_gets_an_id_of_its_own(delivery_log):
    dispatch_due_reminders_task.apply()
    dispatch_due_reminders_task.apply()
    ids = [r.request_id for r in delivery_log if r.getMessage().startswith("Reminder dispatch:")]
    assert len(ids) == 2 and all(ids) and ids[0] != ids[1]
