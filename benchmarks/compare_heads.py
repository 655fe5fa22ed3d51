"""Server CPU per request of two commits, measured alternately on one machine (issue 26's method).

    python benchmarks/compare_heads.py OLD NEW [--rounds 3] [--requests 400] [--url …]
    python benchmarks/compare_heads.py OLD NEW --http [--rate 200] [--seconds 10] [--rounds 5]

Each commit's ``src`` is exported (``git archive``) to a temporary directory, and this checkout's
``bench_api.py --profile`` drives it (so both are measured by the same driver), old and new in turn,
``--rounds`` times each: the machine's load drifts, and alternating spreads the drift over both.
Prints each run and the median CPU ms per request and statements per operation of each commit.

With ``--http`` each run is ``bench_api.py``'s load instead (uvicorn workers serving that commit's ``src``,
the load generator at ``--rate``): each run's server CPU per request, its p99 and its achieved rate, then
each commit's median CPU and its worst p99 — issue 26's acceptance figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _export(commit: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", commit, "src"], cwd=HERE.parent, check=True, capture_output=True
    )
    target = into / commit.replace("/", "_")
    target.mkdir()
    with tempfile.TemporaryFile() as tar:
        tar.write(archive.stdout)
        tar.seek(0)
        with tarfile.open(fileobj=tar) as opened:
            opened.extractall(target, filter="data")
    return target / "src"


def _run(src: Path, url: str, requests: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [
        sys.executable,
        str(HERE / "bench_api.py"),
        "--profile",
        "--json",
        "--requests",
        str(requests),
        "--url",
        url,
    ]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _run_http(src: Path, url: str, rate: float, seconds: float) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, str(HERE / "bench_api.py"), "--json", "--rate", str(rate), "--seconds", str(seconds), "--url", url]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    [line] = [line for line in done.stdout.splitlines() if line.startswith("figures as JSON: ")]
    result: dict[str, float] = json.loads(line.removeprefix("figures as JSON: "))
    return result


def _compare_http(trees: dict[str, Path], args: argparse.Namespace) -> None:
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for round_ in range(args.rounds):
        for name, src in trees.items():
            r = _run_http(src, args.url, args.rate, args.seconds)
            runs[name].append(r)
            print(
                f"round {round_ + 1} {name:>12s}: server {r['server_cpu_ms']:.2f} ms/request "
                f"(one at a time {r['one_at_a_time_cpu_ms']:.2f}), PostgreSQL {r['postgres_cpu_ms']:.2f}; "
                f"{r['achieved']:.0f} req/s, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
                f"errors {r['errors']:.0f}, stolen {r['stolen']:.1%}",
                flush=True,
            )
    for name, results in runs.items():
        cpu = statistics.median(r["server_cpu_ms"] for r in results)
        worst = max(r["p99_ms"] for r in results)
        print(
            f"{name:>12s}: median server CPU {cpu:.2f} ms per request, worst p99 {worst:.1f} ms "
            f"over {len(results)} runs at {args.rate:.0f} req/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "COMPLAINTDESK_BENCH_DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument("--http", action="store_true", help="bench_api's load over HTTP instead of the in-process driver")
    parser.add_argument("--rate", type=float, default=200.0, help="with --http: requests per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="with --http: seconds of load per run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        trees = {name: _export(name, Path(folder)) for name in (args.old, args.new)}
        if args.http:
            _compare_http(trees, args)
            return
        runs: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
        for round_ in range(args.rounds):
            for name, src in trees.items():
                result = _run(src, args.url, args.requests)
                runs[name].append(result)
                by_kind = result["cpu_ms_by_kind"]
                assert isinstance(by_kind, dict)
                print(
                    f"round {round_ + 1} {name:>12s}: {result['cpu_ms']:.2f} ms/request ("
                    + ", ".join(f"{k} {v:.2f}" for k, v in sorted(by_kind.items()))
                    + f"); statements {result['statements']}",
                    flush=True,
                )
    for name, results in runs.items():
        cpu = statistics.median(float(str(r["cpu_ms"])) for r in results)
        print(
            f"{name:>12s}: median server CPU {cpu:.2f} ms per request over {len(results)} runs; statements {results[-1]['statements']}"
        )


if __name__ == "__main__":
    main()
