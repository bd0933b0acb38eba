"""The guide list a page at a time, as a visitor sees it on a phone and a desktop."""

import pytest
from playwright.sync_api import expect

from .browser import DESKTOP, PHONE, axe_report, save_screenshot, visit


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_a_visitor_pages_through_thirty_guides(page, live_server, name, viewport):
    from tests.factories import GuideFactory

    for n in range(30):
        GuideFactory(company=f"Company {n:02d}", slug=f"company-{n:02d}")
    page.set_viewport_size(viewport)

    visit(page, "/")
    expect(page.get_by_role("heading", name="Interview guides (30)")).to_be_visible()
    expect(page.get_by_role("link", name="Head of Engineering").first).to_be_visible()
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.get_by_text("Page 1 of 2")).to_be_visible()
    assert axe_report(page) == ""
    save_screenshot(page, f"home-page-1-{name}")

    pages.get_by_role("link", name="Next →").click()

    # The next page opens at the list, not at the hero above it (a phone's whole first screen).
    expect(page).to_have_url(f"{live_server.url}/?page=2#guides-title")
    assert page.evaluate("window.scrollY") > 0
    expect(page.get_by_text("Company 29")).to_be_visible()
    expect(page.get_by_text("Company 00")).to_have_count(0)
    expect(page.get_by_role("link", name="← Previous")).to_be_visible()
    save_screenshot(page, f"home-page-2-{name}")
