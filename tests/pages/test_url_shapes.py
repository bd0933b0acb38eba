"""prep.url_shapes builds the same URLs as reverse(), without the resolver."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from prep.url_shapes import slug_url


@pytest.mark.parametrize(
    ("name", "slugs"),
    [
        ("questions:detail", {"guide_slug": "okx-head", "question_slug": "tell-me-about-a-time"}),
        ("rounds:detail", {"guide_slug": "a_b-9", "round_slug": "round-1"}),
        ("rounds:guide", {"guide_slug": "okx"}),
    ],
)
def test_slug_url_is_what_reverse_gives(name, slugs):
    assert slug_url(name, **slugs) == reverse(name, kwargs=slugs)


def test_slug_url_follows_the_script_prefix():
    set_script_prefix("/prep/")
    try:
        assert slug_url("rounds:guide", guide_slug="okx") == "/prep/guides/okx/"
    finally:
        set_script_prefix("/")
    assert slug_url("rounds:guide", guide_slug="okx") == "/guides/okx/"


def test_a_value_that_is_not_a_slug_goes_through_reverse_and_fails_the_same_way():
    with pytest.raises(NoReverseMatch):
        slug_url("rounds:guide", guide_slug="not a slug/")
    with pytest.raises(NoReverseMatch):
        slug_url("rounds:guide", guide_slug="")
