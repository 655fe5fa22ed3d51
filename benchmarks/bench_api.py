"""API under concurrent load on PostgreSQL: open + list + move through uvicorn workers, driven by a
load generator in a second process on loopback (fixed arrival rate, bounded in count and time), beside
a raw psycopg INSERT+SELECT baseline measured in the same run.

    python benchmarks/bench_api.py [--rate 200] [--seconds 10] [--workers 3] [--threads 0] [--url …]
    python benchmarks/bench_api.py --profile [--requests 600] [--url …]   (where the CPU goes: api_profile)

The server runs as recommended for PostgreSQL (docs/api.md, Deployment): three workers, handlers on
each worker's event loop (COMPLAINTDESK_API_THREADS=0); `--workers 2 --threads 4` is the default
configuration of `complaintdesk serve`.

Prints throughput and p50/p99 per operation and overall, and the baseline's. Target: p99 < 50 ms at
200 requests/s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

MIX = (("open", 0.4), ("list", 0.4), ("move", 0.2))
JSON_MARK = "figures as JSON: "  # the line --json adds (the server's workers may still be writing as it ends)
TEXT = "宽带欠费不到30天就被停机,影响在家办公,要求马上恢复并退还停机期间的费用,否则投诉到工信部。"


def _pct(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# -- load generator (runs in its own process) --------------------------------------------------------------


class _Http:
    """A minimal keep-alive HTTP/1.1 client over raw asyncio streams. httpx's AsyncClient cost more
    CPU per request (about 14 ms at 200 concurrent) than the server it measured, on the same 2 cores,
    so the figures were the load generator's; this one costs a fraction of a millisecond."""

    def __init__(self, host: str, port: int, token: str, connections: int) -> None:
        self.host, self.port, self.token = host, port, token
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
        self.connections = connections
        self.opened = 0

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.idle.empty() and self.opened < self.connections:
            self.opened += 1
            return await asyncio.open_connection(self.host, self.port)
        return await self.idle.get()

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {self.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode()
        reader, writer = await self._connection()
        try:
            writer.write(head + payload)
            status_line, _, headers = (await reader.readuntil(b"\r\n\r\n")).partition(b"\r\n")
            status = int(status_line.split()[1])
            length = 0
            for line in headers.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            data = await reader.readexactly(length) if length else b""
        except BaseException:
            writer.close()
            self.opened -= 1
            raise
        self.idle.put_nowait((reader, writer))
        return status, (json.loads(data) if data else None)

    async def open_all(self) -> None:
        """Open every connection before the clock starts, as wrk does: the figures are the server's
        answers on kept-alive connections, not 100 TCP handshakes in the first second."""
        while self.opened < self.connections:
            self.opened += 1
            self.idle.put_nowait(await asyncio.open_connection(self.host, self.port))

    async def close(self) -> None:
        while not self.idle.empty():
            _, writer = self.idle.get_nowait()
            writer.close()


async def _generate(base: str, token: str, rate: float, seconds: float, cap: int) -> dict[str, Any]:
    host, port = base.removeprefix("http://").split(":")
    client = _Http(host, int(port), token, connections=100)
    latencies: dict[str, list[float]] = {name: [] for name, _ in MIX}
    errors: dict[str, int] = {}
    opened: list[str] = []
    rng = random.Random(1)
    total = min(cap, int(rate * seconds))

    async def request(i: int, kind: str) -> tuple[str, int]:
        if kind == "move" and opened:
            number = opened.pop()
            status, _ = await client.request(
                "POST", f"/api/v1/complaints/{number}/move", {"stage": "calming", "version": 1}
            )
            return kind, status
        if kind in ("open", "move"):  # nothing to move yet: open instead
            body = {
                "customer_name": f"客户{i}",
                "phone": f"139{i:08d}",
                "title": "宽带停机",
                "description": TEXT,
            }
            status, data = await client.request("POST", "/api/v1/complaints", body)
            if status == 201:
                opened.append(data["number"])
            return "open", status
        status, _ = await client.request("GET", "/api/v1/complaints?limit=20")
        return kind, status

    timeline: list[tuple[float, float, str]] = []  # (wall-clock start, latency in ms, kind) of every loaded request

    async def one(i: int, kind: str) -> None:
        began = time.perf_counter()
        began_wall = time.time()
        try:
            kind, code = await request(i, kind)
            status = str(code) if code >= 400 else None
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            status = type(exc).__name__
        latency = (time.perf_counter() - began) * 1000
        latencies[kind].append(latency)
        timeline.append((began_wall, latency, kind))
        if status is not None:
            errors[f"{kind} {status}"] = errors.get(f"{kind} {status}", 0) + 1

    await client.open_all()
    if rate <= 0:  # the mix one request at a time (the server's CPU per request without concurrency)
        for i in range(cap):
            await one(i, rng.choices([m for m, _ in MIX], [w for _, w in MIX])[0])
        await client.close()
        return {"requests": cap, "latencies": latencies, "errors": errors}
    # Unloaded latency first: one request at a time, so the figure is the server's own cost.
    sequential: list[float] = []
    for i in range(60):
        began = time.perf_counter()
        await request(10_000_000 + i, "open" if i % 2 else "list")
        sequential.append((time.perf_counter() - began) * 1000)
    cpu_before = time.process_time()
    tasks = []
    start = time.perf_counter()
    for i in range(total):
        # Open-loop arrivals at a fixed rate: a slow server does not slow the load down.
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        kind = rng.choices([m for m, _ in MIX], [w for _, w in MIX])[0]
        tasks.append(asyncio.create_task(one(i, kind)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    await client.close()
    return {
        "generator_cpu": time.process_time() - cpu_before,
        "elapsed": elapsed,
        "requests": total,
        "latencies": latencies,
        "errors": errors,
        "sequential": sequential,
        "timeline": timeline,
    }


# -- baseline and orchestration ----------------------------------------------------------------------------


def _baseline(url: str, n: int) -> list[float]:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    samples = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE bench_raw (id bigserial primary key, title text, body text)")
        for _ in range(n):
            began = time.perf_counter()
            row = conn.execute(
                "INSERT INTO bench_raw (title, body) VALUES (%s, %s) RETURNING id", ("宽带停机", TEXT)
            ).fetchone()
            conn.execute("SELECT id, title, body FROM bench_raw WHERE id = %s", (row[0],)).fetchone()  # type: ignore[index]
            samples.append((time.perf_counter() - began) * 1000)
    return samples


def _cpu_seconds(include: Callable[[int, int, str], bool]) -> float:
    """utime+stime summed over the processes ``include(pid, parent pid, name)`` accepts, from /proc
    (Linux only)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                name, _, rest = f.read().partition(" (")[2].rpartition(") ")
        except OSError:
            continue
        fields = rest.split()
        if include(int(entry), int(fields[1]), name):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _tree_cpu_seconds(pid: int) -> float:
    """A process and its direct children (uvicorn's workers)."""
    return _cpu_seconds(lambda p, parent, _name: pid in (p, parent))


def _machine_ticks() -> tuple[int, int]:
    """(all, stolen) CPU ticks of the machine from /proc/stat: time the hypervisor gave to other guests
    is time this run's processes waited with work to do."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


class _StealSampler:
    """Samples the machine's stolen CPU ticks every 20 ms in a thread: the moments the hypervisor ran
    other guests instead of this machine. A burst of steal stops every process here at once, the
    server's workers and PostgreSQL alike, whatever their code does."""

    def __init__(self) -> None:
        import threading

        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), _machine_ticks()[1]))
            self._stop.wait(0.02)

    def __enter__(self) -> _StealSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def windows(self, margin: float = 0.02) -> list[tuple[float, float]]:
        """(start, end) wall-clock intervals in which some CPU time was stolen, widened by ``margin``
        (the kernel accounts steal at its next tick)."""
        return [
            (t0 - margin, t1 + margin)
            for (t0, s0), (t1, s1) in zip(self.samples, self.samples[1:], strict=False)
            if s1 > s0
        ]


def _overlaps(start: float, end: float, windows: list[tuple[float, float]]) -> bool:
    return any(w0 < end and start < w1 for w0, w1 in windows)


def _postgres_cpu_seconds() -> float:
    """Every PostgreSQL server process on this machine."""
    return _cpu_seconds(lambda _p, _parent, name: name == "postgres")


def _analyze(engine: Any, schema: str) -> None:
    """Planner statistics for the benchmark's tables, as a maintained database has them (autovacuum's
    ANALYZE). Without any, PostgreSQL plans the queue's newest-first page as a scan, hash join and sort of
    every complaint (2.3 ms, growing with the table) instead of reading 21 rows down the primary key
    (0.13 ms): on a server whose autovacuum is off that is most of the database's CPU per request."""
    from sqlalchemy import text

    with engine.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}).scalars()
        for table in list(tables):
            conn.execute(text(f'ANALYZE "{schema}"."{table}"'))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(base: str, deadline: float) -> None:
    import httpx

    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise SystemExit("server did not start in time")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--no-analyze", dest="analyze", action="store_false",
        help="skip ANALYZE of the benchmark's tables after the warm-up (a database without planner statistics)",
    )  # fmt: skip
    parser.add_argument(
        "--one-at-a-time", type=int, default=400, help="requests of the mix sent one at a time before the load"
    )
    parser.add_argument("--threads", type=int, default=0, help="COMPLAINTDESK_API_THREADS (0: on the event loop)")
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "COMPLAINTDESK_BENCH_DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
        ),
    )
    # The load generator's mode; its bearer token comes in BENCH_API_TOKEN (a token may start with "-").
    parser.add_argument("--generate", metavar="BASE", help=argparse.SUPPRESS)
    parser.add_argument(
        "--timeline", metavar="PATH", help="write every loaded request's start, kind and latency as JSON"
    )
    parser.add_argument("--profile", action="store_true", help="server CPU per request and where it goes, in process")
    parser.add_argument("--requests", type=int, default=600, help="with --profile: requests per pass")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line (after JSON_MARK)")
    args = parser.parse_args()
    if args.profile:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import api_profile

        figures = api_profile.run(args.url, args.requests)
        print(json.dumps(figures) if args.json else api_profile.report(figures))
        return
    if args.generate:
        import uvloop  # the server's event loop too: the generator shares the machine, so it should be lean

        result = uvloop.run(
            _generate(args.generate, os.environ["BENCH_API_TOKEN"], args.rate, args.seconds, args.max_requests)
        )
        print(json.dumps(result))
        return

    from sqlalchemy import create_engine, text

    from complaintdesk.services import accounts
    from complaintdesk.services.bootstrap import open_desk

    schema = f"bench_api_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(args.url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{args.url}{'&' if '?' in args.url else '?'}options=-csearch_path%3D{schema}"
    server = None
    try:
        desk = open_desk(url)
        accounts.create_user(desk.uow(), "bench", "压测", "admin", None, "bench-password-1", "bench")
        token = accounts.login(desk.uow(), "bench", "bench-password-1").token
        desk.engine.dispose()
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "COMPLAINTDESK_DATABASE_URL": url,
            "COMPLAINTDESK_REPEAT_USE_EMBEDDINGS": "false",
            "COMPLAINTDESK_API_THREADS": str(args.threads),
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "complaintdesk.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(args.workers), "--no-access-log"],
            env=env,
        )  # fmt: skip
        _wait_ready(base, time.time() + 60)
        generator_env = {**os.environ, "BENCH_API_TOKEN": token}
        # Warm every worker (imports, engines, first analysis) outside the measurement.
        subprocess.run(
            [sys.executable, __file__, "--generate", base, "--rate", "60", "--seconds", "3"],
            check=True, capture_output=True, env=generator_env,
        )  # fmt: skip
        if args.analyze:
            _analyze(admin_engine, schema)
        # The baseline before and after the load: it doubles as a gauge of the machine's speed, which
        # drifts (its p50 has moved between 0.21 and 0.88 ms within an hour on the same code).
        raw_before = _baseline(url, 250)
        # The same mix one request at a time: what concurrency and the other processes add shows as
        # the difference from the loaded run's figure.
        one_at_a_time_before = _tree_cpu_seconds(server.pid)
        alone = subprocess.run(
            [sys.executable, __file__, "--generate", base, "--rate", "0", "--max-requests", str(args.one_at_a_time)],
            capture_output=True, text=True, env=generator_env,
        )  # fmt: skip
        if alone.returncode != 0:
            raise SystemExit(f"load generator failed:\n{alone.stderr[-3000:]}")
        one_at_a_time_cpu = (_tree_cpu_seconds(server.pid) - one_at_a_time_before) / max(1, args.one_at_a_time)
        server_cpu_before = _tree_cpu_seconds(server.pid)
        supervisor_cpu_before = _cpu_seconds(lambda p, _parent, _name: p == server.pid)
        postgres_cpu_before = _postgres_cpu_seconds()
        ticks_before = _machine_ticks()
        with _StealSampler() as steal:
            gen = subprocess.run(
                [sys.executable, __file__, "--generate", base, "--rate", str(args.rate),
                 "--seconds", str(args.seconds), "--max-requests", str(args.max_requests)],
                capture_output=True, text=True, env=generator_env,
            )  # fmt: skip
        if gen.returncode != 0:
            raise SystemExit(f"load generator failed:\n{gen.stderr[-3000:]}")
        result = json.loads(gen.stdout)
        server_cpu = _tree_cpu_seconds(server.pid) - server_cpu_before
        supervisor_cpu = _cpu_seconds(lambda p, _parent, _name: p == server.pid) - supervisor_cpu_before
        postgres_cpu = _postgres_cpu_seconds() - postgres_cpu_before
        ticks_after = _machine_ticks()
        stolen = (ticks_after[1] - ticks_before[1]) / max(1, ticks_after[0] - ticks_before[0])
        raw_after = _baseline(url, 250)
        raw = raw_before + raw_after
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    everything = [x for v in result["latencies"].values() for x in v]
    seq = result["sequential"]
    print(
        f"PostgreSQL, {args.workers} uvicorn workers x {args.threads or 'no'} handler threads, target {args.rate:.0f} req/s for {args.seconds:.0f} s"
    )
    print(f"  one at a time (open/list alternating): p50 {_pct(seq, 50):.1f} ms, p99 {_pct(seq, 99):.1f} ms")
    print(f"  achieved: {result['requests'] / result['elapsed']:.0f} req/s ({result['requests']} requests)")
    for kind, samples in result["latencies"].items():
        print(
            f"  {kind:5s} n={len(samples):5d}  p50 {_pct(samples, 50):7.1f} ms  p99 {_pct(samples, 99):7.1f} ms"
        )
    print(
        f"  all   n={len(everything):5d}  p50 {_pct(everything, 50):7.1f} ms  p99 {_pct(everything, 99):7.1f} ms"
    )
    print(f"  errors: {result['errors'] or 'none'}")
    n = max(1, len(everything) + len(seq))
    print(
        f"  CPU per request: server {server_cpu / n * 1000:.1f} ms, PostgreSQL {postgres_cpu / n * 1000:.1f} ms, load generator "
        f"{result['generator_cpu'] / max(1, len(everything)) * 1000:.2f} ms "
        f"(both on the same {os.cpu_count()} cores)"
    )
    print(f"    the same mix one request at a time: server {one_at_a_time_cpu * 1000:.1f} ms per request")
    print(
        f"    of the server's: the supervisor process (its housekeeping thread: SLA sweeps, deliveries, "
        f"audit checkpoints) {supervisor_cpu / n * 1000:.2f} ms, the workers {(server_cpu - supervisor_cpu) / n * 1000:.2f} ms"
    )
    print(f"  CPU time stolen by the hypervisor during the run: {stolen:.1%}")
    windows = steal.windows()
    hit = [ms for t0, ms, _ in result["timeline"] if _overlaps(t0, t0 + ms / 1000, windows)]
    clear = [ms for t0, ms, _ in result["timeline"] if not _overlaps(t0, t0 + ms / 1000, windows)]
    slow = [ms for _, ms, _ in result["timeline"] if ms > 50]
    print(
        f"  requests in flight while the hypervisor took CPU time: {len(hit)} "
        f"(p99 {_pct(hit, 99):.1f} ms); the other {len(clear)}: p99 {_pct(clear, 99):.1f} ms; "
        f"over 50 ms: {len(slow)}, of them {sum(1 for ms in hit if ms > 50)} while it took CPU time"
    )
    print(
        f"baseline raw psycopg INSERT+SELECT: {1000 / statistics.mean(raw):.0f} ops/s sequential, "
        f"p50 {_pct(raw, 50):.2f} ms, p99 {_pct(raw, 99):.2f} ms "
        f"(p50 {_pct(raw_before, 50):.2f} ms before the load, {_pct(raw_after, 50):.2f} ms after)"
    )
    print(f"  ratio API p99 / raw p99: {_pct(everything, 99) / _pct(raw, 99):.0f}x")
    if args.json:
        print(
            JSON_MARK
            + json.dumps(
                {
                    "achieved": result["requests"] / result["elapsed"],
                    "p50_ms": _pct(everything, 50),
                    "p99_ms": _pct(everything, 99),
                    "errors": sum(result["errors"].values()),
                    "server_cpu_ms": server_cpu / n * 1000,
                    "postgres_cpu_ms": postgres_cpu / n * 1000,
                    "one_at_a_time_cpu_ms": one_at_a_time_cpu * 1000,
                    "stolen": stolen,
                }
            )
        )
    if args.timeline:
        with open(args.timeline, "w", encoding="utf-8") as out:
            json.dump({"timeline": result["timeline"], "steal_windows": windows}, out)


if __name__ == "__main__":
    main()
