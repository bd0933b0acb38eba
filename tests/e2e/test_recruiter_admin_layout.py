"""The recruiter's admin pages fit a 1280 px screen, read clearly and pass axe."""

import pytest

from .browser import PHONE, SEED_FILE, axe_report, log_in, save_screenshot, visit, vnu_errors


@pytest.fixture
def guide(transactional_db):
    from rounds.models import EvaluationCriterion
    from tests.factories import build_guide

    guide = build_guide(rounds=2, questions_per_round=2, regions=1, blocks=2, tasks_per_block=2)
    EvaluationCriterion.objects.create(
        guide=guide, order=2, title="Strategic judgement " * 6, description="Long text. " * 60
    )
    question = guide.questions.first()
    question.text = "How do you grow senior engineers into staff engineers?"
    question.save()
    return guide


@pytest.mark.django_db(transaction=True)
def test_guide_page_with_criteria_does_not_scroll_sideways_at_1280(
    page, context, live_server, recruiter, guide
):
    log_in(context, live_server, recruiter)

    visit(page, f"/admin/rounds/guide/{guide.pk}/change/")

    assert page.viewport_size["width"] == 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@pytest.mark.django_db(transaction=True)
def test_guide_names_in_completeness_header_bars_are_visible(
    page, context, live_server, recruiter, guide
):
    log_in(context, live_server, recruiter)

    visit(page, "/admin/rounds/guide/completeness/")

    link = page.locator(f"#guide-{guide.pk} h2 a")
    colour = link.evaluate("a => getComputedStyle(a).color")
    bar = link.evaluate("a => getComputedStyle(a.closest('h2')).backgroundColor")
    assert colour == "rgb(255, 255, 255)"
    assert bar == "rgb(30, 58, 138)"  # Prep's dark blue, not the link's blue


@pytest.mark.django_db(transaction=True)
def test_history_page_passes_axe(page, context, live_server, recruiter, guide):
    log_in(context, live_server, recruiter)

    visit(page, f"/admin/rounds/guide/{guide.pk}/history/")

    assert page.get_by_text("Question changed").first.is_visible()
    print(axe_report(page))
    assert vnu_errors({"history": page.content()}) == {}

    # At 390 px the restore button kept one letter per line; the page must not scroll sideways.
    page.set_viewport_size(PHONE)
    button = page.get_by_role("button", name="Restore this version").first
    assert button.bounding_box()["height"] < 60
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save_screenshot(page, "admin-history-phone")


@pytest.mark.django_db(transaction=True)
def test_import_preview_passes_axe_and_vnu(page, context, live_server, recruiter):
    log_in(context, live_server, recruiter)
    visit(page, "/admin/rounds/guide/import/")

    page.set_input_files("#id_file", str(SEED_FILE))
    page.get_by_role("button", name="Preview import").click()

    assert page.get_by_text("Nothing has been imported yet.").is_visible()
    print(axe_report(page))
    assert vnu_errors({"import-preview": page.content()}) == {}


@pytest.mark.django_db(transaction=True)
def test_dragging_a_round_question_to_the_top_saves_the_new_order(
    page, context, live_server, recruiter, guide
):
    from playwright.sync_api import expect

    from rounds.models import GuideStatus

    from .browser import save_screenshot

    # A draft, edited directly (a published guide's edits are staged: test_staged_edit_journey).
    guide.status = GuideStatus.DRAFT
    guide.save()
    rnd = guide.rounds.order_by("order").first()
    first, second = list(rnd.questions.order_by("order"))[:2]
    log_in(context, live_server, recruiter)
    visit(page, f"/admin/rounds/round/{rnd.pk}/change/")
    expect(page.get_by_text("Drag rows by their handle")).to_be_visible()
    rows = page.locator(".inline-group tbody tr.has_original")
    rows.nth(1).locator(".sortable-inline__handle").drag_to(
        rows.nth(0).locator(".sortable-inline__handle")
    )
    save_screenshot(page, "admin-round-questions-dragged")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.order < first.order
    assert axe_report(page) == ""


@pytest.mark.django_db(transaction=True)
def test_recruiters_editing_pages_pass_axe_and_the_nu_checker(
    page, context, live_server, recruiter, guide
):
    """The pages a recruiter writes content on, as served: no select2 or two-box widgets (both
    failed axe), every field labelled, valid markup."""
    question = guide.questions.filter(round__isnull=False).first()
    block = guide.study_blocks.first()
    log_in(context, live_server, recruiter)
    served = {}
    for name, url in {
        "guide-change": f"/admin/rounds/guide/{guide.pk}/change/",
        "guide-list": "/admin/rounds/guide/",
        "round-change": f"/admin/rounds/round/{question.round_id}/change/",
        "question-change": f"/admin/questions/question/{question.pk}/change/",
        "question-add": f"/admin/questions/question/add/?guide={guide.pk}",
        "question-list": "/admin/questions/question/",
        "block-change": f"/admin/studyplan/studyblock/{block.pk}/change/",
    }.items():
        response = visit(page, url)
        report = axe_report(page)
        assert not report, f"{name}:\n{report}"
        # The document as the server sent it: Django's inline script later sets autocomplete
        # on the formsets' hidden counters, which the checker would report on any admin page.
        served[f"admin-{name}"] = response.text()

    assert vnu_errors(served) == {}


@pytest.mark.django_db(transaction=True)
def test_criterion_rows_name_sits_above_its_inputs_not_on_them(
    page, context, live_server, recruiter, guide
):
    log_in(context, live_server, recruiter)

    visit(page, f"/admin/rounds/guide/{guide.pk}/change/")

    row = page.locator("tr.has_original", has=page.locator(".sortable-inline__handle")).first
    label = row.locator("td.original p").bounding_box()
    order = row.locator("td.field-order input").bounding_box()
    assert label["y"] + label["height"] <= order["y"]
