"""Every main page meets WCAG 2.1 AA as axe-core checks it, signed out and signed in."""

import pytest
from playwright.sync_api import expect

from .browser import axe_report, log_in, visit


def axe_violations(page, pages: dict[str, str]) -> dict[str, str]:
    found = {}
    for name, path in pages.items():
        visit(page, path)
        report = axe_report(page)
        if report:
            found[name] = report
    return found


@pytest.mark.django_db(transaction=True)
def test_every_page_has_no_wcag_violations_for_visitors(page, site):
    assert axe_violations(page, site.signed_out) == {}


@pytest.mark.django_db(transaction=True)
def test_form_errors_have_no_wcag_violations(page, site):
    visit(page, site.signed_out["signup"])
    page.get_by_label("E-mail address").fill("not-an-address")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    assert axe_report(page) == ""


@pytest.mark.django_db(transaction=True)
def test_every_page_has_no_wcag_violations_for_candidates(page, context, live_server, site):
    log_in(context, live_server, site.alice)

    assert axe_violations(page, site.signed_in) == {}


def test_axe_reports_an_unlabelled_field_and_an_image_without_text(page):
    page.set_content(
        '<!doctype html><html lang="en"><title>x</title><main><h1>x</h1>'
        '<input type="text"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></html>'
    )

    report = axe_report(page)

    assert "Found 2 accessibility violations" in report
    assert "image-alt" in report and "label" in report
