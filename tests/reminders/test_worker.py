"""End to end through a real Celery worker, the real Redis broker and a real SMTP server.

Skipped without REDIS_URL; CI sets it and runs these on PostgreSQL.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection, connections
from django.test import Client

from prep.celery import app as celery_app
from reminders.delivery import delivery_retry, reminder_dispatch
from reminders.models import DeliveryStatus, ReminderDelivery
from reminders.tasks import send_reminder_task
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import SPRING_MONDAY, utc, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WEEK_2 = utc(2026, 3, 30, 12)  # Monday of week 2: due everywhere from Singapore to London


def close_worker_connections(**kwargs) -> None:
    # The worker thread opens its own database connections; closing them after every task, as
    # `celery worker` does, lets the test database be flushed and dropped afterwards.
    connections.close_all()


@pytest.fixture(scope="module")
def worker(broker, django_db_blocker):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "in-memory SQLite shares one cache between threads and locks whole tables; "
            "run with DATABASE_URL set to PostgreSQL, as CI does"
        )
    task_postrun.connect(close_worker_connections, weak=False)
    with django_db_blocker.unblock():
        with start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            queues=[broker["queue"]],
            shutdown_timeout=10,
        ) as running:
            yield running
    task_postrun.disconnect(close_worker_connections)


@pytest.fixture
def candidates(guide):
    people = [
        ("alice@example.com", "Europe/London"),
        ("bob@example.com", "Asia/Singapore"),
        ("charlie@example.com", "UTC"),
    ]
    return [
        EnrolmentFactory(
            user=UserFactory(email=email, time_zone=tz), guide=guide, start_date=SPRING_MONDAY
        )
        for email, tz in people
    ]


def enrol(guide, email: str, tz: str = "UTC", start: datetime.date = SPRING_MONDAY):
    return EnrolmentFactory(
        user=UserFactory(email=email, time_zone=tz), guide=guide, start_date=start
    )


def test_due_reminders_arrive_once_each_with_the_right_content(worker, smtp, candidates, guide):
    reminder_dispatch(now=WEEK_2)

    smtp.wait_for(3)

    # Each row is marked sent just after the 250 reply, in a statement of its own.
    wait_until(
        lambda: not ReminderDelivery.objects.exclude(status=DeliveryStatus.SENT).exists(),
        message="every delivery marked sent",
    )
    for enrolment in candidates:
        [message] = smtp.to(enrolment.user.email)
        assert message["Subject"].startswith("Week 2 of 8: ")
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Week 2 of 8" in text and "Week 2 of 8" in html
        assert "/guides/okx-head-of-engineering/plan/#weeks-1-2" in text
        assert "tasks done" in text
        assert "Questions to practise this week" in text
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 3


def test_second_dispatch_and_duplicated_tasks_send_nothing_more(worker, smtp, candidates, guide):
    reminder_dispatch(now=WEEK_2)
    smtp.wait_for(3)

    second = reminder_dispatch(now=WEEK_2 + datetime.timedelta(minutes=5))
    for delivery_id in ReminderDelivery.objects.values_list("pk", flat=True):
        send_reminder_task.delay(delivery_id)
    # One worker takes tasks in order: once a later e-mail arrives, the duplicates have run.
    enrol(guide, "sentinel@example.com")
    reminder_dispatch(now=WEEK_2 + datetime.timedelta(minutes=10))
    smtp.wait_for(4)

    assert second.queued == 0
    assert sorted(m["To"] for m in smtp.messages) == sorted(
        [e.user.email for e in candidates] + ["sentinel@example.com"]
    )
    assert sum(smtp.attempts.values()) == 4


def test_temporary_smtp_failure_is_retried_and_then_delivered(worker, smtp, guide, settings):
    settings.REMINDER_RETRY_BASE_SECONDS = 0.5
    enrolment = enrol(guide, "alice@example.com", "Europe/London")
    enrol(guide, "bob@example.com", "Asia/Singapore")
    smtp.replies["alice@example.com"] = ["451 4.3.0 Mailbox busy, try again later"]

    reminder_dispatch(now=WEEK_2)

    # Bob's e-mail, in the same chunk, is not held up by Alice's busy mailbox.
    first, second = smtp.wait_for(2)
    assert (first["To"], second["To"]) == ("bob@example.com", "alice@example.com")
    delivery = wait_until(
        lambda: enrolment.deliveries.filter(status=DeliveryStatus.SENT).first(), message="sent"
    )
    assert smtp.attempts == {"alice@example.com": 2, "bob@example.com": 1}
    assert delivery.attempts == 2
    assert "451" in delivery.last_error


def test_permanent_failure_is_retried_up_to_the_bound_then_marked_failed(
    worker, smtp, guide, settings
):
    settings.REMINDER_RETRY_BASE_SECONDS = 0.1
    settings.REMINDER_MAX_ATTEMPTS = 3
    enrolment = enrol(guide, "alice@example.com", "Europe/London")
    smtp.replies["alice@example.com"] = ["550 5.1.1 Mailbox unavailable"] * 10

    reminder_dispatch(now=WEEK_2)

    delivery = wait_until(
        lambda: enrolment.deliveries.filter(status=DeliveryStatus.FAILED).first(),
        message="the delivery to be marked failed",
    )
    assert delivery.attempts == 3
    assert "550" in delivery.last_error
    assert smtp.attempts["alice@example.com"] == 3
    assert smtp.messages == []

    # The mailbox is fixed; a recruiter retries it from the admin.
    smtp.replies.clear()
    assert delivery_retry(delivery_ids=[delivery.pk]) == 1

    [message] = smtp.wait_for(1)
    assert message["To"] == "alice@example.com"
    wait_until(lambda: enrolment.deliveries.filter(status=DeliveryStatus.SENT).exists())


def test_catch_up_after_downtime_sends_only_this_weeks_reminder(worker, smtp, guide):
    # The scheduler was down from the plan's start until Wednesday of week 4.
    enrol(guide, "alice@example.com", "Europe/London", start=datetime.date(2026, 3, 2))

    result = reminder_dispatch(now=utc(2026, 3, 25, 12))

    [message] = smtp.wait_for(1)
    assert message["Subject"].startswith("Week 4 of 8")
    assert result.created == 1


def test_reminder_arrives_at_nine_local_across_the_clock_change(worker, smtp, guide):
    enrol(guide, "alice@example.com", "Europe/London")

    # Week 2 starts the day after London's clocks go forward: 09:00 BST is 08:00 UTC.
    early = reminder_dispatch(now=utc(2026, 3, 30, 7, 59))
    on_time = reminder_dispatch(now=utc(2026, 3, 30, 8, 0))

    [message] = smtp.wait_for(1)
    assert (early.queued, on_time.queued) == (0, 1)
    assert message["Subject"].startswith("Week 2 of 8")


def test_unsubscribe_link_from_a_received_email_works_end_to_end(worker, smtp, guide):
    alice = enrol(guide, "alice@example.com", "Europe/London")
    reminder_dispatch(now=WEEK_2)
    [message] = smtp.wait_for(1)

    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert link in message.get_body(("plain",)).get_content()
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(link).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert not alice.reminders_enabled

    enrol(guide, "sentinel@example.com")
    reminder_dispatch(now=WEEK_2 + datetime.timedelta(weeks=1))
    smtp.wait_for(2)
    assert [m["To"] for m in smtp.messages] == ["alice@example.com", "sentinel@example.com"]


def evening_time_zone(now: datetime.datetime) -> str:
    """A fixed-offset zone where it is now between 19:00 and 22:59: a round there tomorrow has
    its eve e-mail due, with hours to spare on either side of the window."""
    import zoneinfo

    for offset in range(-12, 15):
        name = "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
        if 19 <= now.astimezone(zoneinfo.ZoneInfo(name)).hour <= 22:
            return name
    raise AssertionError("some offset from -12 to +14 is always in the evening")


def test_eve_of_round_email_goes_from_beat_through_a_real_worker_to_smtp(worker, smtp, guide):
    import zoneinfo

    from django.utils import timezone

    from studyplan.models import RoundBooking

    now = timezone.now()
    tz = evening_time_zone(now)
    tomorrow = now.astimezone(zoneinfo.ZoneInfo(tz)).date() + datetime.timedelta(days=1)
    # A plan long over, so the eve e-mail is the only one due.
    enrolment = enrol(guide, "alice@example.com", tz, start=tomorrow - datetime.timedelta(days=500))
    rnd = guide.rounds.get(order=1)
    RoundBooking.objects.create(
        enrolment=enrolment, round=rnd, date=tomorrow, time=datetime.time(10), time_zone=tz
    )

    # What beat does: send the dispatcher's task by the name in the beat schedule.
    celery_app.send_task("studyplan.tasks.dispatch_due_reminders_task")

    [message] = smtp.wait_for(1)
    assert message["To"] == "alice@example.com"
    assert message["Subject"] == f"Tomorrow at 10:00: Round 1 for {guide.title}"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert rnd.questions.first().text in part
        assert guide.criteria.get().title in part
    delivery = wait_until(
        lambda: ReminderDelivery.objects.filter(
            kind="eve", round=rnd, status=DeliveryStatus.SENT
        ).first(),
        message="the eve delivery marked sent",
    )
    # Beat again, and a duplicated send task: nothing more arrives.
    again = reminder_dispatch(now=timezone.now())
    send_reminder_task.delay(delivery.pk)
    # One worker takes tasks in order: once a later e-mail arrives, the duplicate has run.
    enrol(guide, "sentinel@example.com")
    reminder_dispatch(now=WEEK_2)
    smtp.wait_for(2)
    assert again.created == 0
    assert [m["To"] for m in smtp.messages].count("alice@example.com") == 1
    assert ReminderDelivery.objects.filter(kind="eve").count() == 1
