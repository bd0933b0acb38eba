"""The recruiter's admin pages fit a 1280 px screen, read clearly and pass axe."""

import pytest

from .browser import SEED_FILE, axe_report, log_in, visit, vnu_errors


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
    assert axe_report(page) == ""
    assert vnu_errors({"history": page.content()}) == {}


@pytest.mark.django_db(transaction=True)
def test_import_preview_passes_axe_and_vnu(page, context, live_server, recruiter):
    log_in(context, live_server, recruiter)
    visit(page, "/admin/rounds/guide/import/")

    page.set_input_files("#id_file", str(SEED_FILE))
    page.get_by_role("button", name="Preview import").click()

    assert page.get_by_text("Nothing has been imported yet.").is_visible()
    assert axe_report(page) == ""
    assert vnu_errors({"import-preview": page.content()}) == {}
