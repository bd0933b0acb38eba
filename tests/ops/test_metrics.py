"""/metrics: only for a scraper with the token; reminder gauges are counted from the database."""

import datetime
import re

import pytest
from django.utils import timezone
from kombu import Connection

from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind
from tests.factories import EnrolmentFactory, build_guide

from .test_health import closed_port

TOKEN = "a-metrics-token-that-is-long-enough-0123456789"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def sample(text: str, name: str, labels: str = "") -> float:
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.M)
    assert match, f"{name}{labels} not in the scrape"
    return float(match.group(1))


@pytest.mark.django_db
def test_metrics_do_not_exist_until_a_token_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Token {TOKEN}", "Bearer wrong", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}"],
)
def test_metrics_refuse_anyone_without_the_token(client, metrics_token, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = client.get("/metrics", **headers)
    assert response.status_code == 403
    assert b"django_http" not in response.content


@pytest.mark.django_db
def test_request_metrics_count_responses_by_view_and_status(client, metrics_token):
    def not_found_count() -> float:
        name = "django_http_responses_total_by_status_view_method_total"
        labels = '{method="GET",status="404",view="<unnamed view>"}'
        text = scrape(client)
        return sample(text, name, labels) if name + labels in text else 0.0

    before = not_found_count()
    client.get("/no-such-page/")
    client.get("/no-such-page/")
    assert not_found_count() - before == 2


@pytest.mark.django_db
def test_reminder_gauges_reflect_the_deliveries_in_the_database(client, metrics_token):
    guide = build_guide(company="OKX", slug="okx", rounds=1, blocks=4)
    now = timezone.now()
    enrolments = [EnrolmentFactory(guide=guide) for _ in range(3)]

    def delivery(enrolment, week, status, due_at):
        return ReminderDelivery.objects.create(
            enrolment=enrolment, kind=ReminderKind.WEEK, week=week, status=status, due_at=due_at
        )

    text = scrape(client)
    assert sample(text, "prep_reminders_due") == 0
    assert sample(text, "prep_reminders_oldest_due_seconds") == 0
    assert sample(text, "prep_reminder_deliveries", '{status="sent"}') == 0

    for enrolment in enrolments:
        delivery(enrolment, 1, DeliveryStatus.SENT, now - datetime.timedelta(days=7))
    delivery(enrolments[0], 2, DeliveryStatus.FAILED, now - datetime.timedelta(hours=5))
    delivery(enrolments[1], 2, DeliveryStatus.PENDING, now - datetime.timedelta(minutes=10))
    delivery(enrolments[2], 2, DeliveryStatus.PENDING, now - datetime.timedelta(minutes=2))
    # Not due yet: recorded ahead of its time, so not counted as due.
    delivery(enrolments[2], 3, DeliveryStatus.PENDING, now + datetime.timedelta(hours=1))

    text = scrape(client)
    assert sample(text, "prep_reminder_deliveries", '{status="sent"}') == 3
    assert sample(text, "prep_reminder_deliveries", '{status="failed"}') == 1
    assert sample(text, "prep_reminder_deliveries", '{status="pending"}') == 3
    assert sample(text, "prep_reminders_due") == 2
    assert 600 <= sample(text, "prep_reminders_oldest_due_seconds") < 700


@pytest.mark.django_db
def test_queue_length_counts_tasks_waiting_in_the_broker(client, metrics_token, settings):
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    assert sample(scrape(client), "prep_celery_queue_length", f'{{queue="{queue}"}}') == 0
    with Connection(
        settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
    ) as broker:
        waiting = broker.SimpleQueue(queue)
        for number in range(3):
            waiting.put({"task": number})
        waiting.close()
    assert sample(scrape(client), "prep_celery_queue_length", f'{{queue="{queue}"}}') == 3


@pytest.mark.django_db
def test_a_scrape_still_answers_when_the_broker_is_down(client, metrics_token, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    text = scrape(client)
    assert "prep_celery_queue_length" not in text
    assert sample(text, "prep_reminders_due") == 0
