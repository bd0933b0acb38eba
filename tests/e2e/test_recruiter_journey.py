"""A recruiter edits a question and sends a draft guide for review; a second recruiter approves
it; visitors see both changes, the guide only once approved."""

import pytest
from playwright.sync_api import expect

from .browser import PASSWORD, log_in, save_screenshot

MIGRATION_QUESTION = (
    "What are the key considerations when migrating a monolithic application to microservices?"
)
GUIDANCE = "Start with the strangler-fig pattern: carve out one bounded context at a time."


@pytest.mark.django_db(transaction=True)
def test_recruiter_edits_a_question_and_publishes_a_draft_guide(
    browser, page, live_server, seed_guide, recruiter
):
    from rounds.models import GuideStatus
    from tests.factories import build_guide, make_recruiter

    draft = build_guide(
        company="Acme", role="VP Engineering", slug="acme-vp-engineering", status=GuideStatus.DRAFT
    )
    visitor = browser.new_context(base_url=live_server.url).new_page()
    assert visitor.goto(draft.get_absolute_url()).status == 404

    # Log in to the admin.
    page.goto("/admin/")
    page.locator("#id_username").fill(recruiter.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Questions")).to_be_visible()

    # Edit a question of the seed guide.
    page.get_by_role("link", name="Questions").first.click()
    page.locator("#searchbar").fill("microservices")
    page.locator("#searchbar").press("Enter")
    results = page.locator("#result_list tbody tr")
    expect(results).to_have_count(1)
    results.get_by_role("link").first.click()
    expect(page.get_by_role("textbox", name="Text:")).to_have_value(MIGRATION_QUESTION)
    page.get_by_role("textbox", name="Guidance:").fill(GUIDANCE)
    save_screenshot(page, "recruiter-1-question")
    page.get_by_role("button", name="Save", exact=True).click()
    # The seed guide is published: the edit is staged until another recruiter approves it.
    expect(page.locator(".messagelist")).to_contain_text("Your change is staged")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("You made or sent this change")).to_be_visible()
    from questions.models import Question

    question_url = Question.objects.get(text=MIGRATION_QUESTION).get_absolute_url()
    visitor.goto(question_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(MIGRATION_QUESTION)
    assert GUIDANCE not in visitor.content()

    # Send the draft guide for review with the list's bulk action: still invisible to visitors.
    def guide_action(admin_page, label: str) -> None:
        admin_page.goto("/admin/rounds/guide/")
        row = admin_page.locator("#result_list tbody tr").filter(has_text="Acme")
        row.locator("input.action-select").check()
        admin_page.locator("select[name=action]").select_option(label=label)
        admin_page.get_by_role("button", name="Go").click()

    guide_action(page, "Send selected guides for review")
    expect(page.locator(".messagelist")).to_contain_text("Sent for review: 1 guide.")
    assert visitor.goto(draft.get_absolute_url()).status == 404
    # Rita cannot approve her own guide.
    guide_action(page, "Approve and publish selected guides (reviewer)")
    expect(page.locator(".messagelist")).to_contain_text("another recruiter must approve it")
    assert visitor.goto(draft.get_absolute_url()).status == 404

    # Sam, a second recruiter, approves it.
    sam = make_recruiter("sam@example.com", "Sam")
    reviewer_context = browser.new_context(base_url=live_server.url)
    log_in(reviewer_context, live_server, sam)
    reviewer = reviewer_context.new_page()
    guide_action(reviewer, "Approve and publish selected guides (reviewer)")
    expect(reviewer.locator(".messagelist")).to_contain_text("Approved and published: 1 guide.")
    save_screenshot(reviewer, "recruiter-2-guides")
    # ...and Rita's staged change to the seed guide's question.
    reviewer.goto(f"/admin/rounds/guide/{seed_guide.pk}/change/")
    reviewer.get_by_role("button", name="Approve and apply").click()
    expect(reviewer.get_by_text("Approved: candidates now see the changed guide.")).to_be_visible()

    # A visitor sees both changes.
    visitor.goto("/")
    expect(visitor.locator(".guide-card").filter(has_text="Acme")).to_be_visible()
    assert visitor.goto(draft.get_absolute_url()).status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("VP Engineering at Acme")

    visitor.goto(seed_guide.get_absolute_url() + "questions/?q=microservices")
    visitor.get_by_role("link", name=MIGRATION_QUESTION).click()
    expect(visitor.get_by_role("heading", name="How to approach it")).to_be_visible()
    expect(visitor.get_by_text(GUIDANCE)).to_be_visible()
    save_screenshot(visitor, "recruiter-3-visitor-sees-guidance")
    visitor.context.close()
