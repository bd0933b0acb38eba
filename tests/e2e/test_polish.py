"""What a newcomer notices in the first minutes: links, breadcrumbs, notices, their time zone."""

import pytest

from .browser import PHONE, log_in, save_screenshot, visit

LONG_QUESTION = "describe-your-approach-to-hiring-and-retaining-top-engineering-talent"


@pytest.mark.django_db(transaction=True)
def test_question_titles_look_like_links_before_hovering(page, site):
    visit(page, "/guides/okx-head-of-engineering/rounds/hr-screening/")
    link = page.locator("main .question-item__text").first
    style = link.evaluate(
        "a => { const s = getComputedStyle(a); return [s.textDecorationLine, s.color]; }"
    )
    assert "underline" in style[0]
    assert style[1] == "rgb(29, 78, 216)"  # the site's link blue, not body text


@pytest.mark.django_db(transaction=True)
def test_breadcrumbs_stay_on_one_line_on_a_phone(page, site):
    page.set_viewport_size(PHONE)
    visit(page, f"/guides/okx-head-of-engineering/questions/{LONG_QUESTION}/")
    crumbs = page.locator("nav.breadcrumbs li")
    tops = {
        round(box["y"]) for box in (crumbs.nth(i).bounding_box() for i in range(crumbs.count()))
    }
    assert len(tops) == 1, tops
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth)"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
    save_screenshot(page, "phone-question-breadcrumbs")


@pytest.mark.django_db(transaction=True)
def test_notices_have_their_own_colours(page, context, live_server, site):
    log_in(context, live_server, site.alice)
    # A success message (settings saved) and the confirmed-address notice on the same page.
    visit(page, "/accounts/settings/")
    page.get_by_role("button", name="Save settings").click()
    colours = {}
    for kind, selector in (("success", ".message--success"), ("ok", ".notice--ok")):
        colours[kind] = page.locator(selector).first.evaluate(
            "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
        )
    visit(page, site.guide.get_absolute_url())
    assert colours["success"] == colours["ok"]
    assert colours["success"][0] == "rgb(20, 83, 45)"  # dark green on pale green, not olive
    visit(page, f"/enrolments/{site.enrolment.pk}/settings/")
    save_screenshot(page, "desktop-notices")


@pytest.mark.browser_context_args(timezone_id="Asia/Kolkata")
@pytest.mark.django_db(transaction=True)
def test_sign_up_preselects_the_browsers_time_zone(page, live_server):
    visit(page, "/accounts/signup/")
    # Chromium names this zone Asia/Calcutta, an alias the picker does not offer.
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") in (
        "Asia/Calcutta",
        "Asia/Kolkata",
    )
    assert page.get_by_label("Time zone").input_value() == "Asia/Kolkata"


@pytest.mark.django_db(transaction=True)
def test_the_header_search_shows_its_whole_placeholder_signed_in(page, context, live_server, site):
    """With the signed-in menu's eight items beside it, the box keeps room for its placeholder."""
    log_in(context, live_server, site.alice)
    visit(page, "/dashboard/")
    box = page.locator("#site-search-q")
    needed = box.evaluate(
        "input => { const c = document.createElement('canvas').getContext('2d');"
        " const s = getComputedStyle(input); c.font = s.font;"
        " return c.measureText(input.placeholder).width"
        " + parseFloat(s.paddingLeft) + parseFloat(s.paddingRight); }"
    )
    assert box.evaluate("input => input.clientWidth") >= needed
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
