"""The same request gets the same answer whether the page cache holds its URL or not.

The API negotiates from the Accept header (406 for a type it cannot render, indented JSON on
request); pages are HTML whatever is asked. Each request below is made cold (nothing cached) and
again after each other variant of the same URL was answered (and possibly stored) first.
"""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from prep.caching.versions import content_changed

ACCEPTS = [
    None,
    "application/json",
    "application/json; indent=4",
    "application/xml",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
]
VARIANTS = [(method, accept) for method in ("get", "head") for accept in ACCEPTS]


@pytest.fixture(autouse=True)
def generous_throttle(monkeypatch):
    # Over a hundred anonymous requests per URL: the default allowance would answer 429.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"}
    )


def _answer(client, url, method, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = getattr(client, method)(url, **headers)
    return response.status_code, response.get("Content-Type"), response.content


def _assert_same_answer_cached_or_not(client, url):
    mismatches = []
    for variant in VARIANTS:
        # A new content version makes every stored answer stale: a cold cache, with no flush.
        content_changed()
        cold = _answer(client, url, *variant)
        for first in VARIANTS:
            content_changed()
            _answer(client, url, *first)
            warm = _answer(client, url, *variant)
            if warm != cold:
                mismatches.append((first, variant, cold[:2], warm[:2]))
    assert mismatches == []
    return cold


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/guides/", "/api/v1/guides/{slug}/", "/api/v1/tags/"])
def test_api_answers_the_same_cached_or_not(guide, visitor, path):
    url = path.format(slug=guide.slug)

    _assert_same_answer_cached_or_not(visitor, url)

    content_changed()
    assert visitor.get(url, HTTP_ACCEPT="application/json").status_code == 200
    assert visitor.get(url, HTTP_ACCEPT="application/xml").status_code == 406
    assert b"\n    " in visitor.get(url, HTTP_ACCEPT="application/json; indent=4").content


@pytest.mark.django_db
def test_pages_answer_the_same_cached_or_not(guide, visitor):
    for url in [guide.get_absolute_url(), f"/guides/{guide.slug}/rounds/round-1/", "/"]:
        _assert_same_answer_cached_or_not(visitor, url)
        assert visitor.get(url, HTTP_ACCEPT="application/xml")["Content-Type"].startswith(
            "text/html"
        )
