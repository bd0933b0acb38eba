"""Template helpers for showing content text."""

import datetime
import re

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(moment: datetime.datetime | None) -> str:
    """How long ago `moment` was, as a person says it: "just now", "5 minutes ago"."""
    if moment is None:
        return ""
    seconds = (timezone.now() - moment).total_seconds()
    # timesince() says "0 minutes" for the first minute, and a clock a little ahead says the same.
    if seconds < 60:
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


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
