"""Reminder throughput: N due candidates through dispatch, Redis, a real worker and SMTP.

    .venv/bin/python bench/reminders.py --candidates 1000
    .venv/bin/python bench/reminders.py --candidates 10000

Creates its own PostgreSQL database (prep_bench, dropped afterwards), its own Redis queue and key
prefix (removed afterwards) and a local aiosmtpd server. It times beat's dispatch plus the worker
until every e-mail is accepted by the SMTP server, samples the worker's memory, then sends the very
same messages again with bare smtplib (one connection per message, as the worker does, and one
shared connection) to the same server, and prints the ratios.
"""

import argparse
import os
import smtplib
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="server, no database"
    )
    parser.add_argument("--database", default="prep_bench")
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/4"
    )
    return parser.parse_args()


def admin_sql(server: str, statement: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{server}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(statement)
    conn.close()


def process_tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(line.split()[1]) * 1024
                for line in status.splitlines()
                if line.startswith("VmRSS:")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(child) for child in children)
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


class MemorySampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, process_tree_rss(self.pid))
            time.sleep(0.05)


def make_candidates(count: int) -> None:
    import datetime

    from accounts.models import User
    from studyplan.models import Enrolment
    from tests.factories import build_guide

    guide = build_guide(slug="bench-guide", company="Bench", rounds=4, blocks=4, tasks_per_block=4)
    zones = ["Europe/London", "America/New_York", "Asia/Singapore", "UTC"]
    confirmed = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for start in range(0, count, 1000):
        users = []
        for n in range(start, min(start + 1000, count)):
            user = User(
                email=f"bench{n}@example.com",
                time_zone=zones[n % len(zones)],
                email_confirmed_at=confirmed,
            )
            user.set_unusable_password()
            users.append(user)
        User.objects.bulk_create(users)
    Enrolment.objects.bulk_create(
        Enrolment(user=user, guide=guide, start_date=datetime.date(2026, 3, 23))
        for user in User.objects.filter(email__startswith="bench").iterator()
    )


def raw_send(messages: list[tuple[str, list[str], bytes]], port: int, reuse: bool) -> float:
    started = time.perf_counter()
    if reuse:
        with smtplib.SMTP("127.0.0.1", port) as client:
            for sender, recipients, data in messages:
                client.sendmail(sender, recipients, data)
    else:
        for sender, recipients, data in messages:
            with smtplib.SMTP("127.0.0.1", port) as client:
                client.sendmail(sender, recipients, data)
    return time.perf_counter() - started


def main() -> None:
    args = parse_args()
    import logging

    # aiosmtpd logs every SMTP command at INFO; a thousand sessions would drown the figures.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    run_id = uuid.uuid4().hex[:10]
    queue = f"prep-bench-{run_id}"
    from tests.reminders.smtp import RecordingHandler, SMTPServer

    handler = RecordingHandler()
    server = SMTPServer(handler).__enter__()
    env = {
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": args.redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_KEY_PREFIX": f"{queue}:",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
        "DJANGO_SETTINGS_MODULE": "prep.settings",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    admin_sql(args.postgres, f'DROP DATABASE IF EXISTS "{args.database}"')
    admin_sql(args.postgres, f'CREATE DATABASE "{args.database}"')
    worker = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        make_candidates(args.candidates)

        from studyplan.delivery import reminder_dispatch
        from studyplan.models import DeliveryStatus, ReminderDelivery

        connections.close_all()
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "prep", "worker", "-l", "WARNING"),
                *("--pool", "prefork", "--concurrency", str(args.concurrency), "-Q", queue),
                *("--without-heartbeat", "--without-mingle", "--without-gossip"),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
        )
        time.sleep(3)  # let the worker and its children start before the clock runs
        sampler = MemorySampler(worker.pid)
        sampler.start()

        import datetime

        started = time.perf_counter()
        result = reminder_dispatch(
            # Monday of week 2, late enough to be past 09:00 from Singapore to New York.
            now=datetime.datetime(2026, 3, 30, 18, tzinfo=datetime.UTC),
            batch_size=args.batch_size,
        )
        dispatched = time.perf_counter() - started
        handler.wait_for(args.candidates, timeout=max(120, args.candidates / 5))
        delivered = time.perf_counter() - started
        sampler.running = False
        sampler.join()
        sent = ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).count()
        duplicates = len(handler.messages) - len({m["To"] for m in handler.messages})

        messages = handler.envelopes[: args.candidates]
        raw_per_message = raw_send(messages, server.port, reuse=False)
        raw_shared = raw_send(messages, server.port, reuse=True)

        n = args.candidates
        rate = n / delivered
        print(f"candidates due:                 {n} ({result.created} deliveries created)")
        print(f"worker:                         prefork, concurrency {args.concurrency}")
        print(f"dispatch (beat task):           {dispatched:.2f} s")
        print(f"dispatch + worker, all accepted: {delivered:.2f} s = {rate:.0f} e-mails/s")
        print(f"rows marked sent:               {sent} (duplicates received: {duplicates})")
        print(f"peak worker memory (all procs): {sampler.peak / 2**20:.0f} MiB")
        print(
            f"raw smtplib, new connection:    {raw_per_message:.2f} s = "
            f"{n / raw_per_message:.0f} e-mails/s (Prep at {rate / (n / raw_per_message):.2f}x)"
        )
        print(
            f"raw smtplib, one connection:    {raw_shared:.2f} s = "
            f"{n / raw_shared:.0f} e-mails/s (Prep at {rate / (n / raw_shared):.2f}x)"
        )
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        server.__exit__(None, None, None)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not have started; cleanup goes on
            pass
        admin_sql(args.postgres, f'DROP DATABASE IF EXISTS "{args.database}"')
        import redis

        client = redis.Redis.from_url(args.redis_url)
        for key in client.scan_iter(match=f"{queue}:*"):
            client.delete(key)


if __name__ == "__main__":
    main()
