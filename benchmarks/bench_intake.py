"""Intake throughput: complaints opened per second through the service layer (unit of work, audit
chain, SLA clocks, repeat pre-filter) beside a raw INSERT baseline on the same database, same run.

    python benchmarks/bench_intake.py [--n 300] [--pg postgresql+psycopg://root@127.0.0.1:5432/test]

Prints complaints/s for both and their ratio (target on PostgreSQL: service ≥ 25% of raw INSERT).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import open_desk

TEXT = "我家宽带欠费不到30天就被停机了,客服说先开通是不可能的,要求马上恢复宽带并道歉,否则投诉到工信部。"


def _service_rate(url: str, n: int) -> float:
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
                analyse=False,
            ),
            now=at,
        )
    elapsed = time.perf_counter() - began
    desk.engine.dispose()
    return n / elapsed


def _raw_rate(url: str, n: int) -> float:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, title VARCHAR(200), body TEXT)"))
    began = time.perf_counter()
    for i in range(n):
        with engine.begin() as conn:  # one transaction per complaint, as intake does
            conn.execute(text("INSERT INTO bench_raw (id, title, body) VALUES (:i, :t, :b)"), {"i": i, "t": "宽带", "b": TEXT})
    elapsed = time.perf_counter() - began
    engine.dispose()
    return n / elapsed


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
        targets = [("SQLite", f"sqlite:///{tmp}/svc.db", f"sqlite:///{tmp}/raw.db", None)]
        schemas: list[str] = []
        if args.pg:
            svc_url, s1 = _pg_schema(args.pg)
            raw_url, s2 = _pg_schema(args.pg)
            schemas = [s1, s2]
            targets.append(("PostgreSQL", svc_url, raw_url, args.pg))
        try:
            for name, svc_url, raw_url, _ in targets:
                raw = _raw_rate(raw_url, args.n)
                service = _service_rate(svc_url, args.n)
                print(f"{name:11s} raw INSERT {raw:8.1f}/s   service intake {service:8.1f}/s   ratio {service / raw:6.1%}")
        finally:
            for schema in schemas:
                _drop_schema(args.pg, schema)


if __name__ == "__main__":
    main()
