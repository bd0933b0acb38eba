"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told the test owns the risk.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it with apt-get")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-quic",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
            try:
                page.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - a failed screenshot must not hide the real failure
                pass


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
        pytest.fail("The Nu HTML checker needs java and node_modules/vnu-jar (`make test` installs)")
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
