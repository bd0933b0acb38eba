"""Horizontal bar charts drawn as SVG on the server: no script, no CDN, any screen width.

The chart is a picture of the table printed under it (which is what assistive technology
reads); geometry is worked out here so the template only places shapes.
"""

from dataclasses import dataclass

from .aggregates import Section

WIDTH = 720
LABEL_WIDTH = 300
BAR_MAX = 330
BAR_HEIGHT = 14
BAR_GAP = 3
ROW_GAP = 10
LABEL_CHARS = 46
# Prep's blue for the first series; red and grey tell failed and unsubscribed apart. The legend's
# swatches (admin.css, .insight-series-N) use the same colours.
COLOURS = ("#1d4ed8", "#b91c1c", "#4b5563")


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    colour: str
    text: str
    text_x: int
    shown: bool


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    rows: tuple[ChartRow, ...]
    legend: tuple[str, ...]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(section: Section) -> Chart:
    """The section's rows as bars, scaled to the largest figure shown (100 % for shares)."""
    values = [f.value for row in section.rows for f in row.figures if f.shown]
    scale = 1.0 if section.percent else max(values, default=0) or 1
    series = len(section.series)
    legend = section.series if series > 1 else ()
    y = 0
    rows = []
    for row in section.rows:
        bars = []
        figures = row.figures
        if not any(f.shown for f in figures):
            # One "fewer than 5" for the row, not one per series: the table has them all.
            figures = figures[:1]
        for i, fig in enumerate(figures):
            bar_y = y + i * (BAR_HEIGHT + BAR_GAP)
            width = round(BAR_MAX * fig.value / scale) if fig.shown else 0
            bars.append(
                Bar(
                    y=bar_y,
                    width=width,
                    colour=COLOURS[i % len(COLOURS)],
                    text=fig.text,
                    text_x=LABEL_WIDTH + width + 6,
                    shown=fig.shown,
                )
            )
        group_height = len(figures) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        rows.append(ChartRow(_short(row.label), y + group_height // 2 + 4, tuple(bars)))
        y += group_height + ROW_GAP
    return Chart(WIDTH, max(y - ROW_GAP, 1), LABEL_WIDTH, tuple(rows), legend)
