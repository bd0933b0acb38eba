"""The welcome e-mail of a candidate whose plan started before they enrolled (issue 13).

A late starter who enrols on Tuesday 24 November into a plan that began on Monday 26 October is
in week 5: the welcome says so and lists week 5's tasks, not week 1's.
"""

import datetime
import re

import pytest
from django.core import mail

from reminders.delivery import delivery_send
from studyplan.models import EnrolmentPeriod, StudyBlock, TaskProgress
from studyplan.services import enrolment_create

from .conftest import utc

PLAN_START = datetime.date(2026, 10, 26)  # a Monday
ENROLLED = utc(2026, 11, 24, 12)  # Tuesday of week 5


@pytest.fixture
def enrol(django_capture_on_commit_callbacks, eager_celery, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def run(user, guide, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return enrolment_create(
                user=user, guide=guide, start_date=PLAN_START, now=ENROLLED, **fields
            )

    return run


def parts(message) -> tuple[str, str]:
    [(html, _)] = message.alternatives
    return message.body, " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_a_late_starter_is_told_which_week_they_are_in_and_gets_its_tasks(enrol, alice, guide):
    enrol(alice, guide)

    [message] = mail.outbox
    text, html = parts(message)
    week_1 = StudyBlock.objects.get(guide=guide, start_week=1)
    week_5 = StudyBlock.objects.get(guide=guide, start_week=5)
    for part in (text, html):
        assert (
            "It started on Monday 26 October 2026, so you join it part-way: you are now in "
            "Week 5 of 8 (Mon 23 Nov – Sun 29 Nov)."
        ) in part
        assert "Week 1 starts" not in part
        assert f"What to do now, Weeks 5-6: {week_5.title}" in part
        assert all(task.text in part for task in week_5.tasks.all())
        assert not any(task.text in part for task in week_1.tasks.all())
    assert all(f"  [ ] {task.text}\n" in text for task in week_5.tasks.all())


@pytest.mark.django_db
def test_a_late_starter_in_a_fitted_plan_is_told_their_study_period(enrol, alice, guide):
    enrolment = enrol(alice, guide)
    mail.outbox.clear()
    # The same plan fitted to an interview: four 4-day periods from 17 November. The welcome is
    # sent once per enrolment, so it is sent again here from its delivery row to read it.
    blocks = list(StudyBlock.objects.filter(guide=guide).order_by("start_week"))
    start = datetime.date(2026, 11, 17)
    for n, each in enumerate(blocks):
        first = start + datetime.timedelta(days=4 * n)
        EnrolmentPeriod.objects.create(
            enrolment=enrolment,
            block=each,
            start_date=first,
            end_date=first + datetime.timedelta(days=3),
        )
    enrolment.start_date, enrolment.has_periods = start, True
    enrolment.save()
    TaskProgress.objects.create(enrolment=enrolment, task=blocks[1].tasks.first())
    delivery = enrolment.deliveries.get()
    delivery.status = "pending"
    delivery.save()
    assert delivery_send(delivery_id=delivery.pk) == "sent"

    text, html = parts(mail.outbox[-1])
    for part in (text, html):
        assert (
            "you are now in Study period 2 of 4, until Tue 24 Nov (Sat 21 Nov – Tue 24 Nov)" in part
        )
        assert "Week 5" not in part and "of 8" not in part
        assert f"What to do now, Sat 21 Nov – Tue 24 Nov: {blocks[1].title}" in part
    first_task = blocks[1].tasks.first()
    assert f"  [x] {first_task.text}\n" in text
    assert f"Done: {first_task.text}" in html


@pytest.mark.django_db
def test_enrolling_before_the_start_still_says_when_week_1_starts(
    enrol, alice, guide, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(
            user=alice, guide=guide, start_date=datetime.date(2026, 11, 30), now=ENROLLED
        )

    text, html = parts(mail.outbox[-1])
    week_1 = StudyBlock.objects.get(guide=guide, start_week=1)
    for part in (text, html):
        assert "Week 1 starts on Monday 30 November 2026." in part
        assert f"First, Weeks 1-2: {week_1.title}" in part
        assert "part-way" not in part


@pytest.mark.django_db
def test_the_welcome_stands_in_for_the_email_of_the_week_they_enrol_in(
    enrol, alice, guide, dispatch
):
    enrolment = enrol(alice, guide)
    enrolment.created_at = ENROLLED
    enrolment.save(update_fields=["created_at"])

    dispatch(ENROLLED + datetime.timedelta(hours=1))  # week 5's e-mail fell due on Monday
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Welcome to your 8-week plan for Head of Engineering at OKX"
    ]
    dispatch(utc(2026, 12, 7, 9))  # Monday of week 7, the next block's first week
    assert mail.outbox[-1].subject.startswith("Week 7 of 8: ")


@pytest.mark.django_db
def test_enrolling_on_the_first_day_before_the_reminder_hour_gets_the_welcome_alone(
    enrol, alice, guide, dispatch
):
    """Enrolled at 07:00 on the plan's first day, reminders at 09:00: week 1's e-mail came two
    hours after a welcome that had said the same (also after a time zone change moved the hour)."""
    alice.reminder_hour = 9
    alice.save(update_fields=["reminder_hour"])
    first_day = datetime.date(2026, 11, 30)  # a Monday
    with_first_day = utc(2026, 11, 30, 7)
    enrolment = enrolment_create(user=alice, guide=guide, start_date=first_day, now=with_first_day)
    enrolment.created_at = with_first_day
    enrolment.save(update_fields=["created_at"])

    dispatch(utc(2026, 11, 30, 10))
    assert not [m for m in mail.outbox if m.subject.startswith("Week 1 of 8")]
    dispatch(utc(2026, 12, 7, 10))  # week 2 comes as usual
    assert mail.outbox[-1].subject.startswith("Week 2 of 8: ")
