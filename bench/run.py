"""`make bench`: serve Prep with gunicorn on loopback, load it with wrk, write a Markdown report.

For each content size (the seed guide alone, then 100 guides of 300 questions and 10,000
candidates with progress) it generates the data, starts gunicorn with production settings
(PostgreSQL, Redis cache), and measures each page next to a bare Django view returning the same
bytes from memory, through the same gunicorn configuration. The reminder dispatch benchmark
(bench/reminders.py) and the profile of the slowest page follow, and the report is written to
bench/results/ and printed.
"""

import datetime
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VAR = BENCH_DIR / "var"
BODIES = VAR / "bodies"
RESULTS = BENCH_DIR / "results"
PYTHON = sys.executable

DB_NAME = os.environ.get("BENCH_DB", "prep_bench_main")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
PORT = int(os.environ.get("BENCH_PORT", "8917"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
# Page and baseline alternate this many times, so a burst of other work on the machine hits both.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARMUP_SECONDS = 2
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "6"))
LARGE_GUIDES = int(os.environ.get("BENCH_GUIDES", "100"))
LARGE_QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "300"))
LARGE_CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", "10000"))
SMALL_CANDIDATES = 10

ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-never-used-for-real-users-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    # Plain HTTP on loopback: no TLS redirect, and cookies must travel without HTTPS.
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "REDIS_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": "prep-bench",
    "PREP_VAR_DIR": str(VAR),
    "LOG_LEVEL": "WARNING",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    # As README recommends for production with Redis (found by profiling the dashboard).
    "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
}
# bench/reminders.py sets up its own database, queue and SMTP server from a clean environment.
CLEAN_ENV = dict(os.environ)
os.environ.update(ENV)
REMINDER_SIZES = [int(n) for n in os.environ.get("BENCH_REMINDERS", "1000,10000").split(",") if n]
# The reminder chaos scenario's size (faults injected, with production leases: about 10 minutes,
# mostly waiting for beat); empty to skip.
REMINDER_CHAOS = os.environ.get("BENCH_REMINDER_CHAOS", "2000")
# For quick iterations: BENCH_ONLY_SMALL=1 skips the large size (and the profile).
ONLY_SMALL = os.environ.get("BENCH_ONLY_SMALL") == "1"
# The cache-miss runs and the edit stampede at the large size; BENCH_CACHE_MISS=0 skips them.
CACHE_MISS = os.environ.get("BENCH_CACHE_MISS", "1") == "1"
# Only the cache-miss runs (no cached-page table, reminders or profile), e.g. to measure a
# change to search quickly: BENCH_ONLY_CACHE_MISS=1 BENCH_MISS_KINDS=search,search-broad.
ONLY_CACHE_MISS = os.environ.get("BENCH_ONLY_CACHE_MISS") == "1"
sys.path.insert(0, str(ROOT))


@dataclass
class Page:
    name: str
    label: str
    path: str
    signed_in: bool = False
    kind: str = "public"


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class Measured:
    page: Page
    load: Load
    baseline: Load
    bytes: int
    queries_miss: int
    queries_hit: int


@dataclass
class SizeResult:
    label: str
    rows: list[Measured] = field(default_factory=list)
    peak_worker_kib: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def reset_database() -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    connection.close()


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    connection.close()


def flush_cache() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def pages() -> list[Page]:
    from django.db.models import Count

    from bench.generate import BENCH_EMAIL, SEED_SLUG
    from practice.models import QuestionProgress
    from rounds.models import Round

    first_round = Round.objects.filter(guide__slug=SEED_SLUG).order_by("order").first()
    guide = f"/guides/{SEED_SLUG}/"
    # The guide in which the bench candidate practised most: the seed guide at the small size,
    # a generated guide of 300 questions, every one practised, at the large size.
    practised = dict(
        QuestionProgress.objects.filter(user__email=BENCH_EMAIL)
        .values_list("guide__slug")
        .annotate(n=Count("pk"))
        .values_list("guide__slug", "n")
    )
    practice_guide = max(practised, key=practised.__getitem__, default=SEED_SLUG)
    return [
        Page(
            "bank_status",
            f"Question bank with status (signed in, {practised.get(practice_guide, 0)} practised)",
            f"/guides/{practice_guide}/questions/",
            signed_in=True,
            kind="dash",
        ),
        Page("review", "Review queue (signed in)", "/review/", signed_in=True, kind="dash"),
        Page("guide", "Guide page", guide),
        Page("round", "Round page", f"{guide}rounds/{first_round.slug}/"),
        Page("bank", "Question bank, filtered", f"{guide}questions/?kind=behavioural"),
        Page("dashboard", "Dashboard (signed in)", "/dashboard/", signed_in=True, kind="dash"),
        Page("api", "API question list", f"/api/v1/questions/?guide={SEED_SLUG}", kind="api"),
    ]


def candidate_cookie() -> str:
    """A signed-in session and a CSRF cookie for the bench candidate, as a browser would send."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from accounts.models import User
    from bench.generate import BENCH_EMAIL

    client = Client()
    client.force_login(User.objects.get(email=BENCH_EMAIL))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = _get_new_csrf_string()
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"


def query_counts(page: Page, cookie: str) -> tuple[int, int]:
    """Queries for a page built from scratch (empty cache), then for the next request."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_COOKIE=cookie) if page.signed_in else Client()
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
        assert response.status_code == 200, (page.path, response.status_code)
        counts.append(len(captured))
    return counts[0], counts[1]


def start_server(*, pages_always_miss: bool = False) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "bench.wsgi",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--log-level",
        "warning",
    ]
    env = {**os.environ, **ENV}
    if pages_always_miss:
        env["BENCH_PAGES_ALWAYS_MISS"] = "1"  # bench/cache.py: every request builds its page
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def peak_rss_kib(pids: list[int]) -> int:
    peak = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak


def save_body(page: Page, cookie: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{page.path}")
    if page.signed_in:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request) as response:
        body = response.read()
        content_type = response.headers["Content-Type"]
    (BODIES / f"{page.name}.body").write_bytes(body)
    (BODIES / f"{page.name}.type").write_text(content_type)
    return len(body)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(
    path: str,
    cookie: str | None,
    seconds: int,
    *,
    connections: int = CONNECTIONS,
    url_file: Path | None = None,
) -> Load:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    env = None
    if url_file is not None:
        # Every request a different URL from the list (bench/cycle.lua).
        command += ["-s", str(BENCH_DIR / "cycle.lua")]
        env = {**os.environ, "BENCH_URL_FILE": str(url_file)}
    command.append(f"http://127.0.0.1:{PORT}{path}")
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failures = int(bad.group(1)) if bad else 0
    if errors:
        failures += sum(int(n) for n in errors.groups())
    return Load(rps=rps, p50_ms=p50, p99_ms=p99, errors=failures)


def combined(loads: list[Load]) -> Load:
    """Mean throughput and median latencies of alternating rounds."""
    return Load(
        rps=statistics.fmean(load.rps for load in loads),
        p50_ms=statistics.median(load.p50_ms for load in loads),
        p99_ms=statistics.median(load.p99_ms for load in loads),
        errors=sum(load.errors for load in loads),
    )


def measure(label: str) -> SizeResult:
    from accounts.models import User
    from practice.models import QuestionProgress
    from questions.models import Question
    from rounds.models import Guide
    from studyplan.models import TaskProgress

    analyze()
    flush_cache()
    result = SizeResult(
        label=label,
        counts={
            "guides": Guide.objects.count(),
            "questions": Question.objects.count(),
            "candidates": User.objects.count(),
            "ticks": TaskProgress.objects.count(),
            "practised": QuestionProgress.objects.count(),
        },
    )
    cookie = candidate_cookie()
    counted = {page.name: query_counts(page, cookie) for page in pages()}
    flush_cache()
    BODIES.mkdir(parents=True, exist_ok=True)
    server = start_server()
    try:
        for page in pages():
            size = save_body(page, cookie)
            page_cookie = cookie if page.signed_in else None
            baseline_path = f"/__bench__/baseline/{page.name}/"
            wrk(page.path, page_cookie, WARMUP_SECONDS)
            wrk(baseline_path, page_cookie, WARMUP_SECONDS)
            loads, bases = [], []
            for _ in range(ROUNDS):
                loads.append(wrk(page.path, page_cookie, SECONDS))
                bases.append(wrk(baseline_path, page_cookie, SECONDS))
            load, base = combined(loads), combined(bases)
            miss, hit = counted[page.name]
            result.rows.append(Measured(page, load, base, size, miss, hit))
            log(f"{label}: {page.label} {load.rps:.0f} req/s, baseline {base.rps:.0f} req/s")
        result.peak_worker_kib = peak_rss_kib(worker_pids(server))
    finally:
        stop_server(server)
    return result


REMINDER_LINES = (
    "candidates due",
    "worker:",
    "dispatch",
    "rows marked",
    "peak worker",
    "raw smtplib",
)


CHAOS_LINES = ("chaos", "  ", "due:", "sent once", "duplicates", "lost", "minutes to recover")


def reminders_section() -> str:
    """bench/reminders.py's figures at each size, so memory can be compared across N."""
    script = BENCH_DIR / "reminders.py"
    if not script.exists():
        return "bench/reminders.py is not in this checkout yet, so reminders were not measured.\n"
    parts = []
    for candidates in REMINDER_SIZES:
        log(f"reminder dispatch benchmark, {candidates} due candidates (bench/reminders.py)")
        command = [PYTHON, str(script), "--candidates", str(candidates)]
        command += ["--database", "prep_bench_reminders"]
        completed = subprocess.run(command, cwd=ROOT, env=CLEAN_ENV, capture_output=True, text=True)
        output = "\n".join(
            line for line in completed.stdout.splitlines() if line.startswith(REMINDER_LINES)
        )
        if completed.returncode != 0:
            output += f"\nFAILED:\n{completed.stderr[-3000:]}"
        parts.append(f"{candidates:,} due candidates:\n\n```\n{output}\n```\n")
    if REMINDER_CHAOS:
        log(
            f"reminder chaos scenario, {REMINDER_CHAOS} due candidates (bench/reminders.py --chaos)"
        )
        command = [PYTHON, str(script), "--chaos", "--candidates", REMINDER_CHAOS]
        command += ["--database", "prep_bench_reminders"]
        completed = subprocess.run(command, cwd=ROOT, env=CLEAN_ENV, capture_output=True, text=True)
        output = "\n".join(
            line for line in completed.stdout.splitlines() if line.startswith(CHAOS_LINES)
        )
        if completed.returncode != 0:
            output += f"\nFAILED:\n{completed.stderr[-3000:]}"
        parts.append(
            f"Under faults, {int(REMINDER_CHAOS):,} due candidates:\n\n```\n{output}\n```\n"
        )
    return "\n".join(parts)


def profile_section(size: SizeResult) -> str:
    """pyinstrument's view of the page furthest below its baseline at the largest size."""
    slowest = min(size.rows, key=lambda row: row.load.rps / max(row.baseline.rps, 1.0)).page
    log(f"profiling {slowest.path} with pyinstrument (bench/profile.py)")
    sections = []
    # Served from the cache is what the load test measures; built from an empty cache is what the
    # first visitor after an edit or a tick waits for.
    for mode in (["--cached"], []):
        command = [PYTHON, str(BENCH_DIR / "profile.py"), slowest.path, *mode]
        if slowest.signed_in:
            command.append("--signed-in")
        completed = subprocess.run(
            command, cwd=ROOT, env={**os.environ, **ENV}, capture_output=True, text=True
        )
        if completed.returncode != 0:
            sections.append(f"bench/profile.py failed:\n\n```\n{completed.stderr[-3000:]}\n```")
        else:
            sections.append(completed.stdout.strip())
    return "\n\n".join(sections) + "\n"


TARGETS = {"public": 0.60, "api": 0.60, "dash": 0.25}


def table(sizes: list[SizeResult]) -> str:
    lines = [
        "| Size | Page | Bytes | Queries (built / cached) | req/s | p50 ms | p99 ms "
        "| Baseline req/s | Baseline p50 / p99 ms | Ratio | Target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in sizes:
        for row in size.rows:
            ratio = row.load.rps / row.baseline.rps if row.baseline.rps else 0.0
            target = TARGETS[row.page.kind]
            verdict = f"≥ {target:.0%} {'met' if ratio >= target else 'MISSED'}"
            errors = f" ({row.load.errors} errors)" if row.load.errors else ""
            lines.append(
                f"| {size.label} | {row.page.label} `{row.page.path}` | {row.bytes:,} "
                f"| {row.queries_miss} / {row.queries_hit} | {row.load.rps:,.0f}{errors} "
                f"| {row.load.p50_ms:.2f} | {row.load.p99_ms:.2f} | {row.baseline.rps:,.0f} "
                f"| {row.baseline.p50_ms:.2f} / {row.baseline.p99_ms:.2f} "
                f"| {ratio:.0%} | {verdict} |"
            )
    return "\n".join(lines)


def report(sizes: list[SizeResult], reminders: str, profile: str) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu = os.cpu_count()
    data = "\n".join(
        f"- **{size.label}**: "
        + ", ".join(f"{value:,} {name}" for name, value in size.counts.items())
        + f"; peak worker RSS {size.peak_worker_kib / 1024:.1f} MiB"
        for size in sizes
    )
    return f"""# Prep benchmark, {now}

Machine: {cpu} CPU cores. Server: gunicorn, {WORKERS} sync workers, production settings
(DEBUG off, PostgreSQL, Redis cache, sessions cached_db, WhiteNoise) on 127.0.0.1.
Load: wrk, 2 threads,
{CONNECTIONS} connections; after a {WARMUP_SECONDS} s warm-up, each page and its baseline run
{ROUNDS} times {SECONDS} s, alternating (req/s is the mean, latencies the median of the rounds).
Baseline: a bare Django view returning the same page's bytes from memory, through the same
gunicorn workers, middleware and URL resolution. The API's
per-client throttle is off for the run (one load generator is one client address).
Queries: on a page built from an empty cache, then on the next request.

## Content sizes

{data}

## Pages

{table(sizes)}

## Reminder dispatch

{reminders}
{profile}"""


MISS_KINDS = os.environ.get(
    "BENCH_MISS_KINDS", "search,search-broad,bank,api,round,guide,dashboard"
).split(",")
MISS_CONNECTIONS = [6, 32]
MISS_TARGET = 0.30
MISS_P99_MS = 100.0
STAMPEDE_SLOTS = 12
STAMPEDE_EDIT_SLOT = 3


@dataclass
class MissRow:
    label: str
    connections: int
    load: Load
    baseline: Load
    queries: str
    built_ms: str


def _url_file(kind: str, urls: list[str], cookies: list[str]) -> Path:
    path = VAR / f"urls-{kind}.txt"
    if kind == "dashboard":
        lines = [f"/dashboard/\t{cookie}" for cookie in cookies]
    else:
        lines = urls
    path.write_text("\n".join(lines) + "\n")
    return path


def candidate_cookies(count: int) -> list[str]:
    """Signed-in sessions of `count` different candidates, as their browsers would send them."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from accounts.models import User
    from bench.coldpages import candidate_ids

    cookies = []
    for user in User.objects.filter(pk__in=candidate_ids(count)):
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        csrf = _get_new_csrf_string()
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
        )
    return cookies


def cache_miss_section() -> str:
    """Pages built from scratch: a different URL on every request, cache emptied every round."""
    from bench import coldpages

    log("cache-miss: building each kind of page in-process (queries, slowest SQL)")
    built = {result.kind: result for result in coldpages.measure(per_kind=30)}
    lists = coldpages.url_lists(per_kind=600)
    cookies = candidate_cookies(600)
    rows: list[MissRow] = []
    BODIES.mkdir(parents=True, exist_ok=True)
    server = start_server(pages_always_miss=True)
    try:
        for kind in MISS_KINDS:
            urls = lists.get(kind, [])
            url_file = _url_file(kind, urls, cookies)
            first = urls[0] if urls else "/dashboard/"
            cookie = cookies[0] if kind == "dashboard" else None
            name = f"miss-{kind}"
            save_body(Page(name, kind, first, signed_in=cookie is not None), cookie or "")
            for connections in MISS_CONNECTIONS:
                loads, bases = [], []
                for _ in range(ROUNDS):
                    # Every round starts from an empty cache: what the visitors after an edit
                    # (or with new search words, filters, pages) meet.
                    flush_cache()
                    loads.append(
                        wrk(first, None, SECONDS, connections=connections, url_file=url_file)
                    )
                    bases.append(
                        wrk(
                            f"/__bench__/baseline/{name}/", cookie, SECONDS, connections=connections
                        )
                    )
                result = built[kind]
                row = MissRow(
                    result.label,
                    connections,
                    combined(loads),
                    combined(bases),
                    result.query_counts,
                    f"{result.median_ms:.1f} / {result.max_ms:.1f}",
                )
                rows.append(row)
                log(f"cache-miss {kind} c{connections}: {row.load.rps:.0f} req/s")
    finally:
        stop_server(server)
    # The stampede needs the page cache as production has it: pages served until an edit.
    server = start_server()
    try:
        stampede = edit_stampede(lists["round"] + lists["guide"])
    finally:
        stop_server(server)
    return (
        miss_table(rows)
        + "\n\n"
        + stampede
        + "\n\n### Slowest query of each page\n\n"
        + (coldpages.plans(list(built.values())))
    )


def miss_table(rows: list[MissRow]) -> str:
    lines = [
        "| Page (every request a different URL) | Connections | req/s | p50 / p99 ms "
        "| Baseline req/s | Ratio | Queries | Built in-process, median / max ms | Target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        ratio = row.load.rps / row.baseline.rps if row.baseline.rps else 0.0
        met = ratio >= MISS_TARGET and (row.connections != 6 or row.load.p99_ms < MISS_P99_MS)
        errors = f" ({row.load.errors} errors)" if row.load.errors else ""
        lines.append(
            f"| {row.label} | {row.connections} | {row.load.rps:,.0f}{errors} "
            f"| {row.load.p50_ms:.1f} / {row.load.p99_ms:.1f} | {row.baseline.rps:,.0f} "
            f"| {ratio:.2f} | {row.queries} | {row.built_ms} "
            f"| ≥ {MISS_TARGET:.2f}, p99 < {MISS_P99_MS:.0f} ms at 6: "
            f"{'met' if met else 'MISSED'} |"
        )
    return "\n".join(lines)


def edit_stampede(urls: list[str]) -> str:
    """Throughput per 5 s over a minute of cached guide and round pages, around a re-import of
    one guide (a recruiter's one-line edit)."""
    from bench.generate import SEED

    url_file = _url_file("stampede", urls, [])
    flush_cache()
    # Warm: every guide's pages cached before the edit.
    wrk(urls[0], None, 10, url_file=url_file)
    edited = VAR / "edited-guide.yaml"
    edited.write_text(SEED.read_text().replace("OKX", "OKX (edited)", 1))
    lines = ["| Seconds | req/s | p50 ms | p99 ms | |", "|---:|---:|---:|---:|---|"]
    for slot in range(STAMPEDE_SLOTS):
        note = ""
        importer = None
        if slot == STAMPEDE_EDIT_SLOT:
            note = "guide re-imported"
            importer = subprocess.Popen(
                [PYTHON, "manage.py", "import_guide", str(edited), "--verbosity", "0"],
                cwd=ROOT,
                env={**os.environ, **ENV},
            )
        load = wrk(urls[0], None, 5, url_file=url_file)
        if importer is not None:
            importer.wait(timeout=120)
        lines.append(
            f"| {slot * 5}–{slot * 5 + 5} | {load.rps:,.0f} | {load.p50_ms:.1f} "
            f"| {load.p99_ms:.1f} | {note} |"
        )
    return "### Edit stampede (guide and round pages of 100 guides, 6 connections)\n\n" + (
        "\n".join(lines)
    )


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    VAR.mkdir(exist_ok=True)
    log(f"resetting database {DB_NAME} and cache {REDIS_URL}")
    reset_database()
    flush_cache()
    setup_django()
    from bench import generate

    sizes = []
    if ONLY_CACHE_MISS:
        generate.seed(candidates=SMALL_CANDIDATES)
        generate.grow(
            guides=LARGE_GUIDES, questions_per_guide=LARGE_QUESTIONS, candidates=LARGE_CANDIDATES
        )
        analyze()
        text = f"## Cache misses, {LARGE_GUIDES} guides\n\n{cache_miss_section()}\n"
        (RESULTS / "latest-cache-miss.md").write_text(text)
        drop_database()
        print(text)
        return
    log("size 1: the seed guide")
    generate.seed(candidates=SMALL_CANDIDATES)
    sizes.append(measure("1 guide"))
    if not ONLY_SMALL:
        log(
            f"size 2: {LARGE_GUIDES} guides, {LARGE_QUESTIONS} questions, {LARGE_CANDIDATES} people"
        )
        generate.grow(
            guides=LARGE_GUIDES, questions_per_guide=LARGE_QUESTIONS, candidates=LARGE_CANDIDATES
        )
        generate.practise_whole_guide()
        sizes.append(measure(f"{LARGE_GUIDES} guides"))
    profile = "" if ONLY_SMALL else profile_section(sizes[-1])
    if not ONLY_SMALL and CACHE_MISS:
        profile = "## Cache misses\n\n" + cache_miss_section() + "\n\n" + profile
    text = report(sizes, reminders_section(), profile)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"bench-{stamp}.md").write_text(text)
    (RESULTS / "latest.md").write_text(text)
    drop_database()
    print(text)


if __name__ == "__main__":
    main()
