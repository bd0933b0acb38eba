"""Round dates: the candidate records when each round is booked and how it went; the dashboard
counts down, the plan brings the preparing block forward, the calendar shows each round."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from studyplan.models import EnrolmentPeriod, RoundBooking
from tests.factories import EnrolmentFactory
from tests.studyplan.conftest import days_ago, local_today

DAY = datetime.timedelta(days=1)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def save_url(enrolment, rnd) -> str:
    return reverse("studyplan:round_date_save", args=[enrolment.pk, rnd.pk])


def book(client, enrolment, rnd, day, time="", result=""):
    return client.post(
        save_url(enrolment, rnd), {"date": day.isoformat(), "time": time, "result": result}
    )


@pytest.mark.django_db
def test_candidate_records_a_round_date_and_sees_the_countdowns(
    client, alice, alice_enrolment, guide
):
    today = local_today(alice)
    alice_enrolment.target_interview_date = today + 30 * DAY
    alice_enrolment.save()
    rnd = guide.rounds.get(order=1)
    client.force_login(alice)
    response = book(client, alice_enrolment, rnd, today + 5 * DAY, "14:30")
    assert response.status_code == 302
    page = text(client.get(reverse("studyplan:round_dates", args=[alice_enrolment.pk])))
    assert "14:30" in page
    dashboard = text(client.get(reverse("studyplan:dashboard")))
    assert "Interview" in dashboard and "(in 30 days)" in dashboard
    assert "Next round Round 1: " in dashboard and "14:30 (in 5 days)" in dashboard


@pytest.mark.django_db
def test_a_result_is_recorded_after_the_round_and_it_stops_counting(
    client, alice, alice_enrolment, guide
):
    today = local_today(alice)
    rnd = guide.rounds.get(order=1)
    client.force_login(alice)
    # Before the day, "passed" makes no sense.
    response = book(client, alice_enrolment, rnd, today + 2 * DAY, result="passed")
    assert response.status_code == 400
    assert "has not happened yet" in text(response)
    assert not RoundBooking.objects.exists()
    book(client, alice_enrolment, rnd, today - DAY, result="passed")
    assert RoundBooking.objects.get().get_result_display() == "Passed"
    assert "Next round" not in text(client.get(reverse("studyplan:dashboard")))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data,message",
    [
        ({"date": "", "time": "", "result": ""}, "Enter the day."),
        ({"date": "tomorrow", "time": "", "result": ""}, "Enter a date such as"),
        ({"date": "2026-12-01", "time": "25:99", "result": ""}, "Enter a time such as 14:30."),
        ({"date": "2026-12-01", "time": "", "result": "won"}, "Choose how the round went."),
        ({"date": "2999-12-01", "time": "", "result": ""}, "within a year of today"),
    ],
)
def test_bad_round_dates_get_a_clear_message_and_save_nothing(
    client, alice, alice_enrolment, guide, data, message
):
    client.force_login(alice)
    response = client.post(save_url(alice_enrolment, guide.rounds.get(order=1)), data)
    assert response.status_code == 400
    assert message in text(response)
    assert not RoundBooking.objects.exists()


@pytest.mark.django_db
def test_charlie_cannot_book_or_see_alices_rounds(client, alice, charlie, alice_enrolment, guide):
    rnd = guide.rounds.get(order=1)
    client.force_login(charlie)
    assert book(client, alice_enrolment, rnd, local_today(alice) + DAY).status_code == 404
    assert (
        client.get(reverse("studyplan:round_dates", args=[alice_enrolment.pk])).status_code == 404
    )
    assert not RoundBooking.objects.exists()


@pytest.mark.django_db
def test_a_round_of_another_guide_is_not_found(client, alice, alice_enrolment):
    from tests.factories import build_guide

    other = build_guide(slug="other-guide", blocks=0).rounds.first()
    client.force_login(alice)
    assert book(client, alice_enrolment, other, local_today(alice) + DAY).status_code == 404


@pytest.mark.django_db
def test_the_block_preparing_for_an_early_round_is_brought_forward(client, alice, guide):
    today = local_today(alice)
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=today - 2 * DAY)
    late_block = guide.study_blocks.get(start_week=7)
    round_two = guide.rounds.get(order=2)
    late_block.rounds.add(round_two)
    client.force_login(alice)
    # Round 2 in 10 days; its block (weeks 7-8) would only start in 40 days.
    book(client, enrolment, round_two, today + 10 * DAY)
    enrolment.refresh_from_db()
    rows = {
        row.block.start_week: (row.start_date, row.end_date)
        for row in EnrolmentPeriod.objects.filter(enrolment=enrolment)
    }
    week_three = today - 2 * DAY + 14 * DAY
    assert rows[7] == (week_three, week_three + 13 * DAY)  # right after the current block
    assert rows[3][0] == week_three + 14 * DAY  # the others follow, in order
    assert rows[1] == (today - 2 * DAY, today + 11 * DAY)  # the current block stays
    assert enrolment.schedule.end == today - 2 * DAY + 55 * DAY  # same end
    # And it can be undone like any re-plan.
    client.post(reverse("studyplan:replan_undo", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert not enrolment.has_periods


@pytest.mark.django_db
def test_calendar_has_one_event_per_round_in_local_time_across_dst(client, alice, guide):
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, 3))
    first, second = guide.rounds.order_by("order")[:2]
    london = zoneinfo.ZoneInfo("Europe/London")
    # 29 March 2027: London is on summer time (BST, UTC+1); 1 November 2026 on GMT.
    RoundBooking.objects.create(
        enrolment=enrolment,
        round=first,
        date=datetime.date(2027, 3, 29),
        time=datetime.time(9, 30),
        time_zone="Europe/London",
    )
    RoundBooking.objects.create(
        enrolment=enrolment, round=second, date=datetime.date(2027, 4, 2), time_zone="Europe/London"
    )
    feed = Calendar.from_ical(
        client.get(reverse("studyplan:calendar", args=[alice.calendar_token])).content
    )
    rounds = [e for e in feed.walk("VEVENT") if str(e["SUMMARY"]).startswith("Interview round:")]
    assert len(rounds) == 2
    timed = rounds[0].decoded("DTSTART")
    assert timed == datetime.datetime(2027, 3, 29, 9, 30, tzinfo=london)
    assert timed.utcoffset() == datetime.timedelta(hours=1)
    assert str(rounds[0]["DTSTART"].params["TZID"]) == "Europe/London"
    assert rounds[1].decoded("DTSTART") == datetime.date(2027, 4, 2)
    assert any(tz["TZID"] == "Europe/London" for tz in feed.walk("VTIMEZONE"))


@pytest.mark.django_db
def test_eve_due_finds_rounds_tomorrow_evening_in_the_candidates_zone(alice, bob, guide):
    london = EnrolmentFactory(user=alice, guide=guide, start_date=datetime.date(2027, 3, 1))
    singapore = EnrolmentFactory(user=bob, guide=guide, start_date=datetime.date(2027, 3, 1))
    rnd = guide.rounds.get(order=1)
    for enrolment, zone in ((london, "Europe/London"), (singapore, "Asia/Singapore")):
        RoundBooking.objects.create(
            enrolment=enrolment, round=rnd, date=datetime.date(2027, 3, 29), time_zone=zone
        )
    utc = datetime.UTC
    # 18:00 in Singapore on the 28th is 10:00 UTC; in London (BST from the 28th) 17:00 UTC.
    due = RoundBooking.objects.eve_due
    assert list(due(now=datetime.datetime(2027, 3, 28, 9, 59, tzinfo=utc))) == []
    assert [b.enrolment for b in due(now=datetime.datetime(2027, 3, 28, 10, 0, tzinfo=utc))] == [
        singapore
    ]
    # London's evening: Singapore's is over (six hours after its 18:00).
    assert [b.enrolment for b in due(now=datetime.datetime(2027, 3, 28, 17, 0, tzinfo=utc))] == [
        london
    ]
    # Midnight is the round's day: no eve e-mail any more.
    assert list(due(now=datetime.datetime(2027, 3, 29, 0, 0, tzinfo=utc))) == []
    # A round whose result is in needs no eve e-mail.
    RoundBooking.objects.filter(enrolment=london).update(result="waiting")
    assert list(due(now=datetime.datetime(2027, 3, 28, 17, 0, tzinfo=utc))) == []


@pytest.mark.django_db
def test_round_dates_are_in_the_candidates_data_export(client, alice, alice_enrolment, guide):
    import json

    rnd = guide.rounds.get(order=1)
    client.force_login(alice)
    book(client, alice_enrolment, rnd, local_today(alice) + 5 * DAY, "10:15")
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert data["enrolments"][0]["round_dates"] == [
        {
            "round": "Round 1",
            "date": (local_today(alice) + 5 * DAY).isoformat(),
            "time": "10:15",
            "time_zone": "Europe/London",
            "result": None,
        }
    ]


@pytest.mark.django_db
def test_a_refused_date_is_said_at_the_top_and_the_page_opens_at_its_round(
    client, alice, alice_enrolment, guide
):
    """The error sat under the round's own form, below the fold, with the page at its top."""
    client.force_login(alice)
    rnd = guide.rounds.get(order=2)

    response = client.post(save_url(alice_enrolment, rnd), {"date": "2999-12-01"})

    html = response.content.decode()
    summary = html[html.index('class="form-errors" role="alert"') :]
    assert summary.index(f'href="#round-{rnd.pk}"') < html.index(f'id="round-{rnd.pk}"')
    assert "within a year of today" in summary[: summary.index("</div>")]
    # Posted to the address with the round's fragment, the browser opens the page at it.
    assert f'action="{save_url(alice_enrolment, rnd)}#round-{rnd.pk}"' in html
