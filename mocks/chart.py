"""The score-over-time chart of a round's mocks, drawn on the server as SVG coordinates."""

from dataclasses import dataclass

from .models import SCORE_MAX, SCORE_MIN

WIDTH, HEIGHT = 600, 200
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 16, 12, 28


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    gridlines: list[tuple[int, float]]  # (score, y)
    left: int
    right: int

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def score_chart(scores: list[tuple[str, float]]) -> Chart:
    """Points for (label, score) pairs, oldest first; scores run from 1 (bottom) to 4 (top)."""
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def y_of(score: float) -> float:
        return PAD_TOP + inner_h * (SCORE_MAX - score) / (SCORE_MAX - SCORE_MIN)

    step = inner_w / (len(scores) - 1) if len(scores) > 1 else 0
    points = [
        Point(PAD_LEFT + (step * n if len(scores) > 1 else inner_w / 2), y_of(score), label)
        for n, (label, score) in enumerate(scores)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        gridlines=[(s, y_of(s)) for s in range(SCORE_MIN, SCORE_MAX + 1)],
        left=PAD_LEFT,
        right=WIDTH - PAD_RIGHT,
    )
