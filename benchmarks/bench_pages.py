"""Server time of the complaint page, the queue, a customer's page, the inbox, the live board and the dashboard over a
large store (issues 7 and 23: p95 < 300 ms over 100 001 complaints), with baselines measured in the same run: the login
page (templates, no database), a raw ``SELECT count(*)`` over the complaints table, and for the inbox, the filtered
queue and the board a raw SQL query of the same rows (printed beside each as "×raw").

    .venv/bin/python benchmarks/bench_pages.py                 # 100 000 complaints, SQLite in a temp dir
    .venv/bin/python benchmarks/bench_pages.py --complaints 20000 --repeat 10
    .venv/bin/python benchmarks/bench_pages.py --pg postgresql+psycopg://root@127.0.0.1:5432/test
    .venv/bin/python benchmarks/bench_pages.py --database-url sqlite:////tmp/b.db --reuse   # build once, measure again

Times are wall-clock per request through the ASGI app in-process (no network), median and p95, each also
as a multiple of the login page's. ``--pg`` builds the store in a private schema (dropped afterwards) and
runs VACUUM ANALYZE after the bulk load, as autovacuum would on a live server. The dashboard keeps a
daily rollup (services.analytics_rollup) that the warm-up request fills; its one-off cold cost over the
whole year is printed separately. "all time" is measured through the service, as the page has no such
parameter yet.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("COMPLAINTDESK_REPEAT_USE_EMBEDDINGS", "false")

from fastapi.testclient import TestClient
from sqlalchemy import bindparam, create_engine, insert, text

from complaintdesk.api.app import create_app
from complaintdesk.domain.sla import start_clock
from complaintdesk.services import accounts, analytics, users
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk, open_desk
from complaintdesk.services.handlers import handle
from complaintdesk.storage import orm
from complaintdesk.storage.schema import UTCDateTime
from complaintdesk.storage.sla_repository import ClockRow

PASSWORD = "bench-password-1"
CATEGORIES = ["parts_shortage", "product_quality", "repeated_repair", "out_of_warranty_charge", "staff_attitude",
              "late_visit", "billing", "service_suspension", "delivery", "installation", "other"]
CHANNELS = ["phone", "web", "email", "walk_in", "chat"]
STAGES = ["accepted", "calming", "clarifying", "proposing", "acting", "thanking", "follow_up", "closed"]
TYPES = ["stubborn", "self_important", "nagger", "boss_demander", "negative", "friendly"]
SEED_000 = ("宽带欠费不到30天就被停了,客服两次说“这是不可能的!”真是不能接受!态度还这么恶劣!"
            "你们不处理,我就去信息产业部电信申诉!")


def build(desk: Desk, count: int, now: datetime) -> str:
    for name, role in (("bench_agent", "agent"), ("bench_manager", "manager")):
        users.ensure_user(desk.uow(), name, name, role, "一组", now=now)
        accounts.set_password(desk.uow(), name, PASSWORD, "bench")
    page = svc.open_complaint(
        desk.uow(),
        svc.OpenComplaint("王女士", "13812345678", "宽带欠费不足30天被停机", SEED_000, owner="bench_agent",
                          actor="bench_agent"),
    )
    number = str(page["number"])
    for target in ("calming", "clarifying"):
        handle(desk.uow(), cmds.Move(number=number, stage=target, actor="bench_agent"))
    handle(
        desk.uow(),
        cmds.AddMessage(
            number=number,
            kind="outbound",
            actor="bench_agent",
            body="这件事情令您对我们感到不满,我们深感抱歉。",
        ),
    )

    rng = random.Random(7)
    template = start_clock("resolution", now)
    batch = 5000
    with desk.engine.begin() as conn:
        conn.execute(insert(orm.customers), [
            {"name": f"客户{i}", "phone": f"139{i:08d}", "segment": "regular", "created_at": now}
            for i in range(1000)
        ])
        first_customer = conn.execute(text("SELECT min(id) FROM customers WHERE name = '客户0'")).scalar_one()
        for start in range(0, count, batch):
            rows, clocks = [], []
            for i in range(start, min(start + batch, count)):
                opened = now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
                kinds = rng.sample(TYPES, rng.randrange(0, 3))
                analysis = {"emotion": {"label": "anger", "intensity": 0.8, "evidence": []},
                            "customer_types": [{"type": k, "score": 0.6, "evidence": []} for k in kinds],
                            "threats": [], "demands": []}
                stage = rng.choice(STAGES)
                bench_number = f"BX-{i:09d}"
                rows.append({
                    "number": bench_number, "customer_id": first_customer + rng.randrange(1000),
                    "channel": rng.choice(CHANNELS), "title": f"合成投诉 {i}", "description": "合成数据,用于性能测试。",
                    "category": rng.choice(CATEGORIES), "demands": [], "priority": "normal", "stage": stage,
                    "owner": "bench_agent" if i % 50 == 0 else f"agent{i % 40}", "escalation_level": rng.choice([0, 0, 0, 1, 2]),
                    "transfer_count": rng.choice([0, 0, 0, 1, 2, 3]), "runaround": False, "repeat": rng.random() < 0.1,
                    "signoff_satisfied": (rng.random() < 0.8) if stage == "closed" else None,
                    "reopen_count": 0, "analysis": analysis, "opened_at": opened, "updated_at": opened, "version": 1,
                })
                clock = ClockRow.new(bench_number, template, opened + timedelta(days=3), opened).values()
                clock["active"] = stage != "closed"
                clocks.append(clock)
            # Clocks first: the complaint's insert then reads its next due time (PostgreSQL sets it in a
            # BEFORE trigger, so no row is written twice).
            t_a = time.perf_counter()
            conn.execute(insert(orm.sla_clocks), clocks)
            t_b = time.perf_counter()
            conn.execute(insert(orm.complaints), rows)
            if os.environ.get("BENCH_TRACE"):
                print(f"batch {start}: clocks {t_b - t_a:.1f} s, complaints {time.perf_counter() - t_b:.1f} s")
        # The inbox: as many notifications as complaints; bench_agent's (one in fifty) all unread.
        for start in range(0, count, batch):
            conn.execute(insert(orm.notifications), [
                {"recipient": "bench_agent" if i % 50 == 0 else f"agent{i % 40}", "kind": "transferred",
                 "complaint_number": f"BX-{i:09d}", "actor": "bench_manager", "at": now - timedelta(seconds=count - i),
                 "summary": f"bench_manager 把投诉单 BX-{i:09d}「合成投诉 {i}」转给你:换人",
                 "read_at": None if i % 50 == 0 or i % 10 else now}
                for i in range(start, min(start + batch, count))
            ])
    return number


# Each page beside the raw SQL of the rows it shows (median page / median query).
RAW_OF = {
    "inbox page (2,000 unread)": "inbox, raw SQL of its rows",
    "queue, all teams, overdue, due first": "queue, raw SQL of the overdue rows",
    "live board (its poll)": "board, raw SQL of its counts",
}


def measure(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    call()  # warm caches (templates, lexicons) outside the timing
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


@contextlib.contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """A private schema on the PostgreSQL database at ``base``, dropped afterwards (as tests/conftest.py)."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default=None, help="defaults to a SQLite file in a temp dir")
    parser.add_argument("--pg", metavar="URL", default=None, help="PostgreSQL server: use a private schema there")
    parser.add_argument("--reuse", action="store_true", help="measure a --database-url built by an earlier run")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(pg_schema(args.pg)) if args.pg else args.database_url
        return run(args, url)


def run(args: argparse.Namespace, url: str | None) -> int:
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("COMPLAINTDESK_DATA_DIR", str(Path(tmp) / "data"))
        desk = open_desk(url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        t0 = time.perf_counter()
        if args.reuse:
            with desk.engine.connect() as conn:
                number = conn.execute(text("SELECT min(number) FROM complaints WHERE title NOT LIKE '合成投诉%'")).scalar_one()
        else:
            number = build(desk, args.complaints, now)
        if desk.engine.dialect.name == "postgresql":
            with desk.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        print(f"{desk.engine.dialect.name}: stored {args.complaints + 1} complaints in {time.perf_counter() - t0:.1f} s")
        with TestClient(create_app(desk)) as client:
            def get(path: str) -> Callable[[], Any]:
                def call() -> Any:
                    response = client.get(path)
                    assert response.status_code == 200, (path, response.status_code)
                return call

            def raw(sql: str) -> Callable[[], Any]:
                def call() -> None:
                    with desk.engine.connect() as conn:
                        statement = text(sql)
                        if ":now" in sql:
                            statement = statement.bindparams(bindparam("now", datetime.now(UTC), type_=UTCDateTime))
                        conn.execute(statement).all()
                return call

            def raw_count() -> None:
                with desk.engine.connect() as conn:
                    conn.execute(text("SELECT count(*) FROM complaints")).scalar_one()

            with desk.engine.connect() as conn:  # a synthetic customer: about a hundred complaints each
                busy = conn.execute(text("SELECT customer_id FROM complaints WHERE title LIKE '合成投诉%' LIMIT 1")).scalar_one()
            client.post("/login", data={"username": "bench_agent", "password": PASSWORD})
            results = {
                "baseline: login page (no database)": measure(get("/login"), args.repeat),
                "baseline: SELECT count(*) complaints": measure(raw_count, args.repeat),
                "complaint page (with engines' panels)": measure(get(f"/complaints/{number}"), args.repeat),
                "my queue": measure(get("/queue"), args.repeat),
                "customer page, agent's scope": measure(get(f"/customers/{busy}"), args.repeat),
            }
            results["inbox page (2,000 unread)"] = measure(get("/inbox"), args.repeat)
            results["inbox badge (every open page's poll)"] = measure(get("/inbox/badge"), args.repeat)
            results["inbox, raw SQL of its rows"] = measure(raw(
                "SELECT * FROM notifications WHERE recipient = 'bench_agent' ORDER BY id DESC LIMIT 51"), args.repeat)
            client.cookies.clear()
            client.post("/login", data={"username": "bench_manager", "password": PASSWORD})
            results["customer page, all teams"] = measure(get(f"/customers/{busy}"), args.repeat)
            results["queue, all teams, overdue, due first"] = measure(get("/queue?scope=all&sla=breached"), args.repeat)
            results["queue, all teams, one category"] = measure(get("/queue?scope=all&category=billing"), args.repeat)
            results["live board (its poll)"] = measure(get("/dashboard/live"), args.repeat)
            results["board, raw SQL of its counts"] = measure(raw(
                "SELECT owner, count(*), sum(CASE WHEN next_due_at < :now THEN 1 ELSE 0 END), min(opened_at)"
                " FROM complaints WHERE stage <> 'closed' AND import_id IS NULL GROUP BY owner"), args.repeat)
            results["queue, raw SQL of the overdue rows"] = measure(raw(
                "SELECT c.*, u.name FROM complaints c JOIN customers u ON u.id = c.customer_id WHERE c.stage <> 'closed'"
                " AND c.import_id IS NULL AND c.next_due_at < :now ORDER BY c.next_due_at, c.id LIMIT 51"), args.repeat)
            results["dashboard, last 30 days"] = measure(get("/dashboard"), args.repeat)
            start = (now - timedelta(days=364)).date().isoformat()
            year = get(f"/dashboard?start={start}")
            analytics.rebuild_rollup(desk.engine)
            t0 = time.perf_counter()
            year()
            cold = (time.perf_counter() - t0) * 1000
            results["dashboard, whole year"] = measure(year, args.repeat)
            results["dashboard service, all time"] = measure(
                lambda: analytics.dashboard(desk.uow(), all_time=True), args.repeat
            )
        desk.engine.dispose()
    base_median, base_p95 = results["baseline: login page (no database)"]
    print(f"{'page':40} {'median ms':>9} {'p95 ms':>8} {'median×login':>12} {'p95×login':>9}  target p95 < 300 ms")
    for name, (median, p95) in results.items():
        verdict = "" if name.startswith("baseline") or "raw SQL" in name else ("ok" if p95 < 300 else "SLOW")
        against = RAW_OF.get(name)
        if against in results:
            verdict += f"  ×raw {median / results[against][0]:.1f}"
        print(f"{name:40} {median:9.1f} {p95:8.1f} {median / base_median:12.1f} {p95 / base_p95:9.1f}  {verdict}")
    print(f"one-off: whole-year dashboard with the daily rollup empty (first request after migration): {cold:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
