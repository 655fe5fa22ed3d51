"""The free-text proposal read for promises (issue 17 point 5): kinds, amounts in Arabic and Chinese
numerals with 元/块/万, negations, and prices that promise nothing."""

from __future__ import annotations

import pytest

from complaintdesk.policy.offer_text import promises_in


@pytest.mark.parametrize(
    ("text", "kind", "amount"),
    [
        ("compensation 5000 元", "compensation", 5000.0),
        ("赔偿五千块", "compensation", 5000.0),
        ("给您补偿两万", "compensation", 20000.0),
        ("赔您1.5万", "compensation", 15000.0),
        ("退还重复收取的月租25元", "refund", 25.0),
        ("一次性补偿一万二千元", "compensation", 12000.0),
        ("￥300 refund", "refund", 300.0),
        ("赠送 20 元购物券", "gift", 20.0),
        ("减免三百元月租", "waive_fee", 300.0),
    ],
)
def test_an_amount_promised_in_the_text_is_read_with_its_kind(text: str, kind: str, amount: float) -> None:
    found = [(p.kind, p.amount) for p in promises_in(text)]
    assert (kind, amount) in found
    assert all(p.evidence for p in promises_in(text))


def test_a_refund_or_exchange_without_an_amount_is_a_promise_of_unknown_value() -> None:
    assert [(p.kind, p.amount) for p in promises_in("协商同意退机")] == [("refund", None)]
    assert [(p.kind, p.amount) for p in promises_in("申请换机,缺货需跨区调货")] == [("exchange", None)]


@pytest.mark.parametrize(
    "text",
    [
        "宽带包月60元折合每日2元",  # a price stated, nothing promised
        "按三包规定说明不符合换机条件",  # a negated exchange
        "申请公司特殊处理更换主板",  # a part replaced: a repair
        "营业厅经理登门致歉",
        "",
    ],
)
def test_text_that_promises_no_money_refund_or_exchange_yields_nothing(text: str) -> None:
    assert promises_in(text) == []
