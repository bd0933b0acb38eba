"""Keyboard users: the skip link comes first and every focused control shows where focus is."""

import pytest
from playwright.sync_api import expect

from .browser import log_in, visit

# The focus ring must be visible: an outline or box-shadow on the focused element, or an outline
# on a close ancestor that draws it for the whole card through :focus-within. An outline must
# also stand out from the background around it by 3:1 (WCAG 2.1 SC 1.4.11, non-text contrast).
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const outlined = (style) => style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const ringed = (node) => {
    const style = getComputedStyle(node);
    // Cards carry a decorative shadow at rest, so only the element's own shadow counts.
    return outlined(style) || (node === el && style.boxShadow !== "none");
  };
  const rgba = (value) => {
    const parts = value.match(/[0-9.]+/g).map(Number);
    return { rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1 };
  };
  const luminance = ([r, g, b]) => {
    const lin = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const backgroundBehind = (node) => {
    for (let n = node.parentElement; n; n = n.parentElement) {
      const bg = rgba(getComputedStyle(n).backgroundColor);
      if (bg.alpha > 0) return bg.rgb;
    }
    return [255, 255, 255];
  };
  let ring = null;
  for (let node = el, depth = 0; node && node !== document.body && depth < 4;
       node = node.parentElement, depth++) {
    if (ringed(node) && (node === el || node.matches(":focus-within"))) { ring = node; break; }
  }
  let contrast = null;
  if (ring && outlined(getComputedStyle(ring))) {
    const a = luminance(rgba(getComputedStyle(ring).outlineColor).rgb);
    const b = luminance(backgroundBehind(ring));
    contrast = Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100;
  }
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.textContent || el.name || el.id || "").trim().slice(0, 60),
    ring: ring !== null && (contrast === null || contrast >= 3),
    contrast: contrast,
    isBody: el === document.body,
  };
}"""


def tab_stops(page, limit: int = 80) -> list[dict]:
    """Press Tab until focus leaves the page or `limit` stops; each stop's focus style."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_STYLE)
        if stop["isBody"]:
            break
        stops.append(stop)
    return stops


@pytest.mark.django_db(transaction=True)
def test_first_tab_focuses_the_skip_link_which_moves_focus_to_main(page, site):
    visit(page, site.signed_out["guide"])

    page.keyboard.press("Tab")

    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0  # on screen once focused
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert page.url.endswith("#main")
    # The next Tab continues inside the main content, not back at the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.django_db(transaction=True)
def test_every_tab_stop_shows_a_visible_focus_ring_for_visitors(page, site):
    for name in ["home", "guide", "questions", "question"]:
        visit(page, site.signed_out[name])
        stops = tab_stops(page)

        assert stops[0]["text"] == "Skip to main content", name
        assert len(stops) > 5, name
        assert [s for s in stops if not s["ring"]] == [], name


@pytest.mark.django_db(transaction=True)
def test_every_tab_stop_shows_a_visible_focus_ring_for_candidates(page, context, live_server, site):
    log_in(context, live_server, site.alice)
    for name in ["dashboard", "question", "settings", "notes"]:
        visit(page, site.signed_in[name])
        stops = tab_stops(page)

        assert stops[0]["text"] == "Skip to main content", name
        assert len(stops) > 5, name
        assert [s for s in stops if not s["ring"]] == [], name


@pytest.mark.django_db(transaction=True)
def test_candidate_ticks_a_task_with_the_keyboard_and_keeps_focus_on_it(
    page, context, live_server, site
):
    log_in(context, live_server, site.alice)
    visit(page, site.signed_in["dashboard"])
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.task__toggle[aria-pressed=false]')"):
            break
    toggle_id = page.evaluate("document.activeElement.id")
    assert toggle_id.startswith("task-button-")

    page.keyboard.press("Enter")

    toggle = page.locator(f"#{toggle_id}")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    # htmx swapped the task in place; focus is still on its button, not thrown to the page top.
    assert page.evaluate("document.activeElement.id") == toggle_id
    # The swapped form still returns to the dashboard if it is ever sent without htmx.
    assert (
        toggle.locator("xpath=..")
        .locator("input[name=next]")
        .input_value()
        .startswith("/dashboard/#task-")
    )
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-settling')")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "false")
