"""A candidate practises three questions in a row from the dashboard, with and without JS."""

import pytest
from playwright.sync_api import expect

from .browser import WITH_AND_WITHOUT_JAVASCRIPT, axe_report, log_in


@WITH_AND_WITHOUT_JAVASCRIPT
@pytest.mark.django_db(transaction=True)
def test_practise_next_three_questions_without_going_back_to_a_list(
    page, context, live_server, site, javascript
):
    from practice.models import QuestionProgress

    log_in(context, live_server, site.alice)
    page.goto("/dashboard/")
    page.get_by_role("link", name="Practise next").click()
    seen = []
    for n in range(3):
        practice = page.locator("#practice")
        expect(practice.get_by_role("navigation", name="Practice run")).to_be_visible()
        seen.append(page.get_by_role("heading", level=1).inner_text())
        practice.get_by_label("Practised").check()
        practice.get_by_label("Answer draft").fill(f"Draft {n}")
        practice.get_by_role("button", name="Save practice").click()
        if javascript:
            expect(practice.get_by_role("status")).to_have_text("Saved.")
        else:
            expect(page.get_by_text("Your practice is saved.")).to_be_visible()
        assert axe_report(page, javascript=javascript) == ""
        page.locator("#practice").get_by_role("link", name="Next question", exact=True).click()

    assert len(set(seen)) == 3
    # Alice had practised one question before; the run added three more, each with its draft.
    drafts = set(
        QuestionProgress.objects.filter(
            user=site.alice, answer_draft__startswith="Draft "
        ).values_list("answer_draft", flat=True)
    )
    assert drafts == {"Draft 0", "Draft 1", "Draft 2"}
    # The fourth question is open, still in the run.
    expect(page.locator("#practice").get_by_role("navigation", name="Practice run")).to_be_visible()
