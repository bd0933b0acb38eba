"""Every answer carries the strict policy; public pages need no nonce, so cached copies hold."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import build_guide

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
REQUIRED = [
    "default-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
]


def _policy(response) -> str:
    return response["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_cached_pages_errors_and_the_api_carry_the_policy(alice):
    guide = build_guide(company="OKX", slug="okx-head-of-engineering", rounds=1)
    visitor = Client()
    first = visitor.get(guide.get_absolute_url())
    cached = visitor.get(guide.get_absolute_url())
    candidate = Client()
    candidate.force_login(alice)

    answers = [
        first,
        cached,
        visitor.get("/no/such/page/"),
        visitor.get("/search/?q=%00"),
        visitor.get("/api/v1/guides/"),
        candidate.get("/dashboard/"),
    ]

    for response in answers:
        policy = _policy(response)
        assert all(directive in policy for directive in REQUIRED), policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # No nonce on public pages: a copy served from the cache is as valid as the first.
    assert "nonce-" not in _policy(first)
    assert _policy(cached) == _policy(first)


@pytest.mark.django_db
def test_api_docs_get_a_new_nonce_per_request():
    first = Client().get("/api/v1/docs/")
    second = Client().get("/api/v1/docs/")

    nonces = [re.search(r"'nonce-([^']+)'", _policy(r)).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1]
    assert f'nonce="{nonces[0]}"' in first.content.decode()


def test_site_templates_have_no_inline_script_or_style():
    found = []
    for template in TEMPLATES.rglob("*.html"):
        if "email" in template.as_posix() or template.parent.name == "drf_spectacular":
            continue  # E-mails are not served under the policy; the docs use nonces.
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=", text):
            found.append(template.name)
    assert found == []
