"""The guide page: one list of rounds, one primary action for whoever looks, short on a phone."""

import pytest
from playwright.sync_api import expect

from .browser import DESKTOP, PHONE, log_in, save_screenshot, visit

# Primary buttons in the page's content (the header search button is the site's, not the page's).
PRIMARY = "main a.button:not(.button--secondary), main button.button:not(.button--secondary)"
# The seed guide was 4,720 px tall on a phone with every section open and the rounds three times.
PHONE_HEIGHT_LIMIT = 4000


def primary_actions(page) -> list[str]:
    return [text.strip() for text in page.locator(PRIMARY).all_inner_texts()]


@pytest.mark.django_db(transaction=True)
def test_guide_page_has_one_primary_action_for_each_reader(page, context, live_server, site):
    from studyplan.services import enrolment_create
    from tests.factories import UserFactory

    path = site.guide.get_absolute_url()
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        visit(page, path)
        assert primary_actions(page) == ["Sign up to follow the 8-week plan"]
        save_screenshot(page, f"guide-{name}-visitor")

    bea = UserFactory(email="bea@example.com", display_name="Bea", time_zone="UTC")
    log_in(context, live_server, bea)
    visit(page, path)
    assert primary_actions(page) == ["Enrol to follow the 8-week plan"]
    save_screenshot(page, "guide-desktop-candidate")

    enrolment_create(user=bea, guide=site.guide, start_date=site.enrolment.start_date)
    visit(page, path)
    assert primary_actions(page) == ["See this week on your dashboard"]
    page.set_viewport_size(PHONE)
    visit(page, path)
    save_screenshot(page, "guide-phone-enrolled")


@pytest.mark.django_db(transaction=True)
def test_guide_page_lists_rounds_once_and_stays_short_on_a_phone(page, site):
    page.set_viewport_size(PHONE)
    visit(page, site.guide.get_absolute_url())

    for round_ in site.guide.rounds.all():
        assert page.locator(f'main a[href="{round_.get_absolute_url()}"]').count() == 1
    # Criteria without descriptions are a compact list, not cards holding only a title.
    assert page.locator("#evaluation-criteria .card").count() == 0
    expect(page.locator("#evaluation-criteria li")).to_have_count(2)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < PHONE_HEIGHT_LIMIT, height

    # Anchors lead to every section from the top of the page.
    toc = page.get_by_role("navigation", name="On this page")
    toc.get_by_role("link", name="Study plan").click()
    expect(page.locator("#study-plan")).to_be_in_viewport()


@pytest.mark.django_db(transaction=True)
def test_study_plan_rows_leave_no_card_alone(page, site):
    page.set_viewport_size(DESKTOP)
    visit(page, site.guide.get_absolute_url())
    boxes = page.locator("#study-plan .plan-list__item").evaluate_all(
        "items => items.map(i => [i.getBoundingClientRect().left, i.offsetWidth])"
    )
    assert len(boxes) == 4
    # One row per block, all the same width: nothing sits alone on a half-empty row.
    assert len({round(left) for left, _ in boxes}) == 1
    assert len({round(width) for _, width in boxes}) == 1
