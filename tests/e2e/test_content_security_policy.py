"""Every main page, the admin and the API docs work under the Content-Security-Policy.

Chromium reports each blocked script, style, image, font or frame on the console ("Refused to
..."); a page that logs one fails, so a new inline script or a CDN link shows up here.
"""

import pytest
from playwright.sync_api import expect

from .browser import log_in, visit


def _watch(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def _open_all(page, paths) -> None:
    for path in paths:
        response = visit(page, path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_public_pages_break_no_rule_signed_out_and_from_the_cache(page, site):
    violations = _watch(page)

    _open_all(page, site.signed_out.values())
    # The second visit is served whole from the page cache: same policy, still nothing blocked.
    _open_all(page, [site.signed_out["guide"], site.signed_out["questions"]])

    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_candidate_pages_and_htmx_break_no_rule(page, context, live_server, site):
    log_in(context, live_server, site.alice)
    violations = _watch(page)

    _open_all(page, site.signed_in.values())
    visit(page, "/dashboard/")
    task = page.locator(".task__toggle").nth(1)
    pressed = task.get_attribute("aria-pressed")
    task.click()
    # htmx swapped the task in place (its own script ran, and nothing it did was refused).
    expect(task).not_to_have_attribute("aria-pressed", pressed)
    expect(page.get_by_role("status").filter(has_text="Marked")).to_be_attached()

    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_admin_and_api_docs_work_under_the_policy(page, context, live_server, site):
    from tests.factories import UserFactory

    root = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    log_in(context, live_server, root)
    violations = _watch(page)

    _open_all(
        page,
        [
            "/admin/",
            "/admin/rounds/guide/",
            f"/admin/rounds/guide/{site.guide.pk}/change/",
            "/admin/questions/question/?kind__exact=people",
            "/admin/questions/question/add/",
            "/admin/rounds/guide/completeness/",
        ],
    )
    visit(page, "/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Prep API")
    visit(page, "/api/v1/redoc/")
    # ReDoc fetches and lays out the whole schema first.
    expect(page.locator("h1").first).to_contain_text("Prep API", timeout=30_000)

    assert violations == []


def test_a_violation_is_reported(page, live_server):
    violations = _watch(page)
    page.route(
        "**/csp-probe",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
            body="<!doctype html><title>x</title><script>document.title='ran'</script>",
        ),
    )

    page.goto(f"{live_server.url}/csp-probe")

    assert page.title() == "x"
    assert len(violations) == 1
