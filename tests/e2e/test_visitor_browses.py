"""A visitor reads the seed guide: a round, the question bank filtered and searched, site search."""

import re

import pytest
from playwright.sync_api import expect

from .browser import WITH_AND_WITHOUT_JAVASCRIPT, save_screenshot

GUIDE = "Head of Engineering at OKX"
TRADING = "Design a high-throughput, low-latency trading system for a cryptocurrency exchange."


@WITH_AND_WITHOUT_JAVASCRIPT
@pytest.mark.django_db(transaction=True)
def test_visitor_browses_the_seed_guide_a_round_and_the_question_bank(page, seed_guide, javascript):
    label = "js" if javascript else "nojs"
    page.goto("/")
    card = page.locator(".guide-card").filter(has_text="OKX")
    card.get_by_role("link", name="Head of Engineering", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(GUIDE)
    expect(page.get_by_role("heading", name="Interview Rounds")).to_be_visible()
    save_screenshot(page, f"browse-{label}-1-guide")

    # A round, from the guide's timeline.
    page.get_by_role("link", name="Technical Leadership and System Design").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Technical Leadership and System Design"
    )
    expect(page.get_by_text("Round 2 of 4")).to_be_visible()
    expect(page.get_by_text(TRADING)).to_be_visible()
    save_screenshot(page, f"browse-{label}-2-round")

    # The question bank, filtered by kind.
    page.get_by_role("link", name="Open these in the question bank").click()
    count = page.get_by_role("status")
    expect(count).to_have_text("5 questions match your filters")
    page.get_by_role("link", name=re.compile(r"Round: Technical Leadership")).click()
    expect(count).to_have_text("28 questions")

    # With JavaScript a choice applies itself; without it, the form's button sends it. Exact: once
    # the filter applies, the round's label reads "Technical Leadership and System Design (3)" too.
    page.get_by_label("System design (3)", exact=True).check()
    if not javascript:
        page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url("**kind=system_design**")
    expect(count).to_have_text("3 questions match your filters")
    results = page.locator(".question-item__text")
    expect(results).to_have_count(3)
    expect(results.first).to_have_text(TRADING)

    # Then searched within the filter (Enter sends the form either way).
    page.get_by_label("Search this bank").fill("microservices")
    page.get_by_label("Search this bank").press("Enter")

    page.wait_for_url("**q=microservices**")
    expect(count).to_have_text("1 question matches your filters")
    expect(results).to_have_text(
        [
            "What are the key considerations when migrating a monolithic application to "
            "microservices?"
        ]
    )
    save_screenshot(page, f"browse-{label}-3-question-bank")

    # A question's own page, and the site-wide search.
    results.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("monolithic application")
    expect(page.get_by_text("Log in or sign up to mark this question practised")).to_be_visible()

    page.get_by_role("searchbox", name="Search guides and questions").fill("fintech")
    page.get_by_role("search").get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("status")).to_contain_text("match “fintech”")
    expect(page.get_by_role("link", name=re.compile("fintech industry today"))).to_be_visible()
    save_screenshot(page, f"browse-{label}-4-search")
