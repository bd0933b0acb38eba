"""A real gunicorn with two workers and production settings whose database is unreachable.

What a load balancer, a log collector and Prometheus get from it: the liveness probe still
answers, readiness names the database, every log line is JSON and carries the request's id, and
request counters add up across both workers.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from .test_health import closed_port

ROOT = Path(__file__).resolve().parents[2]
METRICS_TOKEN = "a-metrics-token-that-is-long-enough-0123456789"


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    multiproc = var / "prometheus"
    multiproc.mkdir()
    log = var / "server.log"
    port = closed_port()
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT", "SENTRY_DSN"}
    env = {
        **{k: v for k, v in os.environ.items() if k not in dropped},
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "prep.example.com",
        "PREP_VAR_DIR": str(var),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/prep",
        "METRICS_TOKEN": METRICS_TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
    }
    for folder in ("broker/queue", "broker/processed", "broker/control", "static"):
        (var / folder).mkdir(parents=True)
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "prep.wsgi", "--workers", "2"]
            + ["--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(log.read_text()) from None
                time.sleep(0.2)
        yield {"url": base, "log": log}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def json_lines(log: Path) -> list[dict]:
    # gunicorn's own start-up lines come from the master, before Django configures logging.
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def test_liveness_answers_while_the_database_is_down(server):
    status, headers, body = get(f"{server['url']}/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_readiness_names_the_database_when_it_is_down(server):
    status, headers, body = get(f"{server['url']}/readyz")
    assert status == 503
    report = json.loads(body)
    assert "database" in report["failed"]
    assert report["checks"]["database"] == {"status": "unavailable", "detail": "Unavailable"}
    # The driver's message (host and port) goes to the log, not to the public.
    assert "127.0.0.1" not in body.decode()


def test_every_log_line_of_a_request_is_json_and_carries_its_request_id(server):
    request_id = uuid.uuid4().hex
    status, headers, _ = get(f"{server['url']}/readyz", {"X-Request-ID": request_id})
    assert headers["X-Request-ID"] == request_id
    lines = [line for line in json_lines(server["log"]) if line.get("request_id") == request_id]
    # One line per failed check, with its cause; no "Service Unavailable" error line on top,
    # which would also reach Sentry on every probe.
    assert lines and {line["logger"] for line in lines} == {"health_check"}, lines
    assert any("exc_info" in line and "OperationalError" in line["exc_info"] for line in lines)
    for line in lines:
        assert {"time", "level", "logger", "message"} <= set(line)


def test_a_request_id_that_is_not_a_uuid_is_replaced(server):
    status, headers, _ = get(f"{server['url']}/healthz", {"X-Request-ID": "x" * 300})
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    status, headers, _ = get(f"{server['url']}/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])


def test_request_metrics_add_up_across_workers_and_survive_the_database_outage(server):
    headers = {"Authorization": f"Bearer {METRICS_TOKEN}"}

    def responses_counted() -> float:
        status, _, body = get(f"{server['url']}/metrics", headers)
        assert status == 200
        text = body.decode()
        match = re.search(r"^django_http_responses_before_middlewares_total (\S+)$", text, re.M)
        return float(match.group(1)), text

    before, _ = responses_counted()
    for _ in range(20):
        get(f"{server['url']}/healthz")
    after, text = responses_counted()
    # 20 probes and the first scrape, whichever worker served each.
    assert after - before == 21
    # The reminder gauges need the database: left out rather than failing the scrape.
    assert "prep_reminders_due" not in text


def test_metrics_refuse_a_scraper_without_the_token(server):
    assert get(f"{server['url']}/metrics")[0] == 403
    assert get(f"{server['url']}/metrics", {"Authorization": "Bearer wrong"})[0] == 403
