"""Intake throughput: complaints opened per second through the service layer (unit of work, audit
chain, SLA clocks, repeat pre-filter) beside two raw-SQL baselines on the same database, same run:

* "one row": a single INSERT of a narrow row per transaction — the floor of any write;
* "same rows": raw SQL writing what one intake stores (the day's number, customer, complaint, three SLA
  clocks, one audit event, the search document and on SQLite its FTS5 entry), one transaction per
  complaint, no ORM, no domain logic — what the service layer costs on top of the data itself.

Then mail intake (issue 24), beside the service intake with analysis (mail is analysed like any intake):
mails/s sent with smtplib over one connection to the SMTP listener (`mail listen`'s aiosmtpd, each mail
answered 250 only after its complaint commits and its acknowledgement is queued), and — when Debian's
dovecot is installed — mails/s taken from an IMAP mailbox by one `mail poll` round (fetch, intake, flag).
These three are measured in three interleaved rounds of n/3 on fresh databases, the best round of each
kept, so that a machine shared with other work does not slow one kind only.

    python benchmarks/bench_intake.py [--n 300] [--pg postgresql+psycopg://root@127.0.0.1:5432/test]

Prints complaints/s and the service's ratio to each baseline (target on PostgreSQL: ≥ 25% of raw INSERT),
and mails/s with their ratio to the analysed service intake.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import mail_rates
from sqlalchemy import create_engine, text

from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import open_desk
from complaintdesk.storage.db import make_engine
from complaintdesk.storage.search_entries import grams
from complaintdesk.text import fold

TEXT = "我家宽带欠费不到30天就被停机了,客服说先开通是不可能的,要求马上恢复宽带并道歉,否则投诉到工信部。"


def _service_rate(url: str, n: int, *, analyse: bool = False) -> float:
    desk = open_desk(url)
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    began = time.perf_counter()
    for i in range(n):
        at = start + timedelta(seconds=i)
        svc.open_complaint(
            desk.uow(),
            svc.OpenComplaint(
                customer_name=f"客户{i % 97}",
                phone=f"138{i % 97:08d}",
                title="宽带被停机",
                description=f"{TEXT}(第{i}次)",
                actor="bench",
                opened_at=at,
                analyse=analyse,
            ),
            now=at,
        )
    elapsed = time.perf_counter() - began
    desk.engine.dispose()
    return n / elapsed


def _raw_rate(url: str, n: int) -> float:
    engine = make_engine(url)  # the product's engine settings (SQLite: WAL, synchronous=NORMAL)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, title VARCHAR(200), body TEXT)"))
    began = time.perf_counter()
    for i in range(n):
        with engine.begin() as conn:  # one transaction per complaint, as intake does
            conn.execute(
                text("INSERT INTO bench_raw (id, title, body) VALUES (:i, :t, :b)"),
                {"i": i, "t": "宽带", "b": TEXT},
            )
    elapsed = time.perf_counter() - began
    engine.dispose()
    return n / elapsed


def _same_rows_rate(url: str, n: int) -> float:
    """Raw SQL writing the rows one intake writes, into the product's own schema."""
    desk = open_desk(url)  # creates the schema; then only raw SQL below
    engine = desk.engine
    began = time.perf_counter()
    write_same_rows(engine, 0, n, datetime(2026, 11, 23, 2, 0, tzinfo=UTC), TEXT)
    elapsed = time.perf_counter() - began
    engine.dispose()
    return n / elapsed


def write_same_rows(engine: Any, first: int, n: int, start: datetime, body: str, *, complete: bool = True) -> None:
    """Raw SQL writing the rows intakes ``first`` … ``first + n - 1`` write, one transaction each, into the
    product's own schema: a customer, the complaint, its three clocks and its audit event and — ``complete``,
    the default since session 18 — the day's number drawn by one upsert of its counter, the complaint's search
    document and, on SQLite, its FTS5 entry, rows the service must write too (without them the baseline was not
    the same rows: see docs/performance.md, "Session 18"). The search text is folded and cut into bigrams once,
    before the loop: raw SQL writes it, it does not compute it."""
    clock = '{"kind": "acceptance", "started_at": "2026-11-23T02:00:00+00:00", "target_seconds": 7200}'
    sqlite = engine.dialect.name == "sqlite"
    content = fold(f"宽带被停机\n{body}")
    search_grams = grams(content)
    for i in range(first, first + n):
        at = start + timedelta(seconds=i)
        with engine.begin() as conn:
            number = f"TS-20261123-{i:06d}"
            if complete:
                drawn = conn.execute(_DRAW_SQLITE if sqlite else _DRAW_POSTGRESQL, {"day": at.date()}).scalar_one()
                number = f"TS-20261123-{drawn:06d}"
            customer_id = conn.execute(
                text("INSERT INTO customers (name, phone, segment, created_at) VALUES (:n, :p, 'regular', :at) RETURNING id"),
                {"n": f"客户{i}", "p": f"139{i:08d}", "at": at},
            ).scalar_one()
            complaint_id = conn.execute(
                text(
                    "INSERT INTO complaints (number, customer_id, channel, title, description, category, demands,"
                    " priority, stage, owner, escalation_level, transfer_count, runaround, repeat, reopen_count,"
                    " opened_at, updated_at, version) VALUES (:num, :cid, 'phone', '宽带被停机', :d, 'other', '[]',"
                    " 'normal', 'accepted', 'bench', 0, 0, false, false, 0, :at, :at, 1) RETURNING id"
                ),
                {"num": number, "cid": customer_id, "d": body, "at": at},
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO sla_clocks (complaint_number, kind, ref, clock, active, due_at, steps_applied, warned,"
                    " updated_at) VALUES (:num, :k, '', :c, true, :at, 0, false, :at)"
                ),
                [{"num": number, "k": k, "c": clock, "at": at} for k in ("a", "f", "r")],
            )
            conn.execute(
                text(
                    "INSERT INTO audit_events (seq, complaint_number, kind, actor, at, payload, prev_hash, hash)"
                    " VALUES (:s, :num, 'opened', 'bench', :at, '{}', :p, :h)"
                ),
                {"s": i + 1, "num": number, "at": at, "p": f"{i:064d}", "h": f"{i + 1:064d}"},
            )
            if complete:
                conn.execute(
                    text(
                        "INSERT INTO search_documents (complaint_id, number, version, content, grams, updated_at)"
                        " VALUES (:id, :num, 1, :c, :g, :at)"
                    ),
                    {"id": complaint_id, "num": number, "c": content, "g": search_grams, "at": at},
                )
                if sqlite:
                    conn.execute(_FTS_SQLITE, {"id": complaint_id, "g": search_grams})


_DRAW_SQLITE = text(
    "INSERT INTO number_sequences (day, last_value) VALUES (:day, 1)"
    " ON CONFLICT (day) DO UPDATE SET last_value = number_sequences.last_value + 1 RETURNING last_value"
)
_DRAW_POSTGRESQL = text("SELECT complaintdesk_next_day_number(:day)")
_FTS_SQLITE = text("INSERT INTO search_fts (rowid, grams) VALUES (:id, :g)")


def _fresh_urls(name: str, tmp: str, pg: str | None, schemas: list[str]) -> Callable[[], str]:
    """A new empty database each call: a SQLite file, or a PostgreSQL schema dropped at the end."""
    count = iter(range(1_000_000))

    def fresh() -> str:
        if name == "SQLite":
            return f"sqlite:///{tmp}/mail{next(count)}.db"
        assert pg is not None
        url, schema = _pg_schema(pg)
        schemas.append(schema)
        return url

    return fresh


def _pg_schema(base: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", schema


def _drop_schema(base: str, schema: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--pg", default=os.environ.get("COMPLAINTDESK_TEST_DATABASE_URL"))
    args = parser.parse_args()
    os.environ["COMPLAINTDESK_REPEAT_USE_EMBEDDINGS"] = "false"
    print(f"intake benchmark, n={args.n} complaints per database")
    with tempfile.TemporaryDirectory() as tmp:
        targets = [
            ("SQLite", f"sqlite:///{tmp}/svc.db", f"sqlite:///{tmp}/raw.db", f"sqlite:///{tmp}/rows.db")
        ]
        schemas: list[str] = []
        if args.pg:
            svc_url, s1 = _pg_schema(args.pg)
            raw_url, s2 = _pg_schema(args.pg)
            rows_url, s3 = _pg_schema(args.pg)
            schemas = [s1, s2, s3]
            targets.append(("PostgreSQL", svc_url, raw_url, rows_url))
        try:
            for name, svc_url, raw_url, rows_url in targets:
                fresh = _fresh_urls(name, tmp, args.pg, schemas)
                raw = _raw_rate(raw_url, args.n)
                rows = _same_rows_rate(rows_url, args.n)
                service = _service_rate(svc_url, args.n)
                print(
                    f"{name:11s} raw one-row INSERT {raw:7.1f}/s  raw same-rows {rows:7.1f}/s  "
                    f"service intake {service:7.1f}/s  ratio {service / raw:6.1%} of one-row, "
                    f"{service / rows:6.1%} of same-rows"
                )
                _service_rate(fresh(), 5, analyse=True)  # the analysis loads its knowledge once: not timed
                mail_rates.report(name, args.n, TEXT, partial(_service_rate, analyse=True), fresh)
        finally:
            for schema in schemas:
                _drop_schema(args.pg, schema)


if __name__ == "__main__":
    main()
