"""Real servers for the integration tests and the benchmark: SMTP (aiosmtpd on 127.0.0.1) and a
redis-server of their own that they may restart."""

import asyncio
import email
import email.policy
import socket
import subprocess
import threading
import time
from collections import defaultdict
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Accepts mail and keeps it; answers from a per-recipient script first, e.g. 451 then 250.

    `hold_at`: the n-th message (1-based) waits at DATA, before any reply, until `release()`. A
    client that dies meanwhile never gets a 250, and the message is not kept: aiosmtpd cancels the
    handler when the connection drops, as any real server would discard it.
    """

    def __init__(self, *, delay: float = 0.0, hold_at: int | None = None) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str], bytes]] = []
        self.attempts: dict[str, int] = defaultdict(int)
        self.replies: dict[str, list[str]] = {}
        self.delay = delay
        self.hold_at = hold_at
        self.data_count = 0
        self.holding = threading.Event()
        self._release: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        recipient = envelope.rcpt_tos[0]
        with self._lock:
            self.attempts[recipient] += 1
            self.data_count += 1
            count = self.data_count
            scripted = self.replies.get(recipient)
            reply = scripted.pop(0) if scripted else None
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hold_at is not None and count == self.hold_at:
            self._loop = asyncio.get_running_loop()
            self._release = asyncio.Event()
            self.holding.set()
            await self._release.wait()
        if reply is not None:
            return reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def release(self) -> None:
        if self._loop is not None and self._release is not None:
            self._loop.call_soon_threadsafe(self._release.set)

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} e-mails, got {len(self.messages)} in {timeout}s")


class SMTPServer:
    def __init__(self, handler: RecordingHandler) -> None:
        self.handler = handler
        self.port = free_port()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SMTPServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.handler.release()
        self.controller.stop()


class OwnRedis:
    """A redis-server of this test's own, without persistence, that the test may restart.

    The shared Redis serves other people's tests: it is never restarted.
    """

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                # What "restarted without persistence" means: nothing survives the restart.
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=(self.directory / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while not self._pings(client):
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)
        client.close()

    @staticmethod
    def _pings(client) -> bool:
        import redis

        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # no shutdown save, no goodbye to clients
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()
