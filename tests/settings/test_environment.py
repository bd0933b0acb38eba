"""Settings come from the environment: production passes Django's deploy checks, bad values fail
loudly at start-up instead of running half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "prep.example.com",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser suite sets DJANGO_ALLOW_ASYNC_UNSAFE in its own process; deployments never do.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_BACKEND"}
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


def test_production_without_redis_passes_the_deploy_checks_on_the_database_cache():
    result = manage("check", "--deploy", "--fail-level", "WARNING", REDIS_URL="", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_on_a_per_process_cache_fails_the_deploy_check():
    result = manage("check", "--deploy", CACHE_BACKEND="memory", **PRODUCTION)

    assert result.returncode != 0
    assert "prep.E001" in result.stderr
    assert "each process's own memory" in result.stderr


def test_a_single_process_with_debug_on_may_use_its_own_memory():
    result = manage("check", "--deploy", CACHE_BACKEND="memory", DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "prep.E001" not in result.stderr + result.stdout


def test_an_unknown_cache_backend_is_named_in_the_error():
    result = manage("check", CACHE_BACKEND="memcached")
    assert result.returncode != 0
    assert "CACHE_BACKEND must be redis, database or memory" in result.stderr


@pytest.mark.parametrize(
    ("backend", "error"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", "prep.E001"),
        ("django.core.cache.backends.dummy.DummyCache", "prep.E002"),
    ],
)
def test_a_cache_no_other_process_sees_fails_the_deploy_check(settings, backend, error):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend}}

    found = run_checks(include_deployment_checks=True, tags=["caches"])

    assert [message.id for message in found] == [error]


def test_a_shared_cache_passes_the_deploy_check(settings):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "prep_cache",
        }
    }

    assert run_checks(include_deployment_checks=True, tags=["caches"]) == []
