"""The weekly e-mail arrives on the first day of the week it is about, whatever weekday is chosen.

Through the dispatcher and the e-mail a candidate receives, for every weekday choice: nothing on
the evening before, the e-mail on the first day at the chosen hour, and nothing more that week.
"""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Weekday
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import utc

# Weeks run Wednesday to Tuesday; London is on winter time (UTC+0) all through January.
WEDNESDAY_START = datetime.date(2026, 1, 7)


@pytest.mark.django_db
@pytest.mark.parametrize("weekday", list(Weekday))
def test_the_week_email_comes_on_the_weeks_first_day_for_every_weekday_choice(
    dispatch, guide, weekday
):
    user = UserFactory(
        email="alice@example.com",
        time_zone="Europe/London",
        reminder_weekday=weekday,
        reminder_hour=7,
    )
    EnrolmentFactory(user=user, guide=guide, start_date=WEDNESDAY_START)
    dispatch(utc(2026, 1, 7, 7))  # week 1's own e-mail, on its first day
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Week 1 of 8"]

    dispatch(utc(2026, 1, 13, 20))  # Tuesday evening, the last day of week 1
    dispatch(utc(2026, 1, 14, 6, 59))  # Wednesday, a minute before the hour
    assert len(mail.outbox) == 1

    dispatch(utc(2026, 1, 14, 7))
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Week 1 of 8", "Week 2 of 8"]
    assert "Week 2 of 8 of your plan" in mail.outbox[-1].body
    assert "(Wed 14 Jan – Tue 20 Jan)" in mail.outbox[-1].body

    for day in range(15, 21):  # the rest of week 2, the chosen weekday among them
        dispatch(utc(2026, 1, day, 7))
        dispatch(utc(2026, 1, day, 23))
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_settings_page_says_when_weekly_emails_come(alice):
    alice.reminder_weekday = Weekday.SUNDAY
    alice.reminder_hour = 18
    alice.save()
    client = Client()
    client.force_login(alice)

    page = client.get(reverse("accounts:settings")).content.decode()

    assert (
        "Weekly e-mails come at 18:00 on the first day of the study week they are about, never "
        "later: on Sundays when your study weeks start on a Sunday. If Sunday falls later in a "
        "study week, that week's e-mail comes on its first day instead."
    ) in page


@pytest.mark.django_db
def test_the_settings_page_costs_the_same_queries_with_one_plan_or_many():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import build_guide

    counts = []
    for size, plans in enumerate([1, 5]):
        user = UserFactory(email=f"size{size}@example.com")
        for n in range(plans):
            EnrolmentFactory(user=user, guide=build_guide(slug=f"g{size}-{n}", rounds=1, blocks=1))
        client = Client()
        client.force_login(user)
        client.get(reverse("accounts:settings"))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("accounts:settings")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
