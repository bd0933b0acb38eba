"""A recruiter previews a draft guide on the site: banners and marks meet WCAG 2.1 AA and vnu."""

import pytest
from playwright.sync_api import expect

from .browser import axe_report, guide_pages, log_in, visit, vnu_errors


@pytest.mark.django_db(transaction=True)
def test_draft_preview_pages_are_accessible_and_valid_for_recruiters(
    page, context, live_server, seed_guide, recruiter
):
    from questions.models import Question
    from rounds.models import Guide

    Guide.objects.filter(pk=seed_guide.pk).update(status="draft")
    question_slug = guide_pages()["question"].split("/")[-2]
    Question.objects.filter(guide=seed_guide, slug=question_slug).update(is_published=False)
    # The pages a recruiter previews: every guide page except the shared 404.
    pages = {name: path for name, path in guide_pages().items() if name != "not-found"}
    pages["questions"] = f"/guides/{seed_guide.slug}/questions/"
    log_in(context, live_server, recruiter)

    violations, documents = {}, {}
    for name, path in pages.items():
        documents[name] = visit(page, path).text()
        if report := axe_report(page):
            violations[name] = report

    assert "not visible to candidates: this guide is only shown to staff" in documents["guide"]
    assert "Unpublished" in documents["questions"]
    visit(page, pages["guide"])
    expect(page.locator(".draft-banner")).to_be_visible()
    assert violations == {}
    # File names apart from the signed-out and candidate documents; a known-bad document proves
    # the checker really looked.
    checked = {f"staff-{name}": html for name, html in documents.items()}
    checked["staff-control-invalid"] = "<!doctype html><title>x</title><p><div></p>"
    errors = vnu_errors(checked)
    assert errors.pop("staff-control-invalid")
    assert errors == {}
