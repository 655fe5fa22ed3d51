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
    ("我在你们健身房办的3年会员卡，才用一年就关门了，请退钱。", "会员卡"),
    ("孩子还有30节课没上，交了4500元学费，请退给我。", "学费"),
    ("新买的剃须刀两个刀头不转，我要退货退款。", "剃须刀"),
])
def test_a_product_the_complaint_names_is_not_asked_for(text: str, named: str) -> None:
    advice = advise(analysis(demands=("refund",)), None, "clarifying", text=text,
                    facts={"today": "2026-11-23", "demands": ["refund"]}, now=NOW)
    assert "哪一件产品" not in advice.reply_draft
    note = advice.action("record_known_facts")
    assert note is not None and f"「{named}」" in note.action


def test_an_elevator_switched_off_gets_no_phone_line_restoring_sentences() -> None:
    text = "物业因为有些业主欠费，就把我们单元电梯的电断了，一停就是一个星期，我们家是交了费的。"
    advice = advise(analysis(category="service_suspension"), None, "proposing", text=text,
                    facts={"today": "2026-11-23"}, now=NOW)
    for telecom in ("停机记录", "复机", "恢复服务"):
        assert telecom not in advice.reply_draft


def test_an_airline_cheap_ticket_is_not_handled_as_a_recharge_gift() -> None:
    text = "我买的是600多的特价票，航班延误了一下午，我要改签，你们让我哪里买的去哪里退。"
    advice = advise(analysis(category="promotion_rules"), None, "clarifying", text=text,
                    facts={"today": "2026-11-23"}, now=NOW)
    assert "赠送号码" not in advice.reply_draft
    assert advice.expectation is not None and "赠送号码" not in advice.expectation.promise


def test_a_recharge_gift_keeps_its_own_steps() -> None:
    text = "我充了话费参加充值送活动，一直没收到赠送号码。"
    advice = advise(analysis(category="promotion_rules"), None, "clarifying", text=text,
                    facts={"today": "2026-11-23"}, now=NOW)
    assert advice.expectation is not None and "赠送号码" in advice.expectation.promise


def test_a_leak_nobody_came_to_fix_claims_no_repair_history() -> None:
    text = "车库水管漏了三个月，找了物业好几次，人就是不来，请马上派人来修。"
    advice = advise(analysis(category="repeated_repair"), None, "proposing", text=text,
                    facts={"today": "2026-11-23"}, now=NOW)
    assert "维修记录" not in advice.reply_draft and "多次维修" not in advice.reply_draft


@pytest.mark.parametrize(("category", "text", "stock"), [
    ("delivery", "外卖里吃出一只虫子，商家一句道歉都没有。", "物流"),
    ("promotion_rules", "办了预存200返120的活动，每个月只返5块。", "赠送号码"),
    ("out_of_warranty_charge", "热水器漏水把地板全泡了，售后说是冻坏的不保。", "收费"),
    ("billing", "订车交了两万订金，交付时间被单方面推迟了。", "账单"),
])
def test_a_categorys_stock_promise_needs_its_words(category: str, text: str, stock: str) -> None:
    advice = advise(analysis(category=category), None, "clarifying", text=text,
                    facts={"today": "2026-11-23"}, now=NOW)
    assert advice.expectation is not None and stock not in advice.expectation.promise
    assert stock not in advice.reply_draft
