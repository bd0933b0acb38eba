"""Forms at 390 px: a recruiter's question form and a candidate's mock grading, as a phone shows
them (each with a screenshot to look at)."""

import pytest
from playwright.sync_api import expect

from .browser import PHONE, axe_report, log_in, save_screenshot, visit

LONG_QUESTION = (
    "Walk us through how you would split a monolithic settlement service into independently "
    "deployable parts without stopping payouts for a single day"
)


@pytest.mark.django_db(transaction=True)
def test_question_form_on_a_phone_has_tag_checkboxes_and_icons_beside_their_selects(
    page, context, live_server, recruiter
):
    from questions.models import Tag
    from tests.factories import build_guide

    guide = build_guide(rounds=1, questions_per_round=1, regions=1)
    question = guide.questions.filter(round__isnull=False).first()
    Tag.objects.create(name="fintech", slug="fintech")
    log_in(context, live_server, recruiter)
    page.set_viewport_size(PHONE)

    visit(page, f"/admin/questions/question/{question.pk}/change/")

    # Checkboxes, not a multiple select that needs Ctrl/Cmd-click and says so.
    expect(page.get_by_role("checkbox", name="fintech")).to_be_visible()
    expect(page.get_by_text("Hold down")).to_have_count(0)
    for field in ("guide", "round"):
        select = page.locator(f"#id_{field}").bounding_box()
        icons = page.locator(f".related-widget-wrapper:has(#id_{field}) > a")
        assert icons.count() >= 2, field
        for index in range(icons.count()):
            icon = icons.nth(index).bounding_box()
            middle = icon["y"] + icon["height"] / 2
            assert select["y"] <= middle <= select["y"] + select["height"], (field, index)
            assert icon["x"] + icon["width"] <= PHONE["width"], (field, index)
    assert axe_report(page) == ""
    save_screenshot(page, "admin-question-change-390")


@pytest.mark.django_db(transaction=True)
def test_grading_a_mock_on_a_phone_keeps_each_question_inside_its_box(
    page, context, live_server, seed_guide
):
    from studyplan.progress import local_today_for
    from studyplan.services import enrolment_create
    from tests.factories import UserFactory

    seed_guide.questions.filter(round__order=2).update(text=LONG_QUESTION)
    candidate = UserFactory(email="grace@example.com", time_zone="UTC")
    enrolment_create(user=candidate, guide=seed_guide, start_date=local_today_for("UTC"))
    log_in(context, live_server, candidate)
    page.set_viewport_size(PHONE)
    page.goto(seed_guide.rounds.get(order=2).get_absolute_url())
    page.get_by_role("link", name="Mock interview").click()
    page.get_by_label("Number of questions").fill("1")
    page.get_by_role("button", name="Start the mock").click()
    page.get_by_label("Your answer notes").fill("Strangler pattern, payouts first.")
    page.get_by_role("button", name="Save and grade yourself").click()
    expect(page.get_by_role("heading", name="Grade your mock")).to_be_visible()

    boxes = page.locator("fieldset.grade-question, fieldset.grade-criterion")
    assert boxes.count() >= 2
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        legend = boxes.nth(index).locator("legend").bounding_box()
        # Inside the border, not straddling it (the top border crossed a wrapped legend).
        assert legend["y"] >= box["y"] + 8, index
        assert legend["x"] + legend["width"] <= box["x"] + box["width"]
    assert axe_report(page) == ""
    save_screenshot(page, "mock-grade-390")
