"""A recruiter edits a published guide; candidates see the change only once another approves it."""

import pytest
from playwright.sync_api import expect

from .browser import PHONE, axe_report, log_in, save_screenshot, visit, vnu_errors

OLD = "How do you grow senior engineers into staff engineers?"
NEW = "How do you grow senior engineers into principal engineers?"


@pytest.fixture
def guide(transactional_db):
    from tests.factories import build_guide

    guide = build_guide(rounds=2, questions_per_round=2, regions=1, blocks=2, tasks_per_block=2)
    question = guide.questions.filter(round__isnull=False).first()
    question.text = OLD
    question.save()
    return guide


def public_text(browser, live_server, url: str) -> str:
    # A visitor's own browser: no session, so the cached public page is what candidates get.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(live_server.url + url)
        return page.content()
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_a_staged_edit_reaches_candidates_only_after_approval_and_can_be_undone(
    browser, page, context, live_server, recruiter, sam, tess, guide
):
    question = guide.questions.get(text=OLD)
    public_url = question.get_absolute_url()
    assert OLD in public_text(browser, live_server, public_url)
    log_in(context, live_server, recruiter)

    visit(page, f"/admin/questions/question/{question.pk}/change/")
    expect(page.get_by_text("saving here stages your change for review")).to_be_visible()
    page.get_by_label("Text:").fill(NEW)
    page.get_by_role("button", name="Save", exact=True).first.click()

    expect(page.get_by_role("heading", name="Staged changes waiting for review")).to_be_visible()
    expect(page.get_by_text("Your change is staged")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    save_screenshot(page, "admin-staged-edit-1280")
    assert axe_report(page) == ""
    # The banner's markup: the rest of the page is Django's admin (its inline management forms
    # carry autocomplete="off" on hidden inputs, which vnu reports on every such admin page).
    banner = page.locator("#staged-edit").evaluate("element => element.outerHTML")
    document = f'<!doctype html><html lang="en"><title>Staged</title><main>{banner}</main></html>'
    assert vnu_errors({"staged": document}) == {}
    assert NEW not in public_text(browser, live_server, public_url)

    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("You made or sent this change")).to_be_visible()

    context.clear_cookies()
    log_in(context, live_server, sam)
    visit(page, f"/admin/rounds/guide/{guide.pk}/change/")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save_screenshot(page, "admin-staged-edit-390")
    page.get_by_role("button", name="Approve and apply").click()

    expect(page.get_by_text("Approved: candidates now see the changed guide.")).to_be_visible()
    text = public_text(browser, live_server, public_url)
    assert NEW in text
    assert OLD not in text

    # A third recruiter undoes it from the guide's history: the version before the approval.
    context.clear_cookies()
    log_in(context, live_server, tess)
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, f"/admin/rounds/guide/{guide.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    reasons = rows.evaluate_all("rows => rows.map(row => row.innerText)")
    approved = [i for i, text in enumerate(reasons) if "approved by Sam" in text]
    assert approved, reasons
    rows.nth(max(approved) + 1).get_by_role("button", name="Restore this version").click()
    # Nothing changes before the recruiter has seen what the restore does.
    expect(page.get_by_text("Nothing has changed yet.")).to_be_visible()
    page.get_by_role("button", name="Restore this version").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored")
    text = public_text(browser, live_server, public_url)
    assert OLD in text
    assert NEW not in text
