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
import pstats
import statistics
import time
from collections import Counter
from typing import Any

from inprocess import Served, fresh_database, served

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


async def _profile(url: str, requests: int) -> dict[str, Any]:
    async with served(url) as server:
        return await _measure(server, requests)


async def _measure(server: Served, requests: int) -> dict[str, Any]:
    from sqlalchemy import event

    desk, mix = server.desk, server.mix
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
    with fresh_database(url) as fresh:
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
