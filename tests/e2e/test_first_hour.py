"""The first hour of a newcomer: from a guide to a first practised question without a dead end.

guide → "Sign up to follow" → confirm from the e-mail → log in → the enrol form, prefilled →
enrol → dashboard → practise the first question → save. Every page on the way answers 200, has
a way on, and says each thing once.
"""

import re

import pytest
from playwright.sync_api import expect

from .browser import PASSWORD, WITH_AND_WITHOUT_JAVASCRIPT, path_of, save_screenshot

NOTE = "Start from the team's bottleneck, not from my own favourite practice."


def confirmation_link(mailoutbox, address: str) -> str:
    [message] = [m for m in mailoutbox if m.to == [address] and "Confirm" in m.subject]
    return re.search(r"https?://\S+/accounts/confirm/\S+/", message.body).group(0)


def says_each_thing_once(page) -> None:
    """No message is shown twice, nor repeated elsewhere on the page."""
    shown = page.locator(".messages p").all_inner_texts()
    assert len(shown) == len(set(shown)), shown
    body = page.locator("body").inner_text()
    for message in shown:
        assert body.count(message) == 1, message
    if "is confirmed" in body:
        assert body.count("is confirmed") == 1


@WITH_AND_WITHOUT_JAVASCRIPT
@pytest.mark.django_db(transaction=True)
def test_newcomer_goes_from_a_guide_to_a_first_practised_question(
    page, seed_guide, mailoutbox, javascript
):
    from accounts.models import User
    from practice.models import QuestionProgress
    from studyplan.models import Enrolment
    from studyplan.progress import local_today_for, next_monday

    label = "js" if javascript else "nojs"
    email = f"erin-{label}@example.com"
    statuses = []

    def record(response) -> None:
        if response.request.resource_type == "document":
            statuses.append((response.status, response.url))

    page.on("response", record)

    # The guide: one clear way in for a visitor.
    page.goto(seed_guide.get_absolute_url())
    page.get_by_role("link", name="Sign up to follow the 8-week plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Your name").fill("Erin")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    if javascript:
        # The browser's own zone was picked for them (Chromium runs in UTC here, or the host's).
        assert page.get_by_label("Time zone").input_value() != ""
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_text(f"We sent an e-mail to {email}")).to_be_visible()
    says_each_thing_once(page)

    # Confirm from the e-mail: one message, then log in and land on the enrol form.
    page.goto(path_of(confirmation_link(mailoutbox, email)))
    confirmed = f"Thank you: {email} is confirmed. Log in to continue."
    expect(page.get_by_text(confirmed)).to_be_visible()
    says_each_thing_once(page)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Enrol in {seed_guide.title}")
    start = next_monday(local_today_for("Europe/London"))
    expect(page.get_by_label("Start date")).to_have_value(start.isoformat())
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    says_each_thing_once(page)
    save_screenshot(page, f"first-hour-{label}-1-enrol")
    page.get_by_role("button", name="Enrol").click()

    # The dashboard: enrolled, and a way on to practising.
    expect(page.get_by_text(f"You are enrolled in {seed_guide.title}")).to_be_visible()
    says_each_thing_once(page)
    save_screenshot(page, f"first-hour-{label}-2-dashboard")
    # The week's practice links: the bank filtered by the block's round or kind (issue 13).
    page.locator(".practice-links a").first.click()

    first = page.locator("main .question-list a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_label("Practised").check()
    page.get_by_label("Answer draft").fill(NOTE)
    page.get_by_role("button", name="Save practice").click()
    if javascript:
        expect(page.locator("#practice").get_by_role("status")).to_have_text("Saved.")
    else:
        expect(page.get_by_text("Your practice is saved.")).to_be_visible()
    says_each_thing_once(page)
    save_screenshot(page, f"first-hour-{label}-3-practised")

    user = User.objects.get(email=email)
    assert user.email_confirmed_at is not None
    assert Enrolment.objects.get(user=user).start_date == start
    assert QuestionProgress.objects.get(user=user).answer_draft == NOTE
    # No dead end and no error page anywhere on the way.
    assert statuses and all(status in (200, 302) for status, _ in statuses), statuses
