"""Re-planning: fit to the interview (compressed in proportion, never past it), the shift warning,
the before/after preview, undo, and the study periods on the pages that show dates."""

import datetime
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from practice.models import PracticeStatus, QuestionProgress
from studyplan.models import Enrolment, EnrolmentPeriod
from studyplan.schedule import share_days, short_day
from tests.factories import EnrolmentFactory, StudyBlockFactory, StudyTaskFactory, build_guide
from tests.studyplan.conftest import all_tasks, days_ago, local_today, tick

DAY = datetime.timedelta(days=1)


def replan_url(enrolment) -> str:
    return reverse("studyplan:replan", args=[enrolment.pk])


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def fit(client, enrolment, interview, confirm=True):
    data = {"mode": "target", "target_interview_date": interview.isoformat()}
    if confirm:
        data["confirm"] = "on"
    return client.post(replan_url(enrolment), data, follow=confirm)


def periods(enrolment) -> list[tuple[int, datetime.date, datetime.date]]:
    return [
        (row.block.start_week, row.start_date, row.end_date)
        for row in EnrolmentPeriod.objects.filter(enrolment=enrolment).order_by("start_date")
    ]


@pytest.mark.django_db
def test_fit_compresses_the_remaining_blocks_into_the_days_left_in_order(
    client, alice, alice_enrolment
):
    today = local_today(alice)
    interview = today + 20 * DAY
    client.force_login(alice)
    response = fit(client, alice_enrolment, interview)
    alice_enrolment.refresh_from_db()
    # Four 2-week blocks, none done, 20 days: five days each, from today, in order.
    assert periods(alice_enrolment) == [
        (1, today, today + 4 * DAY),
        (3, today + 5 * DAY, today + 9 * DAY),
        (5, today + 10 * DAY, today + 14 * DAY),
        (7, today + 15 * DAY, today + 19 * DAY),
    ]
    assert alice_enrolment.schedule.end == interview - DAY
    page = text(response)
    assert "Re-planned: you are in study period 1 of 4, until" in page
    assert "week 1 of 8" not in page.lower()


@pytest.mark.django_db
def test_fit_shares_days_in_proportion_to_block_length(client, alice):
    guide = build_guide(slug="uneven", blocks=0)
    for first, last in [(1, 1), (2, 2), (3, 4), (5, 8)]:
        StudyTaskFactory(block=StudyBlockFactory(guide=guide, start_week=first, end_week=last))
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, 10))
    today = local_today(alice)
    client.force_login(alice)
    fit(client, enrolment, today + 16 * DAY)
    enrolment.refresh_from_db()
    days = [(end - start).days + 1 for _, start, end in periods(enrolment)]
    assert days == [2, 2, 4, 8]
    assert periods(enrolment)[-1][2] == today + 15 * DAY


def test_shares_are_never_more_than_the_normal_length_and_add_up():
    assert share_days(30, [2, 2, 2, 2], [14, 14, 14, 14]) == [8, 8, 7, 7]
    assert share_days(100, [1, 3], [7, 21]) == [7, 21]
    assert sum(share_days(11, [1, 1, 2], [7, 7, 14])) == 11


@pytest.mark.django_db
def test_fit_with_time_to_spare_keeps_normal_lengths_and_ends_the_day_before(
    client, alice, alice_enrolment
):
    interview = local_today(alice) + 80 * DAY
    client.force_login(alice)
    fit(client, alice_enrolment, interview)
    alice_enrolment.refresh_from_db()
    assert not alice_enrolment.has_periods  # plain 7-day weeks again
    assert alice_enrolment.week_start(8) + 6 * DAY == interview - DAY


@pytest.mark.django_db
def test_fit_keeps_finished_blocks_that_are_over_and_fits_the_rest(client, alice, guide):
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, 30))
    tick(enrolment, all_tasks(guide)[:3])  # weeks 1-2 done and over
    today = local_today(alice)
    client.force_login(alice)
    fit(client, enrolment, today + 15 * DAY)
    enrolment.refresh_from_db()
    rows = periods(enrolment)
    assert rows[0] == (1, today - 30 * DAY, today - 17 * DAY)
    assert [r[0] for r in rows[1:]] == [3, 5, 7]
    assert rows[1][1] == today and rows[-1][2] == today + 14 * DAY
    assert enrolment.start_date == today - 30 * DAY


@pytest.mark.django_db
def test_under_a_week_left_proposes_a_focus_on_the_weakest_rounds(
    client, alice, alice_enrolment, guide
):
    round_one, round_two = guide.rounds.order_by("order")
    for question in round_one.questions.all()[:2]:
        QuestionProgress.objects.create(
            user=alice,
            question=question,
            guide=guide,
            question_text=question.text,
            status=PracticeStatus.PRACTISED,
        )
    before = alice_enrolment.start_date
    interview = local_today(alice) + 5 * DAY
    client.force_login(alice)
    page = text(fit(client, alice_enrolment, interview, confirm=False))
    assert "Only 5 days to your interview" in page
    # Round 2 (none practised) before round 1 (2 of 3).
    assert page.index("2. Round 2 : 0 of 3") < page.index("1. Round 1 : 2 of 3")
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.target_interview_date is None  # nothing saved by the preview
    fit(client, alice_enrolment, interview)
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.target_interview_date == interview
    assert alice_enrolment.start_date == before


@pytest.mark.django_db
def test_preview_shows_before_and_after_and_changes_nothing(client, alice, alice_enrolment):
    today = local_today(alice)
    client.force_login(alice)
    response = fit(client, alice_enrolment, today + 20 * DAY, confirm=False)
    assert response.status_code == 200
    page = text(response)
    assert "Check the new dates" in page
    assert short_day(alice_enrolment.start_date) in page  # the block's current first day
    assert "(5 days)" in page
    assert "Apply these dates" in page
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.start_date == days_ago(alice, 14)
    assert not alice_enrolment.has_periods and alice_enrolment.target_interview_date is None


@pytest.mark.django_db
def test_shift_warns_when_it_would_end_after_the_interview_and_offers_to_fit(
    client, alice, alice_enrolment
):
    interview = local_today(alice) + 21 * DAY
    Enrolment.objects.filter(pk=alice_enrolment.pk).update(target_interview_date=interview)
    client.force_login(alice)
    response = client.post(replan_url(alice_enrolment), {"mode": "shift"})
    page = text(response)
    assert "after your interview" in page
    assert "Fit to my interview instead" in page
    assert "Shift anyway" in page
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.start_date == days_ago(alice, 14)  # not applied


@pytest.mark.django_db
def test_shift_that_fits_before_the_interview_gives_no_warning(client, alice, alice_enrolment):
    interview = local_today(alice) + 90 * DAY
    Enrolment.objects.filter(pk=alice_enrolment.pk).update(target_interview_date=interview)
    client.force_login(alice)
    page = text(client.post(replan_url(alice_enrolment), {"mode": "shift"}))
    assert "after your interview" not in page
    assert "Apply these dates" in page


@pytest.mark.django_db
def test_a_re_plan_can_be_undone(client, alice, alice_enrolment):
    client.force_login(alice)
    fit(client, alice_enrolment, local_today(alice) + 20 * DAY)
    page = text(client.get(reverse("studyplan:dashboard")))
    assert "Undo the last re-plan" in page
    response = client.post(reverse("studyplan:replan_undo", args=[alice_enrolment.pk]), follow=True)
    assert "The re-plan is undone" in text(response)
    alice_enrolment.refresh_from_db()
    assert alice_enrolment.start_date == days_ago(alice, 14)
    assert alice_enrolment.target_interview_date is None
    assert not alice_enrolment.has_periods and periods(alice_enrolment) == []
    # Nothing left to undo: said plainly, nothing changes.
    response = client.post(reverse("studyplan:replan_undo", args=[alice_enrolment.pk]), follow=True)
    assert "There is no re-plan to undo." in text(response)


@pytest.mark.django_db
def test_undo_puts_back_a_fitted_plans_periods(client, alice, alice_enrolment):
    today = local_today(alice)
    client.force_login(alice)
    fit(client, alice_enrolment, today + 20 * DAY)
    fitted = periods(alice_enrolment)
    fit(client, alice_enrolment, today + 90 * DAY)
    alice_enrolment.refresh_from_db()
    assert not alice_enrolment.has_periods
    client.post(reverse("studyplan:replan_undo", args=[alice_enrolment.pk]))
    alice_enrolment.refresh_from_db()
    assert periods(alice_enrolment) == fitted


@pytest.mark.django_db
def test_charlie_cannot_undo_alices_re_plan(client, alice, charlie, alice_enrolment):
    client.force_login(alice)
    fit(client, alice_enrolment, local_today(alice) + 20 * DAY)
    client.force_login(charlie)
    response = client.post(reverse("studyplan:replan_undo", args=[alice_enrolment.pk]))
    assert response.status_code == 404
    assert Enrolment.objects.get(pk=alice_enrolment.pk).has_periods


@pytest.mark.django_db
def test_fitted_plan_shows_its_dates_on_dashboard_plan_page_and_calendar(
    client, alice, alice_enrolment, guide
):
    today = local_today(alice)
    client.force_login(alice)
    fit(client, alice_enrolment, today + 20 * DAY)
    dashboard = text(client.get(reverse("studyplan:dashboard")))
    assert "Study period 1 of 4" in dashboard
    assert "Week 3 of 8" not in dashboard
    plan_page = text(client.get(reverse("studyplan:plan", args=[guide.slug])))
    first = f"{today:%a} {today.day} {today:%b}"
    assert f"{first} – " in plan_page and "weeks 1-2 of the guide’s 8-week plan" in plan_page
    assert "8 weeks to prepare" not in plan_page
    feed = Calendar.from_ical(
        client.get(reverse("studyplan:calendar", args=[alice.calendar_token])).content
    )
    weeks = [e for e in feed.walk("VEVENT") if "Interview" not in str(e["SUMMARY"])]
    assert weeks[-1].decoded("DTEND") == today + 20 * DAY  # ends before the interview day
    assert not any("week " in str(e["SUMMARY"]) for e in weeks)
    # One event per study period, spanning it, as the dashboard and e-mails count them (each
    # squeezed week was an event of its own).
    periods = Enrolment.objects.get(pk=alice_enrolment.pk).schedule.periods(
        guide.study_blocks.all()
    )
    assert [(e.decoded("DTSTART"), e.decoded("DTEND") - DAY) for e in weeks] == [
        (p.start, p.end) for p in periods
    ]


@pytest.mark.django_db
def test_dashboard_lists_overdue_tasks_and_focuses_in_the_last_week(client, alice, guide):
    enrolment = EnrolmentFactory(
        user=alice,
        guide=guide,
        start_date=days_ago(alice, 20),
        target_interview_date=local_today(alice) + 4 * DAY,
    )
    first, second, third = all_tasks(guide)[:3]
    tick(enrolment, [second])
    client.force_login(alice)
    page = text(client.get(reverse("studyplan:dashboard")))
    overdue = page[page.index("Left over from earlier") :]
    overdue = overdue[: overdue.index("This week")]
    assert first.text in overdue and third.text in overdue
    assert second.text not in overdue  # done: not listed
    assert "Your interview is in 4 days: focus on the rounds' questions" in page


@pytest.mark.django_db
def test_an_interview_moved_before_the_plan_ends_brings_an_offer_to_fit_it(client, alice, guide):
    """Moved from after the plan to two weeks away, the dashboard showed both dates and said
    nothing; the fit was on a page the candidate had to find."""
    enrolment = EnrolmentFactory(
        user=alice,
        guide=guide,
        start_date=days_ago(alice, 7),
        target_interview_date=local_today(alice) + datetime.timedelta(weeks=12),
    )
    client.force_login(alice)
    dashboard = reverse("studyplan:dashboard")
    assert "Your plan runs past your interview" not in text(client.get(dashboard))
    interview = local_today(alice) + datetime.timedelta(weeks=2)

    saved = client.post(
        reverse("studyplan:settings", args=[enrolment.pk]),
        {"target_interview_date": interview.isoformat(), "reminders_enabled": "on"},
        follow=True,
    )

    page = text(saved)
    assert "Your plan runs past your interview" in page
    assert f"your interview is on {interview:%A} {interview.day} {interview:%B}" in page
    preview = client.post(replan_url(enrolment), {"mode": "target"})
    assert preview.status_code == 200
    assert "Apply these dates" in text(preview)
    fit(client, enrolment, interview)
    assert "Your plan runs past your interview" not in text(client.get(dashboard))


@pytest.mark.django_db
def test_an_interview_before_a_plan_still_to_start_can_be_recorded_and_fitted(client, alice, guide):
    """Plan starting Monday, interview on Friday before it: both the settings and the fit said
    'The interview date must come after the start date'."""
    start = local_today(alice) + datetime.timedelta(days=10)
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=start)
    client.force_login(alice)
    interview = local_today(alice) + datetime.timedelta(days=5)

    saved = client.post(
        reverse("studyplan:settings", args=[enrolment.pk]),
        {"target_interview_date": interview.isoformat(), "reminders_enabled": "on"},
    )
    assert saved.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.target_interview_date == interview

    applied = fit(client, enrolment, interview)
    assert applied.status_code == 200
    assert "must come after the start date" not in text(applied)


@pytest.mark.django_db
def test_an_interview_moved_weeks_later_than_a_fitted_plan_brings_an_offer_to_spread_it(
    client, alice, guide
):
    """Fitted to an interview that then moved four weeks later, the plan ended weeks before it and
    the dashboard said nothing; the plan page still said 'fitted to your interview'."""
    start = local_today(alice) + 2 * DAY
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=start)
    client.force_login(alice)
    fit(client, enrolment, start + 21 * DAY)
    enrolment.refresh_from_db()
    assert enrolment.start_date == start  # fitted from the start the candidate chose
    later = start + 49 * DAY
    client.post(
        reverse("studyplan:settings", args=[enrolment.pk]),
        {"target_interview_date": later.isoformat(), "reminders_enabled": "on"},
    )

    dashboard = text(client.get(reverse("studyplan:dashboard")))
    assert "Your plan ends well before your interview" in dashboard
    plan_page = text(client.get(reverse("studyplan:plan", args=[guide.slug])))
    assert "fitted to your interview" not in plan_page
    assert "Your plan, on its own dates until" in plan_page
