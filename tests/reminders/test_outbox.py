"""Queueing never fails a request: the delivery row is the outbox, the broker only a hint.

The broker here is really unreachable: Celery points at a Redis port where nothing listens, or at
a filesystem queue folder that does not exist (`make run` without `var/broker/`).
"""

import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api_tokens import api_token_create
from prep.celery import app as celery_app
from reminders.delivery import reminder_dispatch
from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind
from studyplan.models import Enrolment

from .conftest import reset_broker_state
from .smtp import free_port

# The enrolment must commit for real, so its on_commit enqueue runs inside the request as in
# production, where a broker error used to turn the saved enrolment into a 500.
pytestmark = pytest.mark.django_db(transaction=True)


def point_broker_at(url: str, options: dict | None = None):
    saved = celery_app.conf.broker_url, celery_app.conf.broker_transport_options
    celery_app.conf.broker_url = url
    if options is not None:
        celery_app.conf.broker_transport_options = options
    reset_broker_state()
    return saved


@pytest.fixture
def broker_down():
    """Celery's broker is a Redis port with nothing listening: every publish is refused."""
    saved = point_broker_at(f"redis://127.0.0.1:{free_port()}/0")
    yield
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
    reset_broker_state()


@pytest.fixture
def missing_queue_folder(tmp_path):
    """`make run`'s filesystem broker, with its queue folder missing."""
    folder = str(tmp_path / "no-such-folder")
    saved = point_broker_at(
        "filesystem://",
        {"data_folder_in": folder, "data_folder_out": folder, "control_folder": folder},
    )
    yield
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
    reset_broker_state()


def enrol_on_the_page(client, user, guide):
    client.force_login(user)
    return client.post(
        reverse("studyplan:enrol", kwargs={"guide_slug": guide.slug}),
        {"start_date": timezone.localdate().isoformat()},
    )


def welcome_of(user) -> ReminderDelivery:
    return ReminderDelivery.objects.get(enrolment__user=user, kind=ReminderKind.WELCOME)


def test_enrolling_on_the_page_succeeds_while_the_broker_is_down(
    client, alice, guide, broker_down, caplog
):
    with caplog.at_level(logging.WARNING, logger="reminders.delivery"):
        response = enrol_on_the_page(client, alice, guide)

    assert response.status_code == 302
    assert response["Location"] == reverse("studyplan:dashboard")
    assert Enrolment.objects.filter(user=alice, guide=guide).exists()
    welcome = welcome_of(alice)
    assert (welcome.status, welcome.queued_at) == (DeliveryStatus.PENDING, None)
    # The operator can tell which e-mails wait for the dispatcher.
    assert f"Could not queue reminder deliveries [{welcome.pk}]" in caplog.text


def test_enrolling_over_the_api_succeeds_while_the_broker_is_down(alice, guide, broker_down):
    api = APIClient()
    _, key = api_token_create(user=alice, name="Tests")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.post("/api/v1/enrolments/", {"guide": guide.slug}, format="json")

    assert response.status_code == 201
    assert response.json()["guide"]["slug"] == guide.slug
    assert welcome_of(alice).status == DeliveryStatus.PENDING
    # Not "already enrolled": the first request did its job, so a client has nothing to retry.
    assert api.get("/api/v1/enrolments/").json()["count"] == 1


def test_enrolling_succeeds_when_the_filesystem_queue_folder_is_missing(
    client, bob, guide, missing_queue_folder
):
    response = enrol_on_the_page(client, bob, guide)

    assert response.status_code == 302
    assert welcome_of(bob).status == DeliveryStatus.PENDING


def test_the_next_dispatch_sends_the_welcome_once_the_broker_is_back(
    client, alice, guide, broker_down, eager_celery, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    celery_app.conf.task_always_eager = False
    enrol_on_the_page(client, alice, guide)
    assert mail.outbox == []

    celery_app.conf.task_always_eager = True  # the broker and a worker are back
    reminder_dispatch(now=timezone.now())
    reminder_dispatch(now=timezone.now())

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject.startswith("Welcome to your")
    assert welcome_of(alice).status == DeliveryStatus.SENT
