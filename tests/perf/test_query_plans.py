"""At the large size, no page reads every question or every candidate's progress to answer.

The bench's content (100 guides of 300 questions, 10,000 candidates with ticks and practice) is
generated in the test database with bulk inserts; each page of the bench's URL lists is built from
an empty cache, and every query it sends is EXPLAINed (no timing, so the verdict does not depend
on the machine). A plan fails when it reads questions or candidates' progress without an index
condition: a sequential scan, or a walk of a whole index. Those are the plans that take hundreds
of milliseconds when nothing is cached, and only grow with content.
"""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench import generate
from bench.coldpages import url_lists

GUARDED_TABLES = {
    "questions_question",
    "questions_questionprogress",
    "studyplan_taskprogress",
    "studyplan_enrolment",
}
URLS_PER_KIND = 12

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's (CI runs it)"
)


# A LIMIT the planner expects to reach within a fifth of its input stops reading early: the
# primary-key walk of a broad search reads the first matches and stops, whatever the table's size.
EARLY_STOP_SHARE = 0.2
# Nodes that pass rows on one at a time from their first (outer) input, so a LIMIT above them
# stops that input early too; a Sort, Hash or aggregate reads all of its input first.
STREAMING_NODES = {"Limit", "Nested Loop", "Hash Join"}


def _offences(node: dict, *, stops_early: bool = False) -> list[str]:
    """Scans of guarded tables in a JSON plan that use no index condition and are not cut short
    by a LIMIT the planner expects to reach early."""
    found = []
    relation = node.get("Relation Name")
    if relation in GUARDED_TABLES and not stops_early:
        kind = node["Node Type"]
        if kind == "Seq Scan" or (
            kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
        ):
            found.append(f"{kind} on {relation}")
    children = node.get("Plans", [])
    if node["Node Type"] == "Limit" and children:
        stops_early = node["Plan Rows"] <= EARLY_STOP_SHARE * max(children[0]["Plan Rows"], 1)
    elif node["Node Type"] not in STREAMING_NODES:
        stops_early = False
    for index, child in enumerate(children):
        found.extend(_offences(child, stops_early=stops_early and index == 0))
    return found


def _plan(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _text_plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def _page_offences(client: Client, path: str) -> list[str]:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    problems = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        offences = _offences(_plan(sql))
        if offences:
            problems.append(f"{path}: {', '.join(offences)}\n{sql[:600]}\n{_text_plan(sql)}\n")
    return problems


@pytest.fixture
def large_site(db):
    """The bench's large size, analysed so the planner sees real row counts."""
    generate.seed(candidates=10)
    generate.grow(guides=100, questions_per_guide=300, candidates=10_000)
    with connection.cursor() as cursor:
        # What autovacuum does to a live database: merge the GIN indexes' pending lists (fresh
        # bulk inserts sit there, and the planner rightly avoids an index that must read them).
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE a.amname = 'gin'"
        )
        cursor.execute("ANALYZE")


def test_no_page_scans_questions_or_progress_without_an_index(large_site):
    visitor = Client()
    candidates = User.objects.filter(enrolments__isnull=False).order_by("pk")[:3]
    problems = []
    for paths in url_lists(URLS_PER_KIND).values():
        for path in paths:
            problems.extend(_page_offences(visitor, path))
    signed_in_paths = [
        "/dashboard/",
        "/notes/",
        f"/guides/{generate.SEED_SLUG}/plan/",
        f"/guides/{generate.SEED_SLUG}/questions/",
        "/api/v1/practice/",
        "/api/v1/enrolments/",
    ]
    for candidate in candidates:
        client = Client()
        client.force_login(candidate)
        guide_slug = candidate.enrolments.get().guide.slug
        for path in [*signed_in_paths, f"/guides/{guide_slug}/plan/"]:
            problems.extend(_page_offences(client, path))

    assert not problems, "\n".join(problems)
