"""A candidate follows the unsubscribe link of a real reminder e-mail; reminders stop."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .browser import axe_report, log_in, path_of, save_screenshot, vnu_errors

START = datetime.date(2026, 3, 23)  # a Monday


@pytest.mark.django_db(transaction=True)
def test_unsubscribe_link_in_a_reminder_stops_the_reminders(
    page, context, live_server, seed_guide, mailoutbox
):
    from reminders.delivery import reminder_dispatch
    from reminders.due import week_due_at
    from studyplan.models import Enrolment
    from tests.factories import EnrolmentFactory, UserFactory

    alice = UserFactory(email="alice@example.com", display_name="Alice", time_zone="UTC")
    enrolment = EnrolmentFactory(user=alice, guide=seed_guide, start_date=START)
    week_one = week_due_at(enrolment, 1) + datetime.timedelta(minutes=5)

    # Beat runs the dispatcher; the worker (eager here) sends what it queued.
    reminder_dispatch(now=week_one)

    [reminder] = mailoutbox
    assert reminder.to == ["alice@example.com"]
    assert reminder.subject.startswith("Week 1 of 8")
    link = re.search(r"Stop these reminders: (\S+)", reminder.body).group(1)

    # From the mail client: no session, just the link.
    documents = {"unsubscribe-confirm": page.goto(path_of(link)).text()}
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop study reminders?")
    expect(page.get_by_text("Head of Engineering at OKX")).to_be_visible()
    save_screenshot(page, "unsubscribe-1-confirm")
    assert axe_report(page) == ""
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.get_by_role("button", name="Stop reminders for this plan").click()
    documents["unsubscribe-done"] = sent.value.text()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Reminders stopped")
    expect(page.get_by_text("no more reminder e-mails")).to_be_visible()
    save_screenshot(page, "unsubscribe-2-done")
    assert axe_report(page) == ""
    assert Enrolment.objects.get(pk=enrolment.pk).reminders_enabled is False

    # Next week's dispatch sends nothing, and the dashboard says reminders are off.
    reminder_dispatch(now=week_due_at(enrolment, 2) + datetime.timedelta(minutes=5))

    assert len(mailoutbox) == 1

    # A link cut short by the mail client gets the clear page, which is as accessible and valid.
    documents["unsubscribe-invalid"] = page.goto(path_of(link)[:-3] + "/").text()
    expect(page.get_by_role("heading", level=1)).to_have_text("This unsubscribe link does not work")
    assert axe_report(page) == ""
    assert vnu_errors(documents) == {}

    log_in(context, live_server, alice)
    page.goto("/dashboard/")
    expect(page.get_by_text("Reminders are off")).to_be_visible()
