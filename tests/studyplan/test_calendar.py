import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from accounts.services import user_rotate_calendar_token
from studyplan.models import EnrolmentStatus
from tests.factories import EnrolmentFactory, build_guide


def feed_url(user) -> str:
    return reverse("studyplan:calendar", kwargs={"token": user.calendar_token})


@pytest.fixture
def enrolled(alice, guide):
    return EnrolmentFactory(
        user=alice,
        guide=guide,
        start_date=datetime.date(2026, 3, 2),
        target_interview_date=datetime.date(2026, 5, 5),
    )


@pytest.mark.django_db
def test_feed_is_valid_icalendar_with_a_week_per_event_and_the_interview(client, alice, enrolled):
    response = client.get(feed_url(alice))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"]
    events = cal.walk("VEVENT")
    assert len(events) == 8 + 1
    weeks = events[:8]
    assert [e.decoded("DTSTART") for e in weeks] == [
        datetime.date(2026, 3, 2) + datetime.timedelta(weeks=n) for n in range(8)
    ]
    assert all(
        e.decoded("DTEND") - e.decoded("DTSTART") == datetime.timedelta(days=7) for e in weeks
    )
    assert "week 3 of 8" in str(weeks[2]["SUMMARY"])
    interview = events[8]
    assert interview.decoded("DTSTART") == datetime.date(2026, 5, 5)
    assert str(interview["SUMMARY"]).startswith("Interview:")
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all("DTSTAMP" in e for e in events)


@pytest.mark.django_db
def test_week_events_describe_the_block_and_its_tasks(client, alice, enrolled, guide):
    block = guide.study_blocks.get(start_week=3)
    events = Calendar.from_ical(client.get(feed_url(alice)).content).walk("VEVENT")
    description = str(events[2]["DESCRIPTION"])
    assert block.headline in description
    for task in block.tasks.all():
        assert task.text in description


@pytest.mark.django_db
def test_left_plans_leave_the_calendar(client, alice, enrolled):
    enrolled.status = EnrolmentStatus.LEFT
    enrolled.save()
    assert Calendar.from_ical(client.get(feed_url(alice)).content).walk("VEVENT") == []


@pytest.mark.django_db
def test_feed_covers_every_plan(client, alice, enrolled):
    other = build_guide(slug="acme", blocks=2)
    EnrolmentFactory(user=alice, guide=other, start_date=datetime.date(2026, 4, 6))
    events = Calendar.from_ical(client.get(feed_url(alice)).content).walk("VEVENT")
    assert len(events) == 8 + 1 + 8


@pytest.mark.django_db
def test_rotating_the_token_makes_the_old_address_404(client, alice, enrolled):
    old = feed_url(alice)
    client.force_login(alice)
    response = client.post(reverse("accounts:rotate_calendar"), follow=True)
    assert "the old one no longer works" in response.content.decode()
    alice.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(alice)).status_code == 200
    assert alice.calendar_token in response.content.decode()


@pytest.mark.django_db
def test_guessed_token_is_404(client, alice, enrolled):
    assert client.get("/calendar/guess.ics").status_code == 404
    assert client.get(f"/calendar/{alice.calendar_token[:-1]}.ics").status_code == 404


@pytest.mark.django_db
def test_token_is_long_and_unique(alice, bob):
    assert len(alice.calendar_token) >= 40
    assert alice.calendar_token != bob.calendar_token
    assert user_rotate_calendar_token(user=alice) != bob.calendar_token
