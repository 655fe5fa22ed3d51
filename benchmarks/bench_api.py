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
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from typing import Any

import load_generator  # this script's folder is on the path when it runs, as bench_intake's mail_rates
import machine_cpu
from load_generator import TEXT

JSON_MARK = "figures as JSON: "  # the line --json adds (the server's workers may still be writing as it ends)


def _pct(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


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
            load_generator.generate(args.generate, os.environ["BENCH_API_TOKEN"], args.rate, args.seconds, args.max_requests)
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
        one_at_a_time_before = machine_cpu.tree_cpu_seconds(server.pid)
        alone = subprocess.run(
            [sys.executable, __file__, "--generate", base, "--rate", "0", "--max-requests", str(args.one_at_a_time)],
            capture_output=True, text=True, env=generator_env,
        )  # fmt: skip
        if alone.returncode != 0:
            raise SystemExit(f"load generator failed:\n{alone.stderr[-3000:]}")
        one_at_a_time_cpu = (machine_cpu.tree_cpu_seconds(server.pid) - one_at_a_time_before) / max(1, args.one_at_a_time)
        server_cpu_before = machine_cpu.tree_cpu_seconds(server.pid)
        supervisor_cpu_before = machine_cpu.cpu_seconds(lambda p, _parent, _name: p == server.pid)
        postgres_cpu_before = machine_cpu.postgres_cpu_seconds()
        ticks_before = machine_cpu.machine_ticks()
        with machine_cpu.StealSampler() as steal:
            gen = subprocess.run(
                [sys.executable, __file__, "--generate", base, "--rate", str(args.rate),
                 "--seconds", str(args.seconds), "--max-requests", str(args.max_requests)],
                capture_output=True, text=True, env=generator_env,
            )  # fmt: skip
        if gen.returncode != 0:
            raise SystemExit(f"load generator failed:\n{gen.stderr[-3000:]}")
        result = json.loads(gen.stdout)
        server_cpu = machine_cpu.tree_cpu_seconds(server.pid) - server_cpu_before
        supervisor_cpu = machine_cpu.cpu_seconds(lambda p, _parent, _name: p == server.pid) - supervisor_cpu_before
        postgres_cpu = machine_cpu.postgres_cpu_seconds() - postgres_cpu_before
        ticks_after = machine_cpu.machine_ticks()
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
    hit = [ms for t0, ms, _ in result["timeline"] if machine_cpu.overlaps(t0, t0 + ms / 1000, windows)]
    clear = [ms for t0, ms, _ in result["timeline"] if not machine_cpu.overlaps(t0, t0 + ms / 1000, windows)]
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
