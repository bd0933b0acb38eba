"""Two gunicorn processes on one database and no Redis: what one of them changes, both show.

Production runs several web workers, a Celery worker and management commands side by side. The
page cache, its content and candidate versions and the API throttles live in the cache, so these
tests serve Prep from two real gunicorn processes with production settings and no REDIS_URL (the
database cache the settings pick then), change something through one process, and ask each
process in turn.

Each server is its own gunicorn with one sync worker, so the test decides which process answers
each request: one gunicorn with two workers lets the kernel choose, and a test that may never reach
the second worker could pass with a per-process cache.
"""

import datetime
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from studyplan.models import StudyTask
from tests.factories import EnrolmentFactory, build_guide

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "content" / "okx-head-of-engineering.yaml"
REQUESTS = 10
HOST = "prep.example.com"

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Browser:
    """One browser's cookies, sent to whichever server answers, as behind a load balancer."""

    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, url: str, **headers: str) -> Answer:
        return self._send(urllib.request.Request(url, headers=headers))

    def post(self, url: str, data: dict[str, str], **headers: str) -> Answer:
        body = urllib.parse.urlencode(data).encode()
        return self._send(urllib.request.Request(url, data=body, headers=headers, method="POST"))

    def _send(self, request: urllib.request.Request) -> Answer:
        # Both servers stand behind one address, as behind a load balancer.
        request.add_header("Host", HOST)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = _opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            response = error
        with response:
            body = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return Answer(response.status, dict(response.headers.items()), body)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def signed_in(user) -> Browser:
    # The session row goes into the database the servers read, so both accept the cookie.
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return Browser({name: client.cookies[name].value})


def csrf_token(page: Answer) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)


def production_env(**extra: str) -> dict[str, str]:
    """Production settings without Redis, over plain HTTP on loopback."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "CACHE_BACKEND", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not name.startswith(("DEBUG", "SECURE_", "SESSION_", "CSRF_", "API_THROTTLE"))
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "prep.settings",
        "DEBUG": "0",
        # The test process signs the sessions it creates with its own key.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        **extra,
    }


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory) -> Path:
    """Static files collected once, as a deployment does before starting gunicorn."""
    var = tmp_path_factory.mktemp("var")
    for folder in ("broker/queue", "broker/processed", "broker/control", "mail"):
        (var / folder).mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(PREP_VAR_DIR=str(var)),
        check=True,
        timeout=300,
    )
    return var


def _database_url(tmp_path: Path) -> str:
    """The test database, as a URL other processes can open."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = urllib.parse.quote(db["USER"] or "")
        password = ":" + urllib.parse.quote(db["PASSWORD"]) if db["PASSWORD"] else ""
        return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    # pytest-django keeps the SQLite test database in memory: copy it to a file both can open.
    connection.ensure_connection()
    copy = tmp_path / "prep.sqlite3"
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Servers:
    urls: list[str]
    env: dict[str, str]

    def each(self, path: str, count: int = REQUESTS) -> Iterator[str]:
        """`count` URLs for `path`, taking turns between the servers."""
        for number in range(count):
            yield self.urls[number % len(self.urls)] + path

    def manage(self, *args: str) -> None:
        """A management command in a process of its own, as an operator runs one."""
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, timeout=120
        )


@pytest.fixture
def servers(var_dir, tmp_path) -> Iterator[Callable[..., Servers]]:
    """Start two gunicorn processes on the test database, once the test has written its rows."""
    started: list[subprocess.Popen] = []

    def start(**extra: str) -> Servers:
        env = production_env(
            DATABASE_URL=_database_url(tmp_path),
            DATABASE_CONN_MAX_AGE="0",
            PREP_VAR_DIR=str(var_dir),
            **extra,
        )
        urls = []
        for number in range(2):
            port = _free_port()
            log = (tmp_path / f"gunicorn-{number}.log").open("w")
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "prep.wsgi",
                        "--workers",
                        "1",
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],  # fmt: skip
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, started, strict=True):
            _wait_until_serving(url, process, tmp_path)
        return Servers(urls, env)

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(url: str, process: subprocess.Popen, tmp_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = "\n".join(p.read_text() for p in tmp_path.glob("gunicorn-*.log"))
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{logs}")
        try:
            if Browser().get(url + "/").status == 200:
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"gunicorn at {url} did not answer within a minute")


def _this_monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def test_a_guide_unpublished_through_one_worker_is_gone_from_every_worker(servers, recruiter):
    guide = build_guide(slug="okx", company="OKX")
    rita = signed_in(recruiter)
    web = servers()
    visitor = Browser()
    page, api = guide.get_absolute_url(), reverse("api:guide-list")
    # Each server caches the page and the API answer: twice each, so the second is a cache hit.
    assert [visitor.get(url).status for url in web.each(page, 4)] == [200] * 4
    etags = {visitor.get(url).headers["ETag"] for url in web.each(api, 4)}
    assert len(etags) == 1
    etag = etags.pop()

    changelist = web.urls[0] + reverse("admin:rounds_guide_changelist")
    token = csrf_token(rita.get(changelist))
    done = rita.post(
        changelist,
        {
            "action": "unpublish",
            "_selected_action": str(guide.pk),
            "confirm": "yes",
            "csrfmiddlewaretoken": token,
        },
    )
    assert done.status == 302

    assert [visitor.get(url).status for url in web.each(page)] == [404] * REQUESTS
    answers = [visitor.get(url, **{"If-None-Match": etag}) for url in web.each(api)]
    assert [answer.status for answer in answers] == [200] * REQUESTS
    assert not any('"okx"' in answer.body for answer in answers)
    new_etags = {answer.headers["ETag"] for answer in answers}
    assert len(new_etags) == 1
    assert etag not in new_etags


def test_a_tick_made_through_one_worker_shows_on_every_workers_dashboard(servers, alice):
    guide = build_guide(slug="okx", company="OKX", blocks=2, tasks_per_block=3)
    plan = EnrolmentFactory(user=alice, guide=guide, start_date=_this_monday())
    task = StudyTask.objects.filter(block__guide=guide, block__start_week=1).order_by("order")[0]
    browser = signed_in(alice)
    web = servers()
    dashboards = [browser.get(url) for url in web.each("/dashboard/", 4)]
    assert all("(0 of 6 tasks)" in page.body for page in dashboards)

    toggle = web.urls[0] + reverse("studyplan:task_toggle", args=[plan.pk, task.pk])
    ticked = browser.post(
        toggle,
        {"done": "1", "csrfmiddlewaretoken": csrf_token(dashboards[-1])},
        **{"HX-Request": "true"},
    )
    assert ticked.status == 200

    pages = [browser.get(url).body for url in web.each("/dashboard/")]
    assert ["(1 of 6 tasks)" in page for page in pages] == [True] * REQUESTS


def test_a_guide_reimported_from_the_command_line_shows_on_every_worker(servers, tmp_path):
    call_command("import_guide", str(SEED), verbosity=0)
    web = servers()
    visitor = Browser()
    page = reverse("rounds:guide", args=["okx-head-of-engineering"])
    assert all(visitor.get(url).status == 200 for url in web.each(page, 4))

    data = yaml.safe_load(SEED.read_text())
    data["summary"] = "Rewritten summary from the recruiters."
    edited = tmp_path / "okx.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    web.manage("import_guide", str(edited))

    pages = [visitor.get(url).body for url in web.each(page)]
    assert ["Rewritten summary from the recruiters." in body for body in pages] == [True] * REQUESTS


def test_the_api_throttle_counts_requests_to_every_worker_together(servers):
    build_guide(slug="okx", company="OKX")
    web = servers(API_THROTTLE_ANON="4/minute")
    client = Browser()

    statuses = [client.get(url).status for url in web.each(reverse("api:guide-list"), 8)]

    assert statuses == [200] * 4 + [429] * 4
