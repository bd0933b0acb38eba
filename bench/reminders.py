"""Reminder throughput: N due candidates through dispatch, Redis, a real worker and SMTP.

    .venv/bin/python bench/reminders.py --candidates 1000
    .venv/bin/python bench/reminders.py --candidates 10000
    .venv/bin/python bench/reminders.py --chaos --candidates 2000

--chaos runs the same path under faults instead of timing it: the worker's PostgreSQL connections
terminated, a worker process killed with SIGKILL, Redis restarted without persistence (on a
redis-server of the benchmark's own), the connections terminated again; the benchmark plays beat,
dispatching every REMINDER_DISPATCH_EVERY_SECONDS with the production leases, and prints how many
reminders were due, arrived once, arrived twice or never, and the minutes to recover.

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
    parser.add_argument("--chaos", action="store_true", help="inject faults, count the e-mails")
    parser.add_argument(
        "--tick",
        type=int,
        default=int(os.environ.get("REMINDER_DISPATCH_EVERY_SECONDS", 300)),
        help="--chaos: seconds between dispatches, as beat",
    )
    parser.add_argument(
        "--give-up", type=int, default=1800, help="--chaos: seconds before counting the rest lost"
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


class Chaos:
    """The faults, each injected once when the SMTP server has accepted so many e-mails."""

    def __init__(self, args: argparse.Namespace, worker, redis_server, handler) -> None:
        self.worker, self.redis, self.handler = worker, redis_server, handler
        n = args.candidates
        self.plan = [
            (n * 15 // 100, "PostgreSQL connections of the worker terminated", self.terminate_db),
            (n * 30 // 100, "a worker process killed with SIGKILL", self.kill_worker_process),
            (n * 45 // 100, "Redis restarted without persistence", self.restart_redis),
        ]
        self.log: list[str] = []
        self.redis_back: float | None = None
        self.after_restart_done = False

    def terminate_db(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            self.note(f"terminated {cursor.fetchone()[0]} PostgreSQL connections")

    def kill_worker_process(self) -> None:
        import signal

        children = [
            int(child)
            for task in Path(f"/proc/{self.worker.pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
        os.kill(children[0], signal.SIGKILL)
        self.note(f"SIGKILL to worker process {children[0]}")

    def restart_redis(self) -> None:
        self.redis.restart()
        self.redis_back = time.monotonic()
        self.note("Redis restarted without persistence")

    def note(self, what: str) -> None:
        self.log.append(f"{time.strftime('%H:%M:%S')} {what} at {len(self.handler.messages)} sent")

    def step(self) -> None:
        accepted = len(self.handler.messages)
        while self.plan and accepted >= self.plan[0][0]:
            self.plan.pop(0)[2]()
        if (
            self.redis_back is not None
            and not self.after_restart_done
            and time.monotonic() > self.redis_back + 3
        ):
            self.after_restart_done = True
            self.terminate_db()  # again, while the worker reconnects to the new Redis


def run_chaos(args, handler, worker, redis_server, now) -> None:
    from django.conf import settings
    from django.db import close_old_connections

    from reminders.delivery import reminder_dispatch
    from reminders.models import DeliveryStatus, ReminderDelivery

    chaos = Chaos(args, worker, redis_server, handler)
    started = time.monotonic()
    next_tick, ticks = started, []
    due = None
    done_at = None
    while time.monotonic() < started + args.give_up:
        if time.monotonic() >= next_tick:
            close_old_connections()
            result = reminder_dispatch(now=now, batch_size=args.batch_size)
            due = result.created if due is None else due
            ticks.append(f"{time.monotonic() - started:.0f} s: {result.queued} queued")
            next_tick += args.tick
        chaos.step()
        if not chaos.plan and chaos.after_restart_done:
            sent = ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).count()
            if sent == due:
                done_at = time.monotonic()
                break
        time.sleep(0.2)
    time.sleep(2)  # let a last duplicate, if any, arrive before counting
    received: dict[str, int] = {}
    for message in list(handler.messages):
        received[message["To"]] = received.get(message["To"], 0) + 1
    twice = sum(1 for count in received.values() if count > 1)
    extra = sum(count - 1 for count in received.values())
    lost = due - len(received)
    print(f"chaos scenario:                 {args.candidates} due candidates, prefork worker")
    print(f"  beat (dispatch) every:        {args.tick} s")
    print(
        f"  leases:                       queue {settings.REMINDER_QUEUE_LEASE_SECONDS} s, "
        f"claim {settings.REMINDER_CLAIM_LEASE_SECONDS} s"
    )
    for line in chaos.log:
        print(f"  fault:                        {line}")
    print(f"  worker log:                   {redis_server.directory / 'worker.log'}")
    for line in ticks:
        print(f"  dispatch at                   {line}")
    print(f"due:                            {due}")
    print(f"sent once:                      {sum(1 for c in received.values() if c == 1)}")
    print(f"duplicates:                     {extra} extra copies ({twice} candidates)")
    for email, count in received.items():
        if count > 1:
            delivery = ReminderDelivery.objects.get(enrolment__user__email=email)
            # Attempts 2 with one SMTP refusal-free history: a claim taken over after its lease,
            # i.e. the worker died between the server's 250 and the "sent" mark.
            print(f"  duplicate:                    {email}, {delivery.attempts} claims")
    print(f"lost:                           {lost}")
    if done_at is None:
        print(f"minutes to recover:             not recovered within {args.give_up / 60:.0f} min")
    else:
        back = chaos.redis_back or started
        print(
            f"minutes to recover:             {(done_at - back) / 60:.1f} after Redis came back "
            f"({(done_at - started) / 60:.1f} after the first dispatch)"
        )


def main() -> None:
    args = parse_args()
    import logging

    # aiosmtpd logs every SMTP command at INFO; a thousand sessions would drown the figures.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    run_id = uuid.uuid4().hex[:10]
    queue = f"prep-bench-{run_id}"
    from tests.reminders.smtp import OwnRedis, RecordingHandler, SMTPServer

    redis_server = None
    if args.chaos:
        # Restarting Redis is part of the scenario: a redis-server of its own, never the shared one.
        import tempfile

        redis_server = OwnRedis(Path(tempfile.mkdtemp(prefix="prep-chaos-")))
        redis_server.start()
        args.redis_url = redis_server.url
    worker_log = (redis_server.directory / "worker.log").open("w") if redis_server else None
    # In chaos mode a little slower than loopback, so the faults land in the middle of the batch.
    handler = RecordingHandler(delay=0.01 if args.chaos else 0.0)
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

        from reminders.delivery import reminder_dispatch
        from reminders.models import DeliveryStatus, ReminderDelivery

        connections.close_all()
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "prep", "worker", "-l", "WARNING"),
                *("--pool", "prefork", "--concurrency", str(args.concurrency), "-Q", queue),
                *("--without-heartbeat", "--without-mingle", "--without-gossip"),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            # Under faults the worker logs every reconnection: kept apart from the figures.
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        time.sleep(3)  # let the worker and its children start before the clock runs
        sampler = MemorySampler(worker.pid)
        sampler.start()

        import datetime

        # Monday of week 2, late enough to be past 09:00 from Singapore to New York.
        now = datetime.datetime(2026, 3, 30, 18, tzinfo=datetime.UTC)
        if args.chaos:
            sampler.running = False
            run_chaos(args, handler, worker, redis_server, now)
            return
        started = time.perf_counter()
        result = reminder_dispatch(now=now, batch_size=args.batch_size)
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
        if redis_server is not None:
            redis_server.stop()
        else:
            import redis

            client = redis.Redis.from_url(args.redis_url)
            for key in client.scan_iter(match=f"{queue}:*"):
                client.delete(key)


if __name__ == "__main__":
    main()
