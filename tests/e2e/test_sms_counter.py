"""The reply box counts the SMS as the agent types: the count the page shows is the one the desk's
own rule (channels.sms.count_segments) gives for the whole text the customer would read."""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e_helpers import login
from sqlalchemy import text

from complaintdesk.channels.sms import count_segments

pytestmark = pytest.mark.e2e


def _complaint_with_a_mobile_customer(server: Any) -> tuple[str, str]:
    with server.desk.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.number, c.owner, cu.phone FROM complaints c JOIN customers cu ON cu.id = c.customer_id"
                " WHERE c.stage <> 'closed' AND c.owner IS NOT NULL ORDER BY c.id"
            )
        ).all()
    for row in rows:
        if re.fullmatch(r"1[3-9]\d{9}", row.phone or ""):
            return str(row.number), str(row.owner)
    pytest.fail("the demo has an open complaint of a customer with a mobile")


def _shown(page: Any) -> tuple[int, int]:
    found = re.search(r"短信 (\d+) 字，计 (\d+) 条", page.get_by_test_id("sms-counter").inner_text())
    assert found, page.get_by_test_id("sms-counter").inner_text()
    return int(found.group(1)), int(found.group(2))


def test_the_reply_box_counts_sms_segments_as_the_desk_does(page: Any, server: Any) -> None:
    number, owner = _complaint_with_a_mobile_customer(server)
    login(page, owner)
    page.goto(f"/complaints/{number}")
    counter = page.get_by_test_id("sms-counter")
    before, after = counter.get_attribute("data-before"), counter.get_attribute("data-after")
    for reply in ("您好,已为您恢复。", "您好," + "宽带已经为您恢复,停机期间月租减免。" * 6):
        page.locator("#msg-body").fill(reply)
        expected = count_segments(f"{before}{reply}{after}")
        assert _shown(page) == (expected.units, expected.segments)
    assert _shown(page)[1] >= 3  # the long reply runs over several 67-character segments
