"""Recruiters see every delivery's state in the admin and can send failed ones again."""

import pytest
from django.core import mail
from django.urls import reverse

from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import SPRING_MONDAY, utc

CHANGELIST = reverse("admin:reminders_reminderdelivery_changelist")


def make_deliveries(guide, count: int, prefix: str = "cand") -> list[ReminderDelivery]:
    statuses = [DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.PENDING]
    deliveries = []
    for n in range(count):
        user = UserFactory(email=f"{prefix}{n}@example.com", time_zone="Europe/London")
        enrolment = EnrolmentFactory(user=user, guide=guide, start_date=SPRING_MONDAY)
        status = statuses[n % 3]
        deliveries.append(
            ReminderDelivery.objects.create(
                enrolment=enrolment,
                kind=ReminderKind.WEEK,
                week=1,
                due_at=utc(2026, 3, 23, 9),
                status=status,
                attempts=5 if status == DeliveryStatus.FAILED else 1,
                last_error="Attempt 5: (550, b'Mailbox unavailable')"
                if status == DeliveryStatus.FAILED
                else "",
            )
        )
    return deliveries


@pytest.mark.django_db
def test_recruiter_sees_sent_failed_and_pending_deliveries(client, recruiter, guide):
    make_deliveries(guide, 3)
    client.force_login(recruiter)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    for label in ("Sent", "Failed", "Pending"):
        assert f'<td class="field-status">{label}</td>' in response.text
    assert "Mailbox unavailable" in response.text


@pytest.mark.django_db
def test_status_filter_shows_only_failed_deliveries(client, recruiter, guide):
    make_deliveries(guide, 6)
    client.force_login(recruiter)

    response = client.get(CHANGELIST, {"status__exact": "failed"})

    assert response.text.count('<td class="field-status">Failed</td>') == 2
    assert '<td class="field-status">Sent</td>' not in response.text


@pytest.mark.django_db
def test_retry_action_sends_a_failed_delivery_again(
    client, recruiter, guide, eager_celery, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent, failed, pending = make_deliveries(guide, 3)
    client.force_login(recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "retry_failed", "_selected_action": [sent.pk, failed.pk]},
            follow=True,
        )

    assert "1 failed delivery queued to send again." in response.text
    assert "1 selected delivery was left as it was: only failed deliveries" in response.text
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert failed.attempts == 1
    assert [m.to for m in mail.outbox] == [[failed.enrolment.user.email]]
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_retry_leaves_a_failed_weekly_reminder_whose_week_is_over(
    client, recruiter, guide, eager_celery, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _, failed, _ = make_deliveries(guide, 3)
    ReminderDelivery.objects.create(
        enrolment=failed.enrolment, kind=ReminderKind.WEEK, week=2, due_at=utc(2026, 3, 30, 8)
    )
    client.force_login(recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "retry_failed", "_selected_action": [failed.pk]}, follow=True
        )

    assert "queued to send again" not in response.text
    assert "a weekly reminder only while its study week lasts" in response.text
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 5)
    assert mail.outbox == []


@pytest.mark.django_db
def test_candidates_cannot_see_deliveries(client, alice, guide):
    make_deliveries(guide, 3)
    client.force_login(alice)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "Mailbox unavailable" not in response.text


@pytest.mark.django_db
def test_delivery_list_takes_a_fixed_number_of_queries(
    client, recruiter, guide, django_assert_num_queries
):
    client.force_login(recruiter)
    for size in (3, 30):
        make_deliveries(guide, size, prefix=f"size{size}-")
        with django_assert_num_queries(10):
            assert client.get(CHANGELIST).status_code == 200
