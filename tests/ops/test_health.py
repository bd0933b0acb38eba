"""/healthz and /readyz as a load balancer and an operator see them.

/readyz runs its checks in threads with their own database connections, so these tests commit
their rows (transactional_db) for those connections to see them.
"""

import datetime
import socket

import pytest
from django.utils import timezone

from ops.services import REMINDER_DISPATCH, heartbeat_record

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def beat_fresh(settings):
    heartbeat_record(name=REMINDER_DISPATCH, at=timezone.now() - datetime.timedelta(seconds=30))


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_ok_when_every_dependency_answers(client, beat_fresh):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert set(body["checks"]) == {"database", "cache", "broker", "beat"}
    assert all(check == {"status": "ok"} for check in body["checks"].values())


def test_readyz_is_unavailable_when_beat_has_not_dispatched_for_two_intervals(client, settings):
    settings.REMINDER_DISPATCH_EVERY_SECONDS = 300
    heartbeat_record(name=REMINDER_DISPATCH, at=timezone.now() - datetime.timedelta(seconds=601))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["beat"]
    assert "every 300 s" in body["checks"]["beat"]["detail"]
    assert body["checks"]["database"] == {"status": "ok"}


def test_readyz_accepts_a_dispatch_within_two_intervals(client, settings):
    settings.REMINDER_DISPATCH_EVERY_SECONDS = 300
    heartbeat_record(name=REMINDER_DISPATCH, at=timezone.now() - datetime.timedelta(seconds=590))
    assert client.get("/readyz").status_code == 200


def test_readyz_is_unavailable_before_the_first_dispatch(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["beat"] == {
        "status": "unavailable",
        "detail": "no reminder dispatch has completed yet",
    }


def test_the_dispatcher_task_records_the_heartbeat_readyz_reads(client, settings):
    from reminders.tasks import dispatch_due_reminders_task

    assert client.get("/readyz").status_code == 503
    dispatch_due_reminders_task.apply()
    assert client.get("/readyz").status_code == 200


def test_readyz_is_unavailable_when_the_broker_refuses_connections(client, settings, beat_fresh):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"]["detail"] == "cannot connect to the Celery broker"


def test_readyz_is_unavailable_when_the_cache_fails(client, settings, beat_fresh):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_probes_answer_a_load_balancer_that_sends_its_own_address_over_plain_http(
    client, settings, beat_fresh
):
    # Production: only the public host name is allowed and plain HTTP is redirected to HTTPS,
    # yet a probe addressed to the process's IP must get a real answer.
    settings.ALLOWED_HOSTS = ["prep.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.3.17:8000")
        assert response.status_code == 200, (path, response.status_code)
    assert client.get("/", HTTP_HOST="10.0.3.17:8000").status_code == 400


def test_probes_set_no_cookie_and_are_never_served_from_the_page_cache(client, settings):
    settings.REMINDER_DISPATCH_EVERY_SECONDS = 300
    first = client.get("/readyz")
    assert first.status_code == 503
    heartbeat_record(name=REMINDER_DISPATCH)
    second = client.get("/readyz")
    assert second.status_code == 200
    for response in (first, second, client.get("/healthz")):
        assert not response.cookies
        assert "Content-Security-Policy" not in response


def test_probes_are_not_throttled(client, settings, beat_fresh):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute"},
    }
    statuses = {client.get("/healthz").status_code for _ in range(30)}
    statuses |= {client.get("/readyz").status_code for _ in range(5)}
    assert statuses == {200}


def test_probes_only_answer_reads(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.head("/healthz").status_code == 200
