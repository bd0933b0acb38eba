"""Recruiter-edited lists are stored one item per line; this turns them back into lists."""


def content_lines(text: str) -> list[str]:
    """The non-blank lines of a one-item-per-line field, stripped, in order."""
    return [line.strip() for line in text.splitlines() if line.strip()]
