"""Where a new customer's intake spends its instructions, piece by piece, each counted alone by callgrind
(exact, whatever the machine's load): the whole intake, an empty unit of work, the three clocks, building the
complaint, the view, the search entry's text, sealing the audit event and SQLite's FTS5 insert by sqlite3.

    python benchmarks/intake_pieces.py [--k 50] [--url sqlite|postgresql+psycopg://…]

Each piece runs five times uncounted, then ``--k`` times counted (one dump); k instructions per call. The
pieces overlap (the intake holds all of them): read each against the whole, not as a sum.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from callgrind_runner import dump, section_counts, toggle

HERE = Path(__file__).resolve().parent
PIECES = (
    "intake, new customer",
    "empty unit of work (session, BEGIN, commit pipeline, COMMIT, close)",
    "the three intake clocks",
    "building the complaint",
    "the view (complaint_detail)",
    "the search entry's text",
    "sealing one audit event",
)


def _pieces(url: str) -> list[Callable[[], None]]:
    sys.path.insert(0, str(HERE))
    from bench_intake import TEXT

    from complaintdesk.domain.audit import seal
    from complaintdesk.domain.model import DomainEvent
    from complaintdesk.domain.vocab import Category, Channel, Priority, Segment
    from complaintdesk.services import complaints as svc
    from complaintdesk.services import sla_service
    from complaintdesk.services.bootstrap import open_desk
    from complaintdesk.services.views import complaint_detail
    from complaintdesk.storage import driver_sql
    from complaintdesk.storage.search_entries import entry

    desk = open_desk(url)
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    count = itertools.count()

    def intake() -> None:
        i = next(count)
        at = start + timedelta(seconds=i)
        command = svc.OpenComplaint(
            customer_name=f"客户{i}", phone=f"138{i:08d}", title="宽带被停机", description=f"{TEXT}(第{i}次)",
            actor="bench", opened_at=at, analyse=False,
        )  # fmt: skip
        svc.open_complaint(desk.uow(), command, now=at)

    def empty() -> None:
        with desk.uow() as uow:
            driver_sql.session_connection(uow.session)
            uow.commit()

    reader = desk.uow().reading().__enter__()  # a unit of work for the pieces that need one, never committed

    def clocks() -> None:
        sla_service.intake_clocks(reader, "TS-20261123-000001", Segment.REGULAR, start)

    def build() -> None:
        reader.complaints.new(
            number="TS-20261123-000001", customer_id=1, channel=Channel.PHONE, title="宽带被停机",
            description=TEXT, opened_at=start, opened_by="bench", category=Category("other"), demands=[],
            priority=Priority.NORMAL, owner=None,
        )  # fmt: skip

    complaint = reader.complaints.new(
        number="TS-20261123-000001", customer_id=1, channel=Channel.PHONE, title="宽带被停机", description=TEXT,
        opened_at=start, opened_by="bench", category=Category("other"), demands=[], priority=Priority.NORMAL,
        owner=None,
    )  # fmt: skip
    customer = reader.customers.new("客户", "13800000000", Segment.REGULAR, created_at=start)

    def view() -> None:
        complaint_detail(complaint, customer)

    def search_text() -> None:
        entry(complaint, start)

    event = DomainEvent("opened", "bench", start, {"channel": "phone", "title": "宽带被停机"})

    def sealing() -> None:
        seal(1, "0" * 64, "TS-20261123-000001", event.kind, event.actor, event.at, event.payload)

    return [intake, empty, clocks, build, view, search_text, sealing]


def _child(url: str, k: int) -> None:
    os.environ["COMPLAINTDESK_REPEAT_USE_EMBEDDINGS"] = "false"
    sys.path.insert(0, str(HERE))
    from inprocess import fresh_database

    with fresh_database("sqlite" if url == "sqlite" else url) as where:
        for piece in _pieces(where):
            for _ in range(5):
                piece()
            toggle(True)
            for _ in range(k):
                piece()
            toggle(False)
            dump()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--url", default="sqlite")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.url, args.k)
        return
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        counts = section_counts(Path(__file__).resolve(), ["--k", str(args.k), "--url", args.url], out,
                                sections=len(PIECES))  # fmt: skip
    for name, total in zip(PIECES, counts, strict=True):
        print(f"{name:70s} {total / args.k / 1000:8.1f} k instructions per call")


if __name__ == "__main__":
    main()
