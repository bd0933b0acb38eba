"""Read a page the way a candidate does: its visible text, not its markup."""

import html
import re

_HIDDEN = re.compile(r"<(script|style|head)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
# Inline tags vanish without a trace, so "a <mark>word</mark>." reads "a word."; block tags
# become spaces, so neighbouring paragraphs don't run together.
_INLINE_TAG = re.compile(r"</?(a|mark|span|strong|em|b|i|code|time|abbr|small)\b[^>]*>", re.I)


def page_text(response) -> str:
    """The page's text with tags stripped, entities decoded and whitespace collapsed."""
    markup = _INLINE_TAG.sub("", _HIDDEN.sub(" ", response.content.decode()))
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def headings(response) -> list[str]:
    """The text of every h1-h3 on the page, in order."""
    found = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", response.content.decode(), re.DOTALL)
    return [" ".join(html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", h))).split()) for h in found]
