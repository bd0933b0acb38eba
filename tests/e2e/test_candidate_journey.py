"""A visitor becomes a candidate: signs up, confirms, enrols, ticks a task, keeps a note."""

import re

import pytest
from playwright.sync_api import expect

from .browser import PASSWORD, WITH_AND_WITHOUT_JAVASCRIPT, axe_report, path_of, save_screenshot

QUESTION = "Describe your approach to hiring and retaining top engineering talent."
NOTE = "Hire for slope over intercept; keep people with growth paths and honest feedback."


def confirmation_link(mailoutbox, address: str) -> str:
    [message] = [m for m in mailoutbox if m.to == [address] and "Confirm" in m.subject]
    return re.search(r"https?://\S+/accounts/confirm/\S+/", message.body).group(0)


@WITH_AND_WITHOUT_JAVASCRIPT
@pytest.mark.django_db(transaction=True)
def test_new_candidate_studies_week_one_and_finds_everything_kept(
    page, seed_guide, mailoutbox, javascript
):
    from accounts.models import User
    from practice.models import QuestionProgress
    from studyplan.models import TaskProgress
    from studyplan.progress import local_today_for

    label = "js" if javascript else "nojs"
    email = f"dana-{label}@example.com"

    # Sign up.
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Your name").fill("Dana")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Time zone").select_option("Europe/London")
    save_screenshot(page, f"journey-{label}-1-signup")
    page.get_by_role("button", name="Sign up").click()

    # The same answer whether or not the address had an account: check your inbox, then log in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_text(f"We sent an e-mail to {email}")).to_be_visible()

    # Confirm the address from the e-mail, then log in.
    page.goto(path_of(confirmation_link(mailoutbox, email)))

    expect(page.get_by_text(f"Thank you: {email} is confirmed.")).to_be_visible()
    assert User.objects.get(email=email).email_confirmed_at is not None
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Dana")

    # Enrol in the seed guide, starting today so today is in week 1.
    page.goto(seed_guide.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"^Enrol")).click()
    today = local_today_for("Europe/London")
    page.get_by_label("Start date").fill(today.isoformat())
    page.get_by_role("button", name="Enrol").click()

    expect(page.get_by_text("You are enrolled in Head of Engineering at OKX")).to_be_visible()
    expect(page.get_by_text("Week 1 of 8")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("This week, weeks 1"))).to_be_visible()

    # Tick the first task of week 1.
    task = page.locator(".task__toggle").first
    task_text = task.locator(".task__text").inner_text()
    expect(task).to_have_attribute("aria-pressed", "false")
    task.click()

    expect(task).to_have_attribute("aria-pressed", "true")
    if javascript:
        # htmx swapped the task in place and announced it.
        expect(page.get_by_role("status").filter(has_text="Marked done")).to_be_attached()
        assert axe_report(page) == ""
    else:
        expect(page.get_by_text(f"Done: {task_text}")).to_be_visible()
    save_screenshot(page, f"journey-{label}-2-dashboard")

    # Mark a question practised with a note.
    page.goto(seed_guide.get_absolute_url() + "questions/")
    page.get_by_role("link", name=QUESTION).click()
    page.get_by_label("Practised").check()
    page.get_by_label("Answer draft").fill(NOTE)
    page.get_by_role("button", name="Save practice").click()

    if javascript:
        expect(page.locator("#practice").get_by_role("status")).to_have_text("Saved.")
        assert axe_report(page) == ""
    else:
        expect(page.get_by_text("Your practice is saved.")).to_be_visible()
    save_screenshot(page, f"journey-{label}-3-question")

    # Reload everything: nothing was lost.
    page.reload()
    expect(page.get_by_label("Practised")).to_be_checked()
    expect(page.get_by_label("Answer draft")).to_have_value(NOTE)
    expect(page.get_by_text(re.compile(r"Last practised just now"))).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.reload()
    task = page.get_by_role("button", name=re.compile(re.escape(task_text)))
    expect(task).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("1 of 13 tasks")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My notes").click()
    expect(page.get_by_text(NOTE)).to_be_visible()
    save_screenshot(page, f"journey-{label}-4-notes")

    user = User.objects.get(email=email)
    assert TaskProgress.objects.filter(enrolment__user=user).count() == 1
    progress = QuestionProgress.objects.get(user=user)
    assert (progress.status, progress.answer_draft) == ("practised", NOTE)
