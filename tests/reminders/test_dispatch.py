"""The dispatcher: due reminders recorded once and e-mailed once, in bounded batches."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reminders.delivery import delivery_send, reminder_dispatch
from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind
from studyplan.models import EnrolmentStatus
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import SPRING_MONDAY, utc


@pytest.mark.django_db
def test_week_reminder_arrives_at_nine_london_time_after_the_clocks_change(
    alice_enrolment, dispatch
):
    # Week 2 starts on Monday 30 March, the day after London moves to BST (UTC+1).
    dispatch(utc(2026, 3, 30, 7, 59))
    assert [m.subject for m in mail.outbox if "Week 2" in m.subject] == []

    dispatch(utc(2026, 3, 30, 8, 0))

    assert [m.subject for m in mail.outbox][-1].startswith("Week 2 of 8")
    delivery = ReminderDelivery.objects.get(enrolment=alice_enrolment, week=2)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.due_at == utc(2026, 3, 30, 8)


@pytest.mark.django_db
def test_reminder_not_sent_twice_when_dispatch_runs_twice(alice_enrolment, dispatch):
    first = dispatch(utc(2026, 3, 23, 9, 5))
    second = dispatch(utc(2026, 3, 23, 9, 10))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert ReminderDelivery.objects.filter(enrolment=alice_enrolment).count() == 1
    assert (first.created, second.created, second.queued) == (1, 0, 0)


@pytest.mark.django_db
def test_duplicated_send_task_sends_nothing_more(alice_enrolment, dispatch):
    dispatch(utc(2026, 3, 23, 9, 5))
    delivery = ReminderDelivery.objects.get(enrolment=alice_enrolment)

    outcome = delivery_send(delivery_id=delivery.pk)

    assert outcome == "skipped"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_catch_up_after_downtime_sends_only_this_weeks_reminder(alice_enrolment, dispatch):
    # Nothing ran between the plan's start and Wednesday of week 4.
    dispatch(utc(2026, 4, 15, 12))

    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Week 4 of 8"]
    assert list(ReminderDelivery.objects.values_list("kind", "week")) == [(ReminderKind.WEEK, 4)]


@pytest.mark.django_db
def test_nothing_is_sent_for_a_plan_that_is_over(alice, guide, dispatch):
    EnrolmentFactory(user=alice, guide=guide, start_date=datetime.date(2025, 9, 1))

    result = dispatch(utc(2026, 3, 23, 12))

    assert mail.outbox == []
    assert result.created == 0


@pytest.mark.django_db
def test_closing_email_is_sent_once_when_the_plan_ends(alice, guide, dispatch):
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=datetime.date(2026, 1, 5))

    dispatch(utc(2026, 3, 2, 9, 1))
    dispatch(utc(2026, 3, 3, 9, 1))

    assert [m.subject for m in mail.outbox] == [f"You finished your plan for {guide.title}"]
    assert enrolment.deliveries.get().kind == ReminderKind.FINAL


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user_fields", "enrolment_fields"),
    [
        ({"email_confirmed_at": None}, {}),
        ({"reminders_enabled": False}, {}),
        ({"is_active": False}, {}),
        ({}, {"reminders_enabled": False}),
        ({}, {"status": EnrolmentStatus.PAUSED}),
        ({}, {"status": EnrolmentStatus.LEFT}),
    ],
    ids=["unconfirmed", "reminders-off", "inactive", "unsubscribed", "paused", "left"],
)
def test_ineligible_candidates_get_nothing(guide, dispatch, user_fields, enrolment_fields):
    user = UserFactory(email="dora@example.com", time_zone="Europe/London", **user_fields)
    EnrolmentFactory(user=user, guide=guide, start_date=SPRING_MONDAY, **enrolment_fields)

    result = dispatch(utc(2026, 3, 23, 12))

    assert mail.outbox == []
    assert ReminderDelivery.objects.count() == 0
    assert result.examined == 0


@pytest.mark.django_db
def test_reminder_turned_off_after_queueing_is_not_sent(alice_enrolment, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    delivery = ReminderDelivery.objects.create(
        enrolment=alice_enrolment, kind=ReminderKind.WEEK, week=1, due_at=utc(2026, 3, 23, 9)
    )
    alice_enrolment.reminders_enabled = False
    alice_enrolment.save()

    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert mail.outbox == []
    assert not ReminderDelivery.objects.filter(pk=delivery.pk).exists()


@pytest.mark.django_db
def test_dispatch_reads_candidates_in_bounded_batches(guide, dispatch):
    for n in range(5):
        user = UserFactory(email=f"batch{n}@example.com", time_zone="Europe/London")
        EnrolmentFactory(user=user, guide=guide, start_date=SPRING_MONDAY)

    with CaptureQueriesContext(connection) as queries:
        result = dispatch(utc(2026, 3, 23, 10), batch_size=2)

    enrolment_reads = [
        q["sql"]
        for q in queries
        if 'FROM "studyplan_enrolment"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert len(enrolment_reads) == 4  # 2 + 2 + 1 + the empty read that ends the loop
    assert all("LIMIT 2" in sql for sql in enrolment_reads)
    assert result.examined == 5
    assert sorted(m.to[0] for m in mail.outbox) == [f"batch{n}@example.com" for n in range(5)]


@pytest.mark.django_db
def test_pending_delivery_whose_task_was_lost_is_queued_again_after_the_queue_lease(
    alice_enrolment, dispatch, settings
):
    settings.REMINDER_QUEUE_LEASE_SECONDS = 180
    delivery = ReminderDelivery.objects.create(
        enrolment=alice_enrolment,
        kind=ReminderKind.WEEK,
        week=1,
        due_at=utc(2026, 3, 23, 9),
        queued_at=timezone.now() - datetime.timedelta(seconds=60),
    )

    dispatch(utc(2026, 3, 23, 10))  # queued a minute ago: its task may still be on its way
    assert mail.outbox == []

    ReminderDelivery.objects.filter(pk=delivery.pk).update(
        queued_at=timezone.now() - datetime.timedelta(seconds=181)
    )
    dispatch(utc(2026, 3, 23, 10, 5))

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_dispatch_without_a_worker_only_records_pending_rows(alice_enrolment):
    reminder_dispatch(now=utc(2026, 3, 23, 10))

    assert ReminderDelivery.objects.get().status == DeliveryStatus.PENDING
    assert mail.outbox == []


@pytest.mark.django_db
def test_reminder_still_queued_when_its_week_is_over_is_not_sent(alice_enrolment, settings):
    from reminders.delivery import deliveries_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # No worker from Monday of week 3 to Monday of week 4, while beat kept dispatching.
    reminder_dispatch(now=utc(2026, 4, 6, 12))
    reminder_dispatch(now=utc(2026, 4, 13, 12))
    week_3, week_4 = ReminderDelivery.objects.filter(kind=ReminderKind.WEEK).order_by("week")

    outcomes = deliveries_send(delivery_ids=[week_3.pk, week_4.pk])

    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Week 4 of 8"]
    assert outcomes == {"expired": 1, "sent": 1}
    week_3.refresh_from_db()
    assert week_3.status == DeliveryStatus.FAILED
    assert "week 3 was over" in week_3.last_error
    assert delivery_send(delivery_id=week_3.pk) == "skipped"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reminder_for_the_last_week_is_not_sent_once_the_closing_email_is_owed(
    alice_enrolment, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminder_dispatch(now=utc(2026, 5, 11, 12))  # Monday of week 8
    reminder_dispatch(now=utc(2026, 5, 18, 12))  # the plan ended: the closing e-mail is owed
    week_8 = ReminderDelivery.objects.get(kind=ReminderKind.WEEK)

    assert delivery_send(delivery_id=week_8.pk) == "expired"
    assert mail.outbox == []
