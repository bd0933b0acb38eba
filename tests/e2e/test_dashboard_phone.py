"""The dashboard on a 390 px phone: dates one per line, countdowns, overdue tasks ticked off in
place, and leaving asks first."""

import datetime

import pytest
from playwright.sync_api import expect

from .browser import DESKTOP, PHONE, log_in, save_screenshot, visit

DATES_LAYOUT = """() => [...document.querySelectorAll('.plan-dates > div')].map((row) => {
  const dt = row.querySelector('dt').getBoundingClientRect();
  const dd = row.querySelector('dd').getBoundingClientRect();
  return {label: row.querySelector('dt').textContent.trim(), top: dt.top, ddTop: dd.top,
          ddBottom: dd.bottom, right: Math.max(dt.right, dd.right)};
})"""


@pytest.mark.django_db(transaction=True)
def test_dashboard_on_a_phone_lists_dates_countdowns_and_overdue_tasks(
    page, context, live_server, seed_guide
):
    from studyplan.models import Enrolment, RoundBooking
    from studyplan.progress import local_today_for
    from tests.factories import UserFactory

    alice = UserFactory(email="alice@example.com", display_name="Alice", time_zone="UTC")
    today = local_today_for("UTC")
    # Three weeks in: weeks 1-2 are over with their tasks undone.
    enrolment = Enrolment.objects.create(
        user=alice,
        guide=seed_guide,
        start_date=today - datetime.timedelta(days=21),
        target_interview_date=today + datetime.timedelta(days=40),
    )
    RoundBooking.objects.create(
        enrolment=enrolment,
        round=seed_guide.rounds.get(order=1),
        date=today + datetime.timedelta(days=3),
        time=datetime.time(14, 0),
        time_zone="UTC",
    )
    page.set_viewport_size(PHONE)
    log_in(context, live_server, alice)
    visit(page, "/dashboard/")

    # What to do comes first: the plan (left-over and this week's tasks) before the activity
    # statistics, which took the first 1,400 px.
    # The signed-in menu's eight items in two rows under the logo (three rows made the header
    # 240 px, a third of the first screen).
    rows = {
        round(box["y"])
        for box in page.locator(".site-nav li").evaluate_all(
            "items => items.map((li) => li.getBoundingClientRect().toJSON())"
        )
    }
    assert len(rows) == 2, rows
    assert page.locator(".site-header").bounding_box()["height"] < 200
    # At 1280 px the logo, the search and the whole menu share one row.
    page.set_viewport_size(DESKTOP)
    tops = page.locator(".site-nav li, .brand, .site-search").evaluate_all(
        "items => items.map((e) => { const box = e.getBoundingClientRect();"
        " return Math.round(box.top + box.height / 2); })"
    )
    assert max(tops) - min(tops) <= 4, tops
    page.set_viewport_size(PHONE)
    plan_top = page.locator(".plan-card").first.bounding_box()["y"]
    activity_top = page.locator("#activity").bounding_box()["y"]
    assert plan_top < activity_top
    assert plan_top < PHONE["height"], plan_top

    rows = page.evaluate(DATES_LAYOUT)
    labels = [row["label"] for row in rows]
    assert labels[:4] == ["Started", "Plan ends", "Interview", "Next round"]
    # One fact per line: each row starts below the one before, label and value side by side.
    for before, after in zip(rows, rows[1:], strict=False):
        assert after["top"] >= before["ddBottom"] - 1
    assert all(abs(row["top"] - row["ddTop"]) < 8 for row in rows)
    assert all(row["right"] <= PHONE["width"] for row in rows)
    dates = page.locator(".plan-dates")
    expect(dates).to_contain_text("(in 40 days)")
    expect(dates).to_contain_text("HR Screening")
    expect(dates).to_contain_text("14:00 (in 3 days)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    overdue = page.get_by_role("region", name="Left over from earlier")
    first = seed_guide.study_blocks.get(start_week=1).tasks.order_by("order").first()
    expect(overdue.get_by_role("button", name=first.text)).to_be_visible()
    save_screenshot(page, "phone-dashboard-dates-and-overdue")
    overdue.get_by_role("button", name=first.text).click()
    expect(overdue.get_by_role("button", name=first.text)).to_have_attribute("aria-pressed", "true")

    page.get_by_role("link", name="Leave this guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Leave {seed_guide.title}?")
    page.get_by_role("link", name="Keep following it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice")
    assert Enrolment.objects.get(pk=enrolment.pk).status == "active"
