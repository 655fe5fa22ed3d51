"""Where the server's CPU goes per request on bench_api's mix (``bench_api.py --profile``).

The application is driven in this process, straight through its ASGI interface (no sockets, no HTTP
client: what is measured is the server's own work), with the same mix of open, list and move that the
load generator sends. Two passes over the same kind of requests:

1. unprofiled: process CPU time (``time.process_time``) per request, overall and per operation, and
   the SQL statements each operation sends (``before_cursor_execute`` on the desk's engine);
2. under cProfile: every function's own time, put in a bucket by the module it is defined in
   (routing, validation, ORM, serialisation, audit hashing, search index, outbox, ...). Time spent in
   a builtin (``json.dumps``' C encoder, ``hashlib``, the database driver's C code) is charged to the
   bucket of whoever called it, in proportion to the calls.

CPU time, not wall-clock time: on a loaded machine the wall clock measures the other processes too.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import pstats
import random
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# (bucket, substrings of a module path); the first match wins, so the specific come before the general.
BUCKETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("audit hashing", ("complaintdesk/domain/audit", "complaintdesk/storage/audit_log", "hashlib")),
    (
        "search index",
        (
            "complaintdesk/services/search_index",
            "complaintdesk/storage/search_entries",
            "opencc",
            "unicodedata",
        ),
    ),
    ("outbox", ("complaintdesk/services/webhooks", "complaintdesk/services/webhook")),
    ("analysis", ("complaintdesk/analysis", "complaintdesk/services/reading", "jieba", "snownlp")),
    (
        "SLA clocks",
        (
            "complaintdesk/domain/sla",
            "complaintdesk/domain/calendar",
            "complaintdesk/services/sla_service",
            "complaintdesk/services/calendar_service",
            "complaintdesk/storage/sla_repository",
        ),
    ),
    (
        "serialisation",
        (
            "complaintdesk/services/views",
            "complaintdesk/services/queue",
            "complaintdesk/api/json_response",
            "json/",
            "orjson",
            "starlette/responses",
            "fastapi/encoders",
        ),
    ),
    ("validation", ("pydantic", "fastapi/dependencies", "complaintdesk/api/schemas", "fastapi/_compat")),
    ("routing", ("starlette/", "fastapi/", "complaintdesk/api/", "anyio")),
    ("ORM", ("sqlalchemy/orm",)),
    ("SQL (Core, driver)", ("sqlalchemy/", "psycopg", "sqlite3", "complaintdesk/storage/")),
    ("domain and services", ("complaintdesk/",)),
    ("interpreter (asyncio, stdlib)", ("",)),
)

MIX = (("open", 0.4), ("list", 0.4), ("move", 0.2))
TEXT = "宽带欠费不到30天就被停机,影响在家办公,要求马上恢复并退还停机期间的费用,否则投诉到工信部。"


def bucket_of(path: str) -> str:
    path = path.replace("\\", "/")
    for name, parts in BUCKETS:
        if any(part in path for part in parts):
            return name
    return BUCKETS[-1][0]


def buckets(stats: pstats.Stats) -> Counter[str]:
    """Own time per bucket; a builtin's own time goes to its callers' buckets, split by their share."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    totals: Counter[str] = Counter()
    for (path, _line, _name), (_cc, _nc, own, _cum, callers) in raw.items():
        if path != "~" or not callers:
            totals[bucket_of(path)] += own
            continue
        called = sum(entry[2] for entry in callers.values()) or 1.0
        for (caller_path, _l, _n), entry in callers.items():
            totals[bucket_of(caller_path)] += own * entry[2] / called
    return totals


class _Driver:
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


class _Mix:
    """bench_api's request mix: a move takes a complaint opened earlier (at version 1)."""

    def __init__(self, driver: _Driver, seed: int) -> None:
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
def _fresh_database(url: str) -> Iterator[str]:
    """A new PostgreSQL schema (dropped after), or a new SQLite file."""
    if not url.startswith("postgresql"):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/profile.db"
        return
    from bench_pages import pg_schema  # a private schema, dropped after

    with pg_schema(url) as fresh:
        yield fresh


async def _profile(url: str, requests: int) -> dict[str, Any]:
    from sqlalchemy import event

    from complaintdesk.api.app import create_app
    from complaintdesk.services import accounts
    from complaintdesk.services.bootstrap import open_desk

    desk = open_desk(url)
    accounts.create_user(desk.uow(), "bench", "压测", "admin", None, "bench-password-1", "bench")
    token = accounts.login(desk.uow(), "bench", "bench-password-1").token
    app = create_app(desk)
    lifespan_messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await lifespan_messages.put({"type": "lifespan.startup"})
    started = asyncio.Event()

    async def lifespan_send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            started.set()

    lifespan = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                                       lifespan_messages.get, lifespan_send))  # fmt: skip
    await started.wait()
    mix = _Mix(_Driver(app, token), seed=1)
    for _ in range(60):  # warm: first-use caches (statements, mappers, the analysis models)
        await mix.one()

    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(args[2])

    event.listen(desk.engine, "before_cursor_execute", note)
    per_kind: dict[str, list[int]] = {}
    for kind in ("open", "move", "list"):
        for _ in range(5):
            statements.clear()
            await mix.run(kind)
            per_kind.setdefault(kind, []).append(len(statements))
    event.remove(desk.engine, "before_cursor_execute", note)

    cpu: dict[str, list[float]] = {}
    errors: Counter[str] = Counter()
    began = time.process_time()
    for _ in range(requests):
        t0 = time.process_time()
        kind, status = await mix.one()
        cpu.setdefault(kind, []).append(time.process_time() - t0)
        if status >= 400:
            errors[f"{kind} {status}"] += 1
    total_cpu = time.process_time() - began

    profiler = cProfile.Profile(time.process_time)  # CPU time: a wait on the database costs none
    profiler.enable()
    for _ in range(requests):
        await mix.one()
    profiler.disable()
    await lifespan_messages.put({"type": "lifespan.shutdown"})
    await lifespan
    desk.engine.dispose()
    return {
        "dialect": desk.engine.dialect.name,
        "requests": requests,
        "cpu_ms": total_cpu / requests * 1000,
        "cpu_ms_by_kind": {k: sum(v) / len(v) * 1000 for k, v in cpu.items()},
        "count_by_kind": {k: len(v) for k, v in cpu.items()},
        # the median of five: the webhook subscriptions are re-read every 2 s, into whichever request
        "statements": {k: statistics.median_low(v) for k, v in per_kind.items()},
        "errors": dict(errors),
        "buckets": dict(buckets(pstats.Stats(profiler))),
    }


def run(url: str, requests: int) -> dict[str, Any]:
    import os

    # As bench_api starts its server: handlers on the event loop (so that cProfile, which follows one
    # thread, sees them), and repeat detection without the embedding model.
    os.environ["COMPLAINTDESK_API_THREADS"] = "0"
    os.environ["COMPLAINTDESK_REPEAT_USE_EMBEDDINGS"] = "false"
    from complaintdesk.settings import get_settings

    get_settings.cache_clear()
    with _fresh_database(url) as fresh:
        return asyncio.run(_profile(fresh, requests))


def report(result: dict[str, Any]) -> str:
    lines = [
        f"{result['dialect']}, in-process ASGI, {result['requests']} requests of the mix "
        f"(open 40%, list 40%, move 20%), CPU time of this process:",
        f"  server CPU per request: {result['cpu_ms']:.2f} ms  ("
        + ", ".join(
            f"{k} {v:.2f} ms x{result['count_by_kind'][k]}"
            for k, v in sorted(result["cpu_ms_by_kind"].items())
        )
        + ")",
        "  SQL statements per request: " + ", ".join(f"{k} {v}" for k, v in result["statements"].items()),
        f"  errors: {result['errors'] or 'none'}",
        "  where the CPU goes (cProfile own time by module, builtins charged to their callers):",
    ]
    total = sum(result["buckets"].values()) or 1.0
    for name, seconds in sorted(result["buckets"].items(), key=lambda item: -item[1]):
        share = seconds / total
        lines.append(f"    {name:32s} {share:6.1%}  {share * result['cpu_ms']:5.2f} ms")
    return "\n".join(lines)
