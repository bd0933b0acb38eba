"""Settings come from the environment: production passes Django's deploy checks, bad values fail
loudly at start-up instead of running half-configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "prep.example.com",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser suite sets DJANGO_ALLOW_ASYNC_UNSAFE in its own process; deployments never do.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="prep.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_malformed_boolean_is_named_in_the_error():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
