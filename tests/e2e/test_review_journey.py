"""A candidate practises three questions, rates them, comes back when they are due and clears
the review queue."""

import datetime

import pytest
from playwright.sync_api import expect

from .browser import (
    DESKTOP,
    PHONE,
    WITH_AND_WITHOUT_JAVASCRIPT,
    axe_report,
    log_in,
    save_screenshot,
)


@WITH_AND_WITHOUT_JAVASCRIPT
@pytest.mark.django_db(transaction=True)
def test_candidate_rates_three_questions_and_clears_them_when_due(
    page, context, live_server, seed_guide, javascript
):
    from practice.models import Review, ReviewCard
    from studyplan.progress import local_today_for
    from studyplan.services import enrolment_create
    from tests.factories import UserFactory

    label = "js" if javascript else "nojs"
    erin = UserFactory(email=f"erin-{label}@example.com", display_name="Erin", time_zone="UTC")
    enrolment_create(user=erin, guide=seed_guide, start_date=local_today_for("UTC"))
    log_in(context, live_server, erin)
    questions = list(seed_guide.questions.filter(is_published=True).order_by("pk")[:3])

    for question in questions:
        page.goto(question.get_absolute_url())
        expect(page.get_by_text("Prep’s method")).to_be_visible()
        page.get_by_role("button", name="Good", exact=True).click()
        expect(page.get_by_text("Rated Good: this question comes back for review")).to_be_visible()
    assert Review.objects.filter(user=erin).count() == 3

    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Due for review today: 0")).to_be_visible()
    expect(page.get_by_text("1-day streak")).to_be_visible()

    # Come back on the day they are due. The test moves each card's due time (saved as the
    # scheduler saves it) rather than the clock, which the live server thread shares with it; a
    # real next day also starts a new local hour, which the dashboard's cache is keyed by.
    for card in ReviewCard.objects.filter(user=erin):
        card.due = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
        card.save(update_fields=["due"])
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Due for review today: 3")).to_be_visible()
    page.get_by_role("link", name="Start reviewing").click()
    expect(page.get_by_text("3 questions due for review today.")).to_be_visible()
    save_screenshot(page, f"review-{label}-queue")
    assert axe_report(page, javascript=javascript) == ""
    # On a phone the four ratings stay on one row ("Easy" wrapped alone onto a second).
    page.set_viewport_size(PHONE)
    tops = [
        page.get_by_role("button", name=name, exact=True).bounding_box()["y"]
        for name in ("Again", "Hard", "Good", "Easy")
    ]
    assert len(set(tops)) == 1, tops
    save_screenshot(page, f"review-{label}-queue-phone")
    page.set_viewport_size(DESKTOP)
    for left in (2, 1):
        page.get_by_role("button", name="Easy", exact=True).click()
        expect(
            page.get_by_text(f"{left} question{'s' if left > 1 else ''} due for review today.")
        ).to_be_visible()
    page.get_by_role("button", name="Hard", exact=True).click()
    expect(page.get_by_role("heading", name="Nothing to review today")).to_be_visible()
    assert Review.objects.filter(user=erin).count() == 6
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Due for review today: 0")).to_be_visible()
