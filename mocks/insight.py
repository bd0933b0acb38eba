"""Mock scores for the recruiters' insight page (rounds/insight): aggregates only.

For each evaluation criterion candidates graded themselves on in this guide's mocks, the mean
self-grade (1–4) and how many candidates it comes from; a criterion graded by fewer than five
candidates is withheld like every figure on that page.
"""

from django.db.models import Avg, Count

from rounds.insight.aggregates import Row, Section
from rounds.insight.privacy import figure
from rounds.models import Guide

from .models import MockGrade


def scores_per_criterion(*, guide: Guide) -> Section:
    grades = (
        MockGrade.objects.filter(mock__round__guide=guide)
        .values("criterion")
        .annotate(mean=Avg("score"), candidates=Count("mock__user", distinct=True))
        .order_by("criterion")
    )
    rows = tuple(
        Row(
            grade["criterion"][:120],
            (
                figure(round(float(grade["mean"]), 1), candidates=grade["candidates"]),
                figure(grade["candidates"], candidates=grade["candidates"]),
            ),
        )
        for grade in grades
    )
    return Section(
        "mock-scores",
        "Mock interview self-grades per evaluation criterion (1–4)",
        "Criterion",
        ("Mean grade", "Candidates"),
        rows,
        note="Candidates grade themselves after each mock; a criterion graded by fewer than "
        "five candidates is not shown.",
    )
