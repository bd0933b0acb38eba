"""Re-planning renumbers the weeks; reminders follow the new timeline."""

import pytest
from django.core import mail

from reminders.models import ReminderKind
from studyplan.services import ReplanMode, enrolment_replan

from .conftest import utc


@pytest.mark.django_db
def test_reminders_follow_the_new_weeks_after_a_replan(alice_enrolment, dispatch):
    dispatch(utc(2026, 3, 23, 10))
    dispatch(utc(2026, 3, 30, 10))
    assert [m.subject[:11] for m in mail.outbox] == ["Week 1 of 8", "Week 2 of 8"]

    # Two weeks in, nothing ticked off: week 1 starts again on Monday 6 April.
    enrolment_replan(enrolment=alice_enrolment, mode=ReplanMode.SHIFT, now=utc(2026, 4, 6, 7))
    dispatch(utc(2026, 4, 6, 8, 30))
    dispatch(utc(2026, 4, 13, 8, 30))

    assert [m.subject[:11] for m in mail.outbox[2:]] == ["Week 1 of 8", "Week 2 of 8"]
    assert sorted(alice_enrolment.deliveries.values_list("kind", "week")) == [
        (ReminderKind.WEEK, 1),
        (ReminderKind.WEEK, 2),
    ]
