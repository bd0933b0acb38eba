"""Search and the question bank in a browser: filters apply themselves with JavaScript, the
plain form works without it, and both pages stay accessible and valid in every state."""

import pytest
from playwright.sync_api import expect

from .browser import DESKTOP, PHONE, SEED_SLUG, axe_report, save_screenshot, visit, vnu_errors

BANK = f"/guides/{SEED_SLUG}/questions/"


@pytest.mark.django_db(transaction=True)
def test_choosing_a_kind_on_search_swaps_results_in_place_and_updates_the_address(page, seed_guide):
    visit(page, "/search/?q=scaling")
    expect(page.get_by_role("status").first).to_contain_text("3 questions match “scaling”")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("System design (2)", exact=True).check()

    page.wait_for_url("**/search/?q=scaling&kind=system_design")
    expect(page.locator("#result-count")).to_contain_text("2 questions match “scaling”")
    expect(page.get_by_role("link", name="Describe your experience with agile")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    # Kinds without a match cannot be chosen.
    expect(page.get_by_label("Coding / DSA (0)")).to_be_disabled()
    assert axe_report(page) == ""


@pytest.mark.django_db(transaction=True)
def test_bank_filters_apply_themselves_and_counts_follow(page, seed_guide):
    visit(page, BANK)
    page.evaluate("window.stillTheSamePage = true")

    # Exact: once the counts follow, "Technical Leadership and System Design (3)" matches too.
    page.get_by_label("System design (3)", exact=True).check()

    page.wait_for_url(f"**{BANK}?*kind=system_design*")
    expect(page.locator("#result-count")).to_have_text("3 questions match your filters")
    # Rounds are now counted among system design questions.
    expect(page.get_by_label("Technical Leadership and System Design (3)")).to_be_enabled()
    expect(page.get_by_label("HR Screening (0)")).to_be_disabled()
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_label("Search this bank").fill("trading")
    page.get_by_label("Search this bank").press("Enter")
    page.wait_for_url("**q=trading**")
    expect(page.locator("#result-count")).to_have_text("1 question matches your filters")
    assert axe_report(page) == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_filters_are_a_plain_form(page, seed_guide):
    visit(page, BANK)

    page.get_by_label("System design (3)", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url("**kind=system_design**")
    expect(page.locator("#result-count")).to_have_text("3 questions match your filters")

    visit(page, "/search/?q=regulatory")
    page.get_by_label("Strategy (1)").check()
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**kind=strategy**")
    expect(page.locator("#result-count")).to_contain_text("1 question match “regulatory”")


@pytest.mark.django_db(transaction=True)
def test_search_and_bank_are_valid_accessible_and_fit_both_widths(page, seed_guide):
    paths = {
        "search-empty": "/search/",
        "search": "/search/?q=system+design",
        "search-kind": "/search/?q=stakholder&kind=strategy",
        "search-none": "/search/?q=zzzz",
        "bank": BANK,
        "bank-filtered": f"{BANK}?kind=system_design&q=trading",
        "bank-bad": f"{BANK}?round=nope",
    }
    documents = {}
    for name, path in paths.items():
        documents[name] = visit(page, path).text()
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            assert axe_report(page) == "", (name, label)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], (name, label, width)
            save_screenshot(page, f"{name}-{label}")

    assert vnu_errors(documents) == {}
