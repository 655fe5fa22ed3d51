"""The live push, briefly (``benchmarks/bench_push.py`` is the long run against a real server): 200 open
pages of five users poll the inbox badge at once, twice each, while a transfer lands; every poll is
answered and each page's badge shows its own user's unread count."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx

from complaintdesk.api.app import create_app
from complaintdesk.services import accounts
from complaintdesk.services.commands import Transfer
from complaintdesk.services.handlers import handle
from tests.builders import open_number

PAGES = 200
USERS = ("u0", "u1", "u2", "u3", "u4")
PASSWORD = "badge-load-1"


def _unread(html: str) -> int:
    found = re.search(r'data-testid="inbox-unread"[^>]*>(\d+)<', html)
    return int(found.group(1)) if found else 0


async def _pages(desk) -> tuple[list[tuple[str, int, int]], int]:
    transport = httpx.ASGITransport(app=create_app(desk))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        cookies = {}
        for name in USERS:
            response = await client.post("/login", data={"username": name, "password": PASSWORD})
            assert response.status_code in (200, 303), response.text
            cookies[name] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            client.cookies.clear()

        async def page(i: int) -> list[tuple[str, int, int]]:
            who = USERS[i % len(USERS)]
            seen = []
            for _ in range(2):
                response = await client.get("/inbox/badge", headers={"Cookie": cookies[who], "HX-Request": "true"})
                seen.append((who, response.status_code, _unread(response.text)))
                await asyncio.sleep(0)
            return seen

        polls = await asyncio.gather(*(page(i) for i in range(PAGES)))
        return [p for seen in polls for p in seen], len(polls)


def test_two_hundred_open_pages_polling_the_badge_are_all_answered_with_their_own_count(desk):
    now = datetime.now(UTC)
    for name in USERS:
        accounts.create_user(desk.uow(), name, name, "agent", "A", PASSWORD, "test", now=now)
    accounts.create_user(desk.uow(), "lead", "lead", "team_lead", "A", None, "test", now=now)
    for to in ("u1", "u3", "u3"):
        number = open_number(desk, owner="lead", actor="lead")
        handle(desk.uow(), Transfer(number=number, actor="lead", to_owner=to, reason="换人"))
    # A loop of its own on its own thread: a browser test's driver may already run one on this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        polls, pages = pool.submit(asyncio.run, _pages(desk)).result()
    assert pages == PAGES and len(polls) == 2 * PAGES
    assert {status for _, status, _ in polls} == {200}
    unread = {who: {n for w, _, n in polls if w == who} for who in USERS}
    assert unread == {"u0": {0}, "u1": {1}, "u2": {0}, "u3": {2}, "u4": {0}}
