"""Server CPU per request of two commits, measured alternately on one machine (issue 26's method).

    python benchmarks/compare_heads.py OLD NEW [--rounds 3] [--requests 400] [--url …]

Each commit's ``src`` is exported (``git archive``) to a temporary directory, and this checkout's
``bench_api.py --profile`` drives it (so both are measured by the same driver), old and new in turn,
``--rounds`` times each: the machine's load drifts, and alternating spreads the drift over both.
Prints each run and the median CPU ms per request and statements per operation of each commit.
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        trees = {name: _export(name, Path(folder)) for name in (args.old, args.new)}
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
