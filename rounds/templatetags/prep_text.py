"""Template helpers for showing content text."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def highlight(text: str, query: str) -> SafeString:
    """`text`, escaped, with every word of `query` wrapped in <mark>."""
    words = sorted({w for w in (query or "").split() if w}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)
    # Split the raw text, then escape each piece: matching escaped text could cut an entity.
    parts = pattern.split(str(text))
    html = "".join(
        f"<mark>{escape(part)}</mark>" if i % 2 else escape(part) for i, part in enumerate(parts)
    )
    return mark_safe(html)
