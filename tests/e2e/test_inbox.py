"""Acceptance (issue 23, point 1): a lead with the inbox open sees a complaint transferred to them
within 5 s, without reloading; the header's badge counts it on any page."""

from __future__ import annotations

import time
from typing import Any

import pytest
from e2e_helpers import login, shoot
from sqlalchemy import text

from complaintdesk.services.commands import Transfer
from complaintdesk.services.handlers import handle

pytestmark = pytest.mark.e2e


def _open_complaint_of(server: Any, owner: str) -> tuple[str, int]:
    with server.desk.engine.connect() as connection:
        row = connection.execute(
            text("SELECT number, version FROM complaints WHERE owner = :o AND stage <> 'closed' ORDER BY id"),
            {"o": owner},
        ).first()
    assert row is not None, f"the demo gives {owner} an open complaint"
    return str(row.number), int(row.version)


def _unread(page: Any) -> int:
    badge = page.get_by_test_id("inbox-unread")
    return int(badge.inner_text()) if badge.count() else 0


def test_lead_sees_a_transferred_complaint_in_the_inbox_within_5_seconds_without_reloading(
    page: Any, server: Any
) -> None:
    login(page, "zhang_lead")
    page.goto("/inbox")
    page.wait_for_selector("[data-testid=inbox-badge]")
    page.wait_for_timeout(500)  # the badge's first count (hx-trigger load) has come back
    before = _unread(page)
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    number, version = _open_complaint_of(server, "li_agent")
    handle(
        server.desk.uow(),
        Transfer(
            number=number,
            actor="li_agent",
            expected_version=version,
            to_owner="zhang_lead",
            reason="客户要求班长处理",
        ),
    )
    started = time.monotonic()
    item = page.locator(f"li[data-number='{number}'][data-kind='transferred']")
    item.wait_for(timeout=5_000)
    seen_after = time.monotonic() - started
    assert seen_after < 5
    assert "客户要求班长处理" in item.inner_text()
    page.wait_for_function(
        f"() => Number(document.querySelector('[data-testid=inbox-unread]')?.innerText || 0) > {before}",
        timeout=5_000,
    )
    assert navigations == []  # no reload: htmx swapped the list and the badge in place
    shoot(page, "inbox")
    item.get_by_role("button").click()  # opening it marks it read and goes to the complaint
    page.wait_for_url(f"**/complaints/{number}")
    page.wait_for_timeout(300)
    assert _unread(page) == before
