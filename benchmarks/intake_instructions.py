"""Issue 26's second acceptance point by instruction counts: the service intake against raw SQL writing
the same rows, counted by callgrind (exact, whatever the machine's load), and where the service's
instructions go.

    python benchmarks/intake_instructions.py [--n 40] [--url sqlite|postgresql+psycopg://…] [--profile]

Runs itself under ``valgrind --tool=callgrind --instr-atstart=no``; after a warm-up of each kind
(uncounted), counts ``--n`` intakes of each kind, one dump each:

* ``raw, same rows``: ``bench_intake``'s same-rows baseline — the day's number drawn, customer, complaint,
  three SLA clocks, one audit event, the search document and (SQLite) its FTS5 entry, written by raw SQL, one
  transaction per complaint: every row the service writes for a new customer (session 18);
* ``raw, session 17``: the baseline as it was until session 17 — without the number draw and the search
  entry — kept so that the figures before session 18 can be compared;
* ``service, new customers``: ``services.complaints.open_complaint`` without analysis, a new customer each
  time (the rows the baseline writes, plus what the service must do to write them);
* ``service, as bench_intake``: the same with ``bench_intake``'s 97 customers, so that from the 98th
  intake on each one reads the customer's recent complaints, runs the repeat pre-filter and links the
  repeats it finds (rows the baseline never writes).

``--profile`` instead runs the new-customers kind under cProfile (CPU clock) and prints its functions
by cumulative share: cProfile inflates small Python calls, so read the shares as directions only.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from callgrind_runner import dump, section_counts, toggle

HERE = Path(__file__).resolve().parent
KINDS = ("raw, same rows", "raw, session 17", "service, new customers", "service, as bench_intake")
WARM_UP = 10


def _intakes(url: str, kind: str) -> Callable[[int, int], None]:
    """A function running ``n`` intakes of ``kind`` numbered from ``first``, on one desk (or engine) opened here:
    the warm-up and the counted intakes share it, so that the counted ones do not pay for a new engine's first
    connection and its statements' compilation (until session 18 each ran on a desk of its own, which added
    about 1.5 M instructions to every intake at ``--n 20``)."""
    sys.path.insert(0, str(HERE))
    from bench_intake import TEXT, write_same_rows

    from complaintdesk.services import complaints as svc
    from complaintdesk.services.bootstrap import open_desk

    desk = open_desk(url)
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    if kind.startswith("raw"):
        complete = kind == KINDS[0]
        return lambda first, n: write_same_rows(desk.engine, first, n, start, TEXT, complete=complete)
    repeat = kind.endswith("bench_intake")

    def run(first: int, n: int) -> None:
        for i in range(first, first + n):
            at = start + timedelta(seconds=i)
            who = i % 97 if repeat else i
            command = svc.OpenComplaint(
                customer_name=f"客户{who}", phone=f"138{who:08d}", title="宽带被停机",
                description=f"{TEXT}(第{i}次)", actor="bench", opened_at=at, analyse=False,
            )  # fmt: skip
            svc.open_complaint(desk.uow(), command, now=at)

    return run


def _child(url: str, n: int) -> None:
    os.environ["COMPLAINTDESK_REPEAT_USE_EMBEDDINGS"] = "false"
    sys.path.insert(0, str(HERE))
    from inprocess import fresh_database  # a new SQLite file, or a PostgreSQL schema dropped after

    for kind in KINDS:
        with fresh_database("sqlite" if url == "sqlite" else url) as where:
            run = _intakes(where, kind)
            run(0, WARM_UP + 100)  # the bench_intake kind: 110 intakes first, so the counted ones link repeats
            toggle(True)
            run(WARM_UP + 100, n)
            toggle(False)
            dump()


def _profile(url: str, n: int) -> None:
    os.environ["COMPLAINTDESK_REPEAT_USE_EMBEDDINGS"] = "false"
    sys.path.insert(0, str(HERE))
    from inprocess import fresh_database

    with fresh_database("sqlite" if url == "sqlite" else url) as where:
        run = _intakes(where, KINDS[2])
        run(0, WARM_UP)
        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(run, WARM_UP, n)
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(int(os.environ.get("TOP", "45")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--url", default="sqlite", help="sqlite (a fresh file per kind) or a PostgreSQL URL")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.url, args.n)
        return
    if args.profile:
        _profile(args.url, args.n)
        return
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        args_ = ["--n", str(args.n), "--url", args.url]
        counts = [c / args.n for c in section_counts(Path(__file__).resolve(), args_, out, sections=len(KINDS))]
    for kind, count in zip(KINDS, counts, strict=True):
        print(f"{kind:26s} {count / 1e6:7.2f} M instructions per intake; raw same rows is {counts[0] / count:6.1%}"
              f" of it, raw as in session 17 {counts[1] / count:6.1%}")


if __name__ == "__main__":
    main()
