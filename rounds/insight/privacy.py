"""The one rule that keeps insight anonymous: no figure from fewer than five candidates.

Every number on the insight page goes through `figure()`, so a recruiter can never learn what
one or a handful of candidates did (a count of 1, a block 100 % done by 2 people) by reading
the page or comparing it with yesterday's.
"""

from dataclasses import dataclass

MIN_GROUP_SIZE = 5
SUPPRESSED_TEXT = f"fewer than {MIN_GROUP_SIZE}"


def may_show(candidates: int) -> bool:
    """Whether a figure computed from this many distinct candidates may be shown."""
    return candidates >= MIN_GROUP_SIZE


@dataclass(frozen=True)
class Figure:
    """One number on the page, or the fact that it is withheld."""

    value: float
    shown: bool
    percent: bool = False

    @property
    def text(self) -> str:
        """What the page prints: the number, or "fewer than 5" in its place."""
        if not self.shown:
            return SUPPRESSED_TEXT
        if self.percent:
            return f"{round(self.value * 100)}%"
        return f"{self.value:g}"


def figure(value: float, *, candidates: int, percent: bool = False) -> Figure:
    """A figure computed from `candidates` distinct candidates, withheld below the minimum."""
    # A withheld figure keeps neither its value nor its group size, so no template or chart
    # can print them by mistake.
    if not may_show(candidates):
        return Figure(0, False, percent)
    return Figure(value, True, percent)
