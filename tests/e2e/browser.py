"""What browser tests share besides fixtures: pages to visit, logging in, screenshots, vnu."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

SEED_FILE = ROOT / "content" / "okx-head-of-engineering.yaml"
SEED_SLUG = "okx-head-of-engineering"
PASSWORD = "correct horse battery staple"


def log_in(context, live_server, user) -> None:
    """Give a browser context the session cookie of `user`, as if they had logged in."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def path_of(url: str) -> str:
    """The path and query of an absolute link from an e-mail (its host is SITE_URL, not ours)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def guide_pages(slug: str = SEED_SLUG) -> dict[str, str]:
    """The public pages of the seed guide: the ones every visitor can reach."""
    question = "describe-your-approach-to-hiring-and-retaining-top-engineering-talent"
    return {
        "home": "/",
        "search": "/search/?q=leadership",
        "guide": f"/guides/{slug}/",
        "round": f"/guides/{slug}/rounds/hr-screening/",
        "region": f"/guides/{slug}/regions/asia/",
        "questions": f"/guides/{slug}/questions/?kind=people",
        "question": f"/guides/{slug}/questions/{question}/",
        "plan": f"/guides/{slug}/plan/",
        "not-found": "/guides/no-such-guide/",
    }


def visit(page, path: str):
    """Open a page and insist it is the page asked for, not an error in its place."""
    response = page.goto(path)
    expected = 404 if path == guide_pages()["not-found"] else 200
    assert response is not None and response.status == expected, f"{path}: {response.status}"
    return response


def save_screenshot(page, name: str) -> Path:
    """Keep a full-page screenshot of a successful run for people to look at (not in git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def vnu_errors(html_by_name: dict[str, str]) -> dict[str, list[str]]:
    """Validate HTML documents with the Nu HTML checker; return the errors per document."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail(
            "The Nu HTML checker needs java and node_modules/vnu-jar (`make test` installs)"
        )
    workdir = ARTIFACTS / "html"
    workdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, html in html_by_name.items():
        path = workdir / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors: dict[str, list[str]] = {name: [] for name in html_by_name}
    for message in messages:
        name = Path(message.get("url", "")).stem
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')}"
        )
    return {name: errs for name, errs in errors.items() if errs}


# WCAG 2.1 A and AA, plus axe's best practices (heading order, one main landmark, all content in
# landmarks), which our house rules ask for too.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_report(page, *, javascript: bool = True) -> str:
    """axe-core's findings on the page as it is now; empty when there are none.

    axe is a script: in a context with JavaScript off, Playwright's evaluate never returns. There
    the page is loaded again, with the same cookies, in a context with JavaScript on, so the
    markup a visitor without JavaScript gets is audited all the same (GET pages only).
    """
    if javascript:
        results = Axe().run(page, options=AXE_OPTIONS)
        return results.generate_report() if results.violations_count else ""
    context = page.context.browser.new_context(
        storage_state=page.context.storage_state(), viewport=page.viewport_size
    )
    try:
        copy = context.new_page()
        copy.goto(page.url)
        return axe_report(copy)
    finally:
        context.close()


# Run a journey twice: with JavaScript and in a browser context with it switched off. The test
# takes a `javascript` argument saying which run it is.
WITH_AND_WITHOUT_JAVASCRIPT = pytest.mark.parametrize(
    "javascript",
    [
        pytest.param(True, id="with-javascript"),
        pytest.param(
            False,
            id="without-javascript",
            marks=pytest.mark.browser_context_args(java_script_enabled=False),
        ),
    ],
)
