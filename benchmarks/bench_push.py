"""The live push under load: 200 open pages polling the inbox badge of one server (issue 23), bounded in
time and count, on loopback only.

    python benchmarks/bench_push.py                      # 200 pages of 50 users, 30 s, SQLite
    python benchmarks/bench_push.py --pages 400 --seconds 60
    python benchmarks/bench_push.py --pg postgresql+psycopg://root@127.0.0.1:5432/test

Starts ``complaintdesk serve`` (one worker, as a small centre runs it) on a fresh database and a free
loopback port, with 50 accounts, each with unread notifications among thousands of read ones; signs each
account in once and opens ``--pages`` pages across them (a person keeps several tabs open: they share
the session cookie). Every page polls ``GET /inbox/badge`` at the page's own interval
(``web.pages_inbox.POLL_SECONDS``), starting at a random moment within the first interval, as browsers
opened over time would. Meanwhile a transfer every second changes someone's unread count.

Prints the polls made against those due, the errors (non-200, refused or timed-out connections), the
badge's latency (median, p95, max) beside the same request made by one page alone in the same run, and
how many polls came back later than the interval (a page falling behind). Exits 1 on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

os.environ.setdefault("COMPLAINTDESK_REPEAT_USE_EMBEDDINGS", "false")

PASSWORD = "push-password-1"
USERS = 50
NOTIFICATIONS_PER_USER = 400  # most read, a few unread: the badge counts over the unread index


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str, users: int) -> None:
    """Accounts (a cheap argon2: signing in is not what is measured) and their notifications."""
    from argon2 import PasswordHasher
    from sqlalchemy import insert

    from complaintdesk.services import accounts
    from complaintdesk.services.bootstrap import open_desk
    from complaintdesk.storage import orm

    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    desk = open_desk(url)
    now = datetime.now(UTC)
    for i in range(users):
        accounts.create_user(desk.uow(), f"agent{i}", f"坐席{i}", "agent", "一组", PASSWORD, "bench", now=now)
    accounts.create_user(desk.uow(), "lead", "班组长", "team_lead", "一组", PASSWORD, "bench", now=now)
    rows = [
        {"recipient": f"agent{n % users}", "kind": "transferred", "complaint_number": f"BX-{n:09d}",
         "actor": "lead", "at": now - timedelta(minutes=n), "summary": f"lead 把投诉单 BX-{n:09d} 转给你:换人",
         "read_at": None if n % 40 == 0 else now}
        for n in range(users * NOTIFICATIONS_PER_USER)
    ]  # fmt: skip
    with desk.engine.begin() as conn:
        conn.execute(insert(orm.notifications), rows)
    desk.engine.dispose()


def sign_in(base: str, username: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=30) as client:
        response = client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
        if response.status_code not in (302, 303):
            raise SystemExit(f"sign-in of {username} failed: {response.status_code}")
        return client.cookies


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.late = 0
        self.polls = 0


async def page(
    client: httpx.AsyncClient, cookies: httpx.Cookies, interval: float, until: float, tally: Tally
) -> None:
    """One open page: the badge's poll every ``interval`` seconds until ``until`` (monotonic)."""
    await asyncio.sleep(random.uniform(0, interval))
    headers = {"HX-Request": "true", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    while (started := time.monotonic()) < until:
        tally.polls += 1
        try:
            response = await client.get("/inbox/badge", headers=headers)
            if response.status_code != 200 or "badge" not in response.text:
                tally.errors[f"HTTP {response.status_code}"] += 1
        except httpx.HTTPError as exc:
            tally.errors[type(exc).__name__] += 1
        took = time.monotonic() - started
        tally.latencies.append(took * 1000)
        if took > interval:
            tally.late += 1
        await asyncio.sleep(max(0.0, interval - took))


async def transfers(base: str, until: float, tally: Tally) -> None:
    """A lead's transfer every second: the badges polled meanwhile have something to count."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        token = (await client.post("/api/v1/auth/token", json={"username": "lead", "password": PASSWORD})).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        body = {"customer_name": "王先生", "phone": "13800138000", "title": "宽带停机",
                "description": "宽带欠费不到30天就被停机,要求恢复。", "owner": "lead"}  # fmt: skip
        n = 0
        while time.monotonic() < until:
            opened = await client.post("/api/v1/complaints", json=body, headers=headers)
            if opened.status_code == 201:
                moved = await client.post(
                    f"/api/v1/complaints/{opened.json()['number']}/transfers", headers=headers,
                    json={"to_owner": f"agent{n % USERS}", "reason": "换人", "version": opened.json()["version"]},
                )  # fmt: skip
                if moved.status_code != 200:
                    tally.errors[f"transfer HTTP {moved.status_code}"] += 1
            else:
                tally.errors[f"intake HTTP {opened.status_code}"] += 1
            n += 1
            await asyncio.sleep(1.0)


async def load(base: str, sessions: list[httpx.Cookies], pages: int, seconds: float, interval: float) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=pages, max_keepalive_connections=pages)  # a connection per page
    async with httpx.AsyncClient(base_url=base, timeout=max(10.0, interval * 3), limits=limits) as client:
        work = [page(client, sessions[i % len(sessions)], interval, until, tally) for i in range(pages)]
        await asyncio.gather(*work, transfers(base, until, tally))
    return tally


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=None, help="seconds between polls (default: the page's)")
    parser.add_argument("--pg", metavar="URL", default=None, help="PostgreSQL server: use a private schema there")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 600 or not 1 <= args.pages <= 2000 or not 1 <= args.users <= 500:
        parser.error("--seconds 1..600, --pages 1..2000, --users 1..500")
    from complaintdesk.web.pages_inbox import POLL_SECONDS

    interval = args.interval or float(POLL_SECONDS)
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="complaintdesk-push-")))
        if args.pg:
            sys.path.insert(0, str(Path(__file__).parent))
            from bench_pages import pg_schema

            url = stack.enter_context(pg_schema(args.pg))
        else:
            url = f"sqlite:///{folder / 'push.db'}"
        env = {**os.environ, "COMPLAINTDESK_DATA_DIR": str(folder), "COMPLAINTDESK_DATABASE_URL": url}
        os.environ.update(env)
        seed(url, args.users)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = stack.enter_context(open(folder / "server.log", "w"))
        server = subprocess.Popen(
            [sys.executable, "-m", "complaintdesk.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--no-access-log", "--housekeeping", "0"],
            env=env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                        break
                time.sleep(0.3)
            else:
                raise SystemExit("server did not start in time")
            sessions = [sign_in(base, f"agent{i}") for i in range(args.users)]
            alone = asyncio.run(load(base, sessions[:1], 1, min(10.0, args.seconds), interval / 10))
            tally = asyncio.run(load(base, sessions, args.pages, args.seconds, interval))
        finally:
            server.terminate()
            server.wait(30)
    due = args.pages * args.seconds / interval
    print(f"{'sqlite' if not args.pg else 'postgresql'}: {args.pages} pages of {args.users} users polling "
          f"/inbox/badge every {interval:g} s for {args.seconds:g} s, one server (one worker), loopback")
    print(f"polls: {tally.polls} made, about {due:.0f} due ({tally.polls / args.seconds:.0f}/s); "
          f"late (slower than the interval): {tally.late}")
    print(f"errors: {sum(tally.errors.values())}" + (f" {dict(tally.errors)}" if tally.errors else ""))
    one, many = alone.latencies, tally.latencies
    print(f"{'badge latency ms':28} {'median':>8} {'p95':>8} {'max':>8}")
    print(f"{'baseline: one page alone':28} {statistics.median(one):8.1f} {_p(one, 0.95):8.1f} {max(one):8.1f}")
    print(f"{f'{args.pages} pages':28} {statistics.median(many):8.1f} {_p(many, 0.95):8.1f} {max(many):8.1f}"
          f"   p95 ×{_p(many, 0.95) / _p(one, 0.95):.1f} the page alone")
    return 1 if tally.errors or alone.errors else 0


if __name__ == "__main__":
    sys.exit(main())
