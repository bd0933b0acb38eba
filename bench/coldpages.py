"""Pages built from an empty cache: the URL lists of the cache-miss runs and their in-process cost.

    .venv/bin/python bench/coldpages.py [--per-kind 40] [--repeat 3] [--explain] [--generate]

With --generate it first creates the bench's large database in DATABASE_URL (dropped and made
again: 100 guides of 300 questions, 10,000 candidates, as `make bench` grows it).

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
# Words of the generated content and the seed guide, and misspellings of them: search_queries()
# combines them with question numbers so that no two requests of a run ask the same thing.
CONTENT_WORDS = ["scale", "people", "risk", "strong", "answer", "round", "system design"]
SEED_WORDS = ["stakeholder", "regulatory", "conflict", "scaling", "hiring", "fintech", "culture"]
MISSPELLINGS = ["peeple", "scael", "stakholder", "regulatry", "confict", "stronq", "answr"]


def search_queries(count: int) -> list[str]:
    """`count` different search queries: rare (a question number with a word), typos, the seed
    guide's topics, tags, and broad words with a kind filter, interleaved."""
    words = CONTENT_WORDS + SEED_WORDS + MISSPELLINGS
    kinds = ["behavioural", "leadership", "people", "strategy", "technical", "system_design"]
    queries: dict[str, None] = {}
    n = 0
    # Each pattern's cycles repeat after a while; a query is kept once.
    while len(queries) < count and n < count * 20:
        word = words[n % len(words)]
        number = n % 300
        query = [
            f"q={number}+{word.replace(' ', '+')}",
            f"q={word.replace(' ', '+')}&kind={kinds[n % len(kinds)]}&page={1 + n % 3}",
            f"q=bench-topic-{n % 40}+{number}",
            f"q={word.replace(' ', '+')}+{words[(n * 7 + 3) % len(words)].replace(' ', '+')}",
        ][n % 4]
        queries.setdefault(query)
        n += 1
    return list(queries)


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
    "search": "Search, a different query every request",
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
    generated_tags = [tag for tag in tags if tag.startswith("bench-topic")] or tags
    questions = list(
        Question.objects.published().order_by("?").values_list("guide__slug", "slug")[:per_kind]
    )
    kinds = QuestionKind.values
    lists: dict[str, list[str]] = {
        # A different query on every request: nothing a search computes can come from a cache.
        "search": [f"/search/?{query}" for query in search_queries(per_kind)],
        # Broad words on each page, with and without each kind filter: 504 different URLs, so
        # no round of the load run repeats one (every one ranks the first 1,000 matches).
        "search-broad": [
            f"/search/?q={w.replace(' ', '+')}&page={page}" + (f"&kind={kind}" if kind else "")
            for kind in ["", *kinds[:7]]
            for w in SEARCH_WORDS[-9:]
            for page in range(1, 8)
        ],
        # Every page of the guide list (24 guides a page), and one with a tracking parameter.
        "home": ["/", "/?utm_source=newsletter", *(f"/?page={n}" for n in range(2, 6))],
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
            # Generated tags only: a seed guide's tag has too few questions for a page 2 (404).
            2: f"tag={rng.choice(generated_tags)}&page={rng.randint(1, 3)}",
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


def _build_once(client, path: str) -> ColdPage:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Every version and entry gone, so the page is built from scratch. The cache is the one
    # in REDIS_URL (the bench's own Redis database) or the local database cache.
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


def build(client, path: str, *, repeat: int = 1) -> ColdPage:
    """`path` built from an empty cache `repeat` times; the fastest build (and its slowest query).

    On a shared machine other processes only ever add time, so the fastest of a few builds is the
    closest to the page's own cost.
    """
    builds = [_build_once(client, path) for _ in range(repeat)]
    fastest = min(builds, key=lambda page: page.ms)
    fastest.slowest_ms = min(page.slowest_ms for page in builds)
    return fastest


def measure(per_kind: int = 40, *, repeat: int = 1, only: str | None = None) -> list[KindResult]:
    """Every kind of page, `per_kind` different URLs each, built in-process from an empty cache."""
    results = []
    for kind, urls in url_lists(per_kind).items():
        if only not in (None, kind):
            continue
        result = KindResult(kind, KIND_LABELS[kind])
        client = _client_for(None)
        # Not counted: the first request of a kind loads its templates and code.
        _build_once(client, urls[0])
        for path in urls:
            result.pages.append(build(client, path, repeat=repeat))
        results.append(result)
    dashboards = KindResult("dashboard", KIND_LABELS["dashboard"])
    users = candidate_ids(per_kind + 1) if only in (None, "dashboard") else []
    for user_id in users[:1]:
        _build_once(_client_for(user_id), "/dashboard/")
    for user_id in users[1:]:
        dashboards.pages.append(build(_client_for(user_id), "/dashboard/", repeat=repeat))
    if dashboards.pages:
        results.append(dashboards)
    return results


# Issue 11's targets for a page built from an empty cache at the large size.
TARGET_MEDIAN_MS = 25.0
TARGET_MAX_MS = 60.0
TARGET_QUERY_MS = 5.0


def summary(results: list[KindResult]) -> str:
    """Median and max over every URL, and the slowest query, against the targets."""
    pages = [page for result in results for page in result.pages]
    median = statistics.median(page.ms for page in pages)
    slowest_page = max(pages, key=lambda page: page.ms)
    slowest_query = max(pages, key=lambda page: page.slowest_ms)

    def verdict(value: float, target: float) -> str:
        return "met" if value <= target else "MISSED"

    return (
        f"{len(pages)} URLs built from an empty cache: median {median:.1f} ms "
        f"(target ≤ {TARGET_MEDIAN_MS:.0f}: {verdict(median, TARGET_MEDIAN_MS)}), "
        f"max {slowest_page.ms:.1f} ms `{slowest_page.path}` "
        f"(target ≤ {TARGET_MAX_MS:.0f}: {verdict(slowest_page.ms, TARGET_MAX_MS)}); "
        f"slowest query {slowest_query.slowest_ms:.1f} ms `{slowest_query.path}` "
        f"(target ≤ {TARGET_QUERY_MS:.0f}: {verdict(slowest_query.slowest_ms, TARGET_QUERY_MS)})."
    )


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


def generate_large() -> None:
    """The bench's large size in the database of DATABASE_URL, made from scratch."""
    url, redis_url = os.environ["DATABASE_URL"], os.environ.get("REDIS_URL")
    from bench import run

    # run.py points the environment at the bench's own database and Redis: keep the caller's.
    os.environ["DATABASE_URL"] = url
    if redis_url is None:
        os.environ.pop("REDIS_URL", None)
    else:
        os.environ["REDIS_URL"] = redis_url
    run.PG, run.DB_NAME = url.rsplit("/", 1)
    run.reset_database()
    run.setup_django()
    from bench import generate

    generate.seed(candidates=run.SMALL_CANDIDATES)
    generate.grow(
        guides=run.LARGE_GUIDES,
        questions_per_guide=run.LARGE_QUESTIONS,
        candidates=run.LARGE_CANDIDATES,
    )
    run.analyze()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=3, help="builds per URL; the fastest is reported"
    )
    parser.add_argument("--only", help="one kind of page")
    parser.add_argument(
        "--generate", action="store_true", help="make the large database first (drops it)"
    )
    args = parser.parse_args()

    if args.generate:
        generate_large()
    import django

    django.setup()
    results = measure(args.per_kind, repeat=args.repeat, only=args.only)
    print(table(results))
    print()
    print(summary(results))
    print()
    print("Slowest query of each page (the fastest build's):")
    for result in results:
        for page in result.pages:
            print(
                f"- {page.path}: {page.ms:.1f} ms, {page.queries} queries, {page.slowest_ms:.1f} ms"
            )
    if args.explain:
        print()
        print(plans(results))


if __name__ == "__main__":
    main()
