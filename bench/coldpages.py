"""Pages built from an empty cache: the URL lists of the cache-miss runs and their in-process cost.

    .venv/bin/python bench/coldpages.py [--per-kind 40] [--explain]

`url_lists()` gives, for each kind of page, many different URLs (search terms, filter
combinations, pages, guides, candidates), so a load run that cycles through them never asks for
the same URL twice in a round. `measure()` builds each URL in-process right after the content
version moved (what the first visitor after an edit waits for) and records its time, its queries
and its slowest query, which `explain()` shows with its EXPLAIN ANALYZE plan. Run alone, it
prints the figures for the database in DATABASE_URL (bench/run.py uses it on the bench database).
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

SEARCH_WORDS = [
    # Rare: a number appears in one question's text per guide at most.
    *[str(n) for n in range(100, 300, 7)],
    # Broad: in most questions' text or guidance.
    "scale",
    "people",
    "risk",
    "question",
    "generated",
    "answer covers",
    "strong",
    # A tag's name, matched exactly.
    "bench-topic-3",
    "compliance",
    "leadership",
]


@dataclass
class ColdPage:
    """One URL's build from an empty cache."""

    path: str
    ms: float
    queries: int
    slowest_sql: str
    slowest_ms: float


@dataclass
class KindResult:
    kind: str
    label: str
    pages: list[ColdPage] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(page.ms for page in self.pages)

    @property
    def max_ms(self) -> float:
        return max(page.ms for page in self.pages)

    @property
    def query_counts(self) -> str:
        counts = sorted({page.queries for page in self.pages})
        return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"

    @property
    def slowest(self) -> ColdPage:
        return max(self.pages, key=lambda page: page.slowest_ms)


KIND_LABELS = {
    "search": "Search, rare words",
    "search-broad": "Search, broad words and tags",
    "bank": "Question bank, varied filters and pages",
    "api": "API question list, varied q/tag/kind/page",
    "guide": "Guide pages of 100 guides",
    "round": "Round pages of 100 guides",
    "region": "Region pages",
    "question": "Question pages",
    "home": "Home (guide list)",
    "dashboard": "Dashboards of different candidates",
}


def url_lists(per_kind: int = 600) -> dict[str, list[str]]:
    """For each kind of page, up to `per_kind` different URLs over the whole database."""
    import random

    from questions.models import Question, QuestionKind, Tag
    from rounds.models import Guide, RegionalVariant, Round

    rng = random.Random(11)
    guides = list(Guide.objects.published().values_list("slug", flat=True))
    rounds = list(Round.objects.values_list("guide__slug", "slug"))
    variants = list(RegionalVariant.objects.values_list("guide__slug", "region__slug"))
    tags = list(Tag.objects.values_list("slug", flat=True))
    questions = list(
        Question.objects.published().order_by("?").values_list("guide__slug", "slug")[:per_kind]
    )
    kinds = QuestionKind.values
    lists: dict[str, list[str]] = {
        "search": [f"/search/?q={w}" for w in SEARCH_WORDS[:-9]]
        + [f"/search/?q={w}&page=2" for w in SEARCH_WORDS[:-9]],
        "search-broad": [
            f"/search/?q={w.replace(' ', '+')}&page={page}"
            for w in SEARCH_WORDS[-9:]
            for page in range(1, 8)
        ],
        "home": ["/", "/?utm_source=newsletter"],
        "guide": [f"/guides/{slug}/" for slug in guides],
        "round": [f"/guides/{g}/rounds/{r}/" for g, r in rounds],
        "region": [f"/guides/{g}/regions/{r}/" for g, r in variants],
        "question": [f"/guides/{g}/questions/{q}/" for g, q in questions],
    }
    bank, api = [], []
    for n in range(per_kind):
        guide = rng.choice(guides)
        choice = n % 5
        params = {
            0: f"kind={rng.choice(kinds)}",
            1: f"round=round-{rng.randint(1, 6)}&page={rng.randint(1, 3)}",
            2: f"tag={rng.choice(tags)}",
            3: f"region=region-{rng.randint(0, 1)}&kind={rng.choice(kinds)}",
            4: f"page={rng.randint(1, 12)}",
        }[choice]
        bank.append(f"/guides/{guide}/questions/?{params}")
        api_params = {
            0: f"guide={guide}&kind={rng.choice(kinds)}",
            1: f"guide={guide}&page={rng.randint(1, 3)}",
            2: f"tag={rng.choice(tags)}&page={rng.randint(1, 3)}",
            3: f"q={rng.choice(SEARCH_WORDS[:-9])}",
            4: f"guide={guide}&q={rng.choice(['scale', 'people', 'risk'])}",
        }[choice]
        api.append(f"/api/v1/questions/?{api_params}")
    lists["bank"] = bank
    lists["api"] = api
    return {kind: urls[:per_kind] for kind, urls in lists.items()}


def candidate_ids(count: int) -> list[int]:
    from accounts.models import User

    return list(
        User.objects.filter(enrolments__isnull=False).order_by("pk").values_list("pk", flat=True)
    )[:count]


def _client_for(user_id: int | None):
    from django.test import Client

    from accounts.models import User

    client = Client()
    if user_id is not None:
        client.force_login(User.objects.get(pk=user_id))
    return client


def build(client, path: str) -> ColdPage:
    """One request of `path` right after every version moved, so it is built from scratch."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path)
        ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    return ColdPage(
        path=path,
        ms=ms,
        queries=len(captured),
        slowest_sql=slowest["sql"] if slowest else "",
        slowest_ms=float(slowest["time"]) * 1000 if slowest else 0.0,
    )


def measure(per_kind: int = 40) -> list[KindResult]:
    """Every kind of page, `per_kind` different URLs each, built in-process from an empty cache."""
    results = []
    for kind, urls in url_lists(per_kind).items():
        result = KindResult(kind, KIND_LABELS[kind])
        client = _client_for(None)
        for path in urls:
            result.pages.append(build(client, path))
        results.append(result)
    dashboards = KindResult("dashboard", KIND_LABELS["dashboard"])
    for user_id in candidate_ids(per_kind):
        dashboards.pages.append(build(_client_for(user_id), "/dashboard/"))
    results.append(dashboards)
    return results


def explain(sql: str, *, analyze: bool = True) -> str:
    from django.db import connection

    options = "ANALYZE, BUFFERS" if analyze else "COSTS"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def table(results: list[KindResult]) -> str:
    lines = [
        "| Page (each URL different) | URLs | Built in-process, median / max ms | Queries "
        "| Slowest query ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for result in results:
        lines.append(
            f"| {result.label} | {len(result.pages)} | {result.median_ms:.1f} / "
            f"{result.max_ms:.1f} | {result.query_counts} | {result.slowest.slowest_ms:.1f} |"
        )
    return "\n".join(lines)


def plans(results: list[KindResult]) -> str:
    """Each kind's slowest query with its EXPLAIN ANALYZE plan, as Markdown."""
    parts = []
    for result in results:
        page = result.slowest
        parts.append(
            f"**{result.label}**: `{page.path}`, {page.slowest_ms:.1f} ms\n\n"
            f"```sql\n{page.slowest_sql[:1500]}\n```\n\n```\n{explain(page.slowest_sql)}\n```\n"
        )
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", help="one kind of page")
    args = parser.parse_args()

    import django

    django.setup()
    results = measure(args.per_kind)
    if args.only:
        results = [r for r in results if r.kind == args.only]
    print(table(results))
    if args.explain:
        print()
        print(plans(results))


if __name__ == "__main__":
    main()
