"""A real SMTP server (aiosmtpd) on a free local port that keeps what it receives; it can be told to
refuse the next deliveries with a temporary error, as a provider having trouble does."""

from __future__ import annotations

import email
import socket
import threading
import time
from email.message import Message
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.sink.refuse_next > 0:
            self.sink.refuse_next -= 1
            return "451 4.3.0 temporarily unavailable, try again later"
        message = email.message_from_bytes(envelope.content, policy=default)
        with self.sink.lock:
            self.sink.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"


class SmtpSink:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[tuple[list[str], Message]] = []
        self.refuse_next = 0
        self.running = False
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpSink:
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False

    def wait_for(self, count: int, timeout: float = 10.0) -> list[tuple[list[str], Message]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} mails, got {len(self.received)}")
