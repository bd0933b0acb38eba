"""Error reporting is off without SENTRY_DSN; with it, errors reach the Sentry server without
personal data, tagged with the request id. A fake Sentry server on loopback receives them."""

import gzip
import json
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django, sentry_sdk
django.setup()
from django_guid import set_guid
print("initialised" if sentry_sdk.is_initialized() else "off")
print("pii" if sentry_sdk.get_client().options.get("send_default_pii") else "no pii")
set_guid("0123456789abcdef0123456789abcdef")
try:
    1 / 0
except ZeroDivisionError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(timeout=10)
"""


def run_django(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "prep.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def sentry_server():
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
            elif encoding == "br":
                import brotli

                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


def events(envelopes: list[bytes]) -> list[dict]:
    found = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_sentry_is_off_without_a_dsn(sentry_server):
    result = run_django()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "off"
    assert sentry_server[1] == []


def test_errors_reach_sentry_tagged_with_the_request_id_and_without_personal_data(sentry_server):
    port, received = sentry_server
    result = run_django(SENTRY_DSN=f"http://public@127.0.0.1:{port}/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["initialised", "no pii"]
    [event] = events(received)
    assert event["exception"]["values"][0]["type"] == "ZeroDivisionError"
    assert event["tags"]["request_id"] == "0123456789abcdef0123456789abcdef"
    assert {"django", "celery"} <= set(event["sdk"]["integrations"])


def test_a_bad_sample_rate_stops_start_up():
    result = run_django(SENTRY_DSN="http://public@127.0.0.1:9/1", SENTRY_TRACES_SAMPLE_RATE="lots")
    assert result.returncode != 0
    assert "SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1" in result.stderr
