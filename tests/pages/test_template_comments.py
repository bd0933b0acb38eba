"""A {# #} comment ends on its own line in Django; spread over two, it is printed on the page
(the dashboard once showed a developer's note to candidates)."""

from pathlib import Path

import pytest

TEMPLATES = sorted(Path(__file__).resolve().parents[2].joinpath("templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("templates/")[-1])
def test_no_comment_runs_over_a_line(template):
    lines = template.read_text(encoding="utf-8").splitlines()
    unclosed = [n for n, line in enumerate(lines, 1) if line.count("{#") > line.count("#}")]
    assert not unclosed, f"{template}: a {{# comment opened on line(s) {unclosed} does not close"
