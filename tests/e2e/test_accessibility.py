"""Every main page meets WCAG 2.1 AA as axe-core checks it, signed out and signed in."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import log_in, visit

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
def test_every_page_has_no_wcag_violations_for_candidates(page, context, live_server, site):
    log_in(context, live_server, site.alice)

    assert axe_violations(page, site.signed_in) == {}
