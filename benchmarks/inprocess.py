"""The application served in this process, straight through ASGI, for the CPU and instruction
benchmarks (``api_profile.py``, ``instruction_counts.py``): start-up (a fresh database, the bench
user and its token, the lifespan), a driver that hands requests over as uvicorn would, and
``bench_api``'s mix of open, list and move.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

MIX = (("open", 0.4), ("list", 0.4), ("move", 0.2))
TEXT = "宽带欠费不到30天就被停机,影响在家办公,要求马上恢复并退还停机期间的费用,否则投诉到工信部。"


class Driver:
    """Sends requests to an ASGI app as uvicorn would hand them over, and reads the JSON answer."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.headers = [
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
        ]

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        route, _, query = path.partition("?")
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": route, "raw_path": route.encode(), "root_path": "",
            "query_string": query.encode(), "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
            "headers": [*self.headers, (b"content-length", str(len(payload)).encode())], "state": {},
        }  # fmt: skip
        sent = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)  # the client never disconnects
            sent = True
            return {"type": "http.request", "body": payload, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        data = b"".join(chunks)
        return status, json.loads(data) if data else None


class Mix:
    """bench_api's request mix: a move takes a complaint opened earlier (at version 1)."""

    def __init__(self, driver: Driver, seed: int) -> None:
        self.driver = driver
        self.rng = random.Random(seed)
        self.opened: list[str] = []
        self.serial = seed * 1_000_000

    async def one(self) -> tuple[str, int]:
        kind = self.rng.choices([m for m, _ in MIX], [w for _, w in MIX])[0]
        return await self.run(kind)

    async def run(self, kind: str) -> tuple[str, int]:
        if kind == "move" and self.opened:
            number = self.opened.pop()
            path = f"/api/v1/complaints/{number}/move"
            status, _ = await self.driver.request("POST", path, {"stage": "calming", "version": 1})
            return "move", status
        if kind in ("open", "move"):
            self.serial += 1
            body = {"customer_name": f"客户{self.serial}", "phone": f"139{self.serial % 10**8:08d}",
                    "title": "宽带停机", "description": TEXT}  # fmt: skip
            status, data = await self.driver.request("POST", "/api/v1/complaints", body)
            if status == 201:
                self.opened.append(data["number"])
            return "open", status
        status, _ = await self.driver.request("GET", "/api/v1/complaints?limit=20")
        return "list", status


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """A new PostgreSQL schema (dropped after), or a new SQLite file."""
    if not url.startswith("postgresql"):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/profile.db"
        return
    from bench_pages import pg_schema  # a private schema, dropped after

    with pg_schema(url) as fresh:
        yield fresh


@dataclass(frozen=True)
class Served:
    app: Any
    desk: Any
    mix: Mix


@asynccontextmanager
async def served(url: str, seed: int = 1) -> AsyncIterator[Served]:
    """The application on ``url``'s database with its lifespan started, a bench user (admin) logged in,
    and a mix of requests sent with that user's token; shut down and disposed of on exit."""
    from complaintdesk.api.app import create_app
    from complaintdesk.services import accounts
    from complaintdesk.services.bootstrap import open_desk

    desk = open_desk(url)
    accounts.create_user(desk.uow(), "bench", "压测", "admin", None, "bench-password-1", "bench")
    token = accounts.login(desk.uow(), "bench", "bench-password-1").token
    app = create_app(desk)
    messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await messages.put({"type": "lifespan.startup"})
    started = asyncio.Event()

    async def lifespan_send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            started.set()

    lifespan = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, messages.get, lifespan_send)
    )
    await started.wait()
    try:
        yield Served(app, desk, Mix(Driver(app, token), seed=seed))
    finally:
        await messages.put({"type": "lifespan.shutdown"})
        await lifespan
        desk.engine.dispose()
