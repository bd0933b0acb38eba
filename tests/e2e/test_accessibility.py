"""Every main page meets WCAG 2.1 AA as axe-core checks it, signed out and signed in."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .browser import log_in, visit

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page, pages: dict[str, str]) -> dict[str, str]:
    axe = Axe()
    found = {}
    for name, path in pages.items():
        visit(page, path)
        results = axe.run(page, options=WCAG_21_AA)
        if results.violations_count:
            found[name] = results.generate_report()
    return found


@pytest.mark.django_db(transaction=True)
def test_every_page_has_no_wcag_violations_for_visitors(page, site):
    assert axe_violations(page, site.signed_out) == {}


@pytest.mark.django_db(transaction=True)
def test_form_errors_have_no_wcag_violations(page, site):
    visit(page, site.signed_out["signup"])
    page.get_by_label("E-mail address").fill("not-an-address")
    page.get_by_role("button", name="Sign up").click()

    assert page.get_by_text("Enter a valid email address.").is_visible()
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.django_db(transaction=True)
def test_every_page_has_no_wcag_violations_for_candidates(page, context, live_server, site):
    log_in(context, live_server, site.alice)

    assert axe_violations(page, site.signed_in) == {}
