"""Questions only for what is really unknown (issue 20 item 3), on texts beyond household appliances:
a product the complaint names — an ATM, clothes, a small appliance — is never asked for again."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaintdesk.assist import advise

from .helpers import analysis

NOW = datetime(2026, 11, 23, 10, 0)


@pytest.mark.parametrize(("text", "named"), [
    ("昨天在你们的ATM上取1000元，机器没出钱，这1000元什么时候退给我？", "ATM"),
    ("我在直播间买了6件衣服，只收到4件，请把剩下的退款。", "衣服"),
    ("我在你们平台买了台小家电，收到就用不了，商家不给退款。", "小家电"),
])
def test_a_product_the_complaint_names_is_not_asked_for(text: str, named: str) -> None:
    advice = advise(analysis(demands=("refund",)), None, "clarifying", text=text,
                    facts={"today": "2026-11-23", "demands": ["refund"]}, now=NOW)
    assert "哪一件产品" not in advice.reply_draft
    note = advice.action("record_known_facts")
    assert note is not None and f"「{named}」" in note.action
