"""Phone and desktop: no page scrolls sideways and the navigation is always within reach."""

import pytest
from playwright.sync_api import expect

from .browser import DESKTOP, PHONE, log_in, save_screenshot, visit

LAYOUT = """() => {
  const width = window.innerWidth;
  const controls = [...document.querySelectorAll(".site-nav a, .site-nav button, .brand")];
  return {
    overflow: document.documentElement.scrollWidth - width,
    offscreen: controls
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width === 0 || box.height === 0 || box.left < 0 || box.right > width;
      })
      .map((el) => el.textContent.trim()),
    controls: controls.map((el) => el.textContent.trim()),
  };
}"""


def check_layout(page, pages: dict[str, str], label: str) -> dict[str, dict]:
    problems = {}
    for name, path in pages.items():
        visit(page, path)
        layout = page.evaluate(LAYOUT)
        if layout["overflow"] > 0 or layout["offscreen"]:
            problems[name] = layout
        save_screenshot(page, f"{label}-{name}")
    return problems


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.django_db(transaction=True)
def test_pages_fit_the_screen_and_keep_navigation_reachable(
    page, context, live_server, site, width
):
    page.set_viewport_size(PHONE if width == "phone" else DESKTOP)

    assert check_layout(page, site.signed_out, f"{width}-visitor") == {}
    visit(page, "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")

    log_in(context, live_server, site.alice)
    assert check_layout(page, site.signed_in, f"{width}-candidate") == {}
    nav = page.get_by_role("navigation", name="Main")
    for link in ["Guides", "Dashboard", "My notes", "Settings"]:
        expect(nav.get_by_role("link", name=link)).to_be_visible()
    nav.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice")
