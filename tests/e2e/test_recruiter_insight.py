"""The guide's Insight page fits a 1280 px screen and passes axe and vnu."""

import pytest

from .browser import PHONE, axe_report, log_in, save_screenshot, visit, vnu_errors


@pytest.fixture
def guide(transactional_db):
    from tests.factories import build_guide

    guide = build_guide(rounds=2, questions_per_round=2, regions=1, blocks=2, tasks_per_block=2)
    question = guide.questions.first()
    question.text = "How do you grow senior engineers into staff engineers?"
    question.save()
    return guide


@pytest.mark.django_db(transaction=True)
def test_insight_page_fits_1280_and_passes_axe_and_vnu(
    page, context, live_server, recruiter, guide
):
    from studyplan.models import EnrolmentStatus
    from tests.admin.test_insight import enrol, everyone_does_everything

    everyone_does_everything(guide, 6)
    enrol(guide, 5, status=EnrolmentStatus.PAUSED, weeks_ago=2)
    log_in(context, live_server, recruiter)

    visit(page, f"/admin/rounds/guide/{guide.pk}/insight/")

    assert page.get_by_role("heading", name="Candidates by plan status").is_visible()
    assert page.locator("svg.insight-chart").count() == 7
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    save_screenshot(page, "admin-insight-1280")
    assert axe_report(page) == ""
    assert vnu_errors({"insight": page.content()}) == {}


@pytest.mark.django_db(transaction=True)
def test_insight_page_fits_a_phone(page, context, live_server, recruiter, guide):
    from tests.admin.test_insight import everyone_does_everything

    everyone_does_everything(guide, 5)
    log_in(context, live_server, recruiter)
    page.set_viewport_size(PHONE)

    visit(page, f"/admin/rounds/guide/{guide.pk}/insight/")

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save_screenshot(page, "admin-insight-390")
