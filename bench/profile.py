"""Profile one page with pyinstrument, built from an empty cache or cached; prints Markdown.

    .venv/bin/python bench/profile.py /dashboard/ --signed-in [--cached]

Run by bench/run.py against the benchmark database after the load runs, for the page with the
lowest ratio to its baseline. Each request starts from an empty cache, so the profile shows the
work a cache miss does (what a recruiter's edit or a candidate's tick costs the next visitor).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--signed-in", action="store_true")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument(
        "--cached", action="store_true", help="profile repeat visits served from the cache"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from accounts.models import User
    from bench.generate import BENCH_EMAIL
    from prep.caching import candidate_changed, content_changed

    client = Client()
    user = User.objects.get(email=BENCH_EMAIL)
    if args.signed_in:
        client.force_login(user)
    client.get(args.path)
    client.get(args.path)

    profiler = Profiler(interval=0.0005)
    elapsed = 0.0
    with CaptureQueriesContext(connection) as captured:
        for _ in range(args.requests):
            if not args.cached:
                # What a recruiter's edit or the candidate's tick does: the next one is a miss.
                content_changed()
                candidate_changed(user.pk)
            started = time.perf_counter()
            profiler.start()
            response = client.get(args.path)
            profiler.stop()
            elapsed += time.perf_counter() - started
            assert response.status_code == 200, response.status_code
    per_request = elapsed / args.requests * 1000
    queries = len(captured) / args.requests
    tree = profiler.output_text(unicode=False, color=False, show_all=False)
    how = "served from the cache" if args.cached else "built from an empty cache"
    print(f"## Profile: `{args.path}` {how}\n")
    print(
        f"{args.requests} requests in-process, {per_request:.1f} ms and {queries:.0f} queries "
        "each (pyinstrument, library frames folded):\n"
    )
    print("```")
    print("\n".join(tree.splitlines()[:60]))
    print("```")


if __name__ == "__main__":
    main()
