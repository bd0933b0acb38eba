"""The welcome e-mail that follows enrolment, once per enrolment."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from reminders.models import ReminderDelivery, ReminderKind
from studyplan.models import EnrolmentStatus
from studyplan.services import enrolment_create
from tests.factories import UserFactory

from .conftest import SPRING_MONDAY, utc

NOW = utc(2026, 3, 20, 12)


@pytest.fixture
def enrol(django_capture_on_commit_callbacks, eager_celery, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def run(user, guide):
        with django_capture_on_commit_callbacks(execute=True):
            return enrolment_create(user=user, guide=guide, start_date=SPRING_MONDAY, now=NOW)

    return run


@pytest.mark.django_db
def test_enrolling_sends_the_welcome_email(enrol, alice, guide):
    enrolment = enrol(alice, guide)

    assert [m.subject for m in mail.outbox] == [
        "Welcome to your 8-week plan for Head of Engineering at OKX"
    ]
    assert mail.outbox[0].to == ["alice@example.com"]
    delivery = ReminderDelivery.objects.get(enrolment=enrolment)
    assert (delivery.kind, delivery.status) == (ReminderKind.WELCOME, "sent")


@pytest.mark.django_db
def test_unconfirmed_address_gets_no_welcome(enrol, guide):
    dora = UserFactory(email="dora@example.com", email_confirmed_at=None)

    enrol(dora, guide)

    assert mail.outbox == []
    assert ReminderDelivery.objects.count() == 0


@pytest.mark.django_db
def test_enrolling_again_after_leaving_sends_no_second_welcome_but_restarts_weekly_emails(
    enrol, alice, guide
):
    enrolment = enrol(alice, guide)
    ReminderDelivery.objects.create(
        enrolment=enrolment, kind=ReminderKind.WEEK, week=1, due_at=utc(2026, 3, 23, 9)
    )
    enrolment.status = EnrolmentStatus.LEFT
    enrolment.save()

    enrol(alice, guide)

    assert len(mail.outbox) == 1
    assert list(enrolment.deliveries.values_list("kind", flat=True)) == [ReminderKind.WELCOME]


@pytest.mark.django_db
def test_no_welcome_is_sent_when_enrolment_fails(enrol, alice, guide):
    enrol(alice, guide)

    with pytest.raises(ValidationError, match="already enrolled"):
        enrol(alice, guide)

    assert len(mail.outbox) == 1
