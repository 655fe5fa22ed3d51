"""Issue 20's fifth round: rules found on the tune split's new real-page scenarios (``ar-r5-*``).

Each analysis here is built by hand (no company fault unless the test gives one), so every test fails
without the rule it names: traditional script read by the simplified cue lists, faults told in the text's
own words (a prepaid service stopped, a booking not honoured, a charge sprung on arrival, one payment
taken twice, the company's own system gone wrong, a service stopped for a customer who owes nothing, a
written date missed, a dismissive remark), a bill disputed against metered usage or a tariff left to the
check, a contract term read by the learned layer alone, a charge a third party made, and the demands no
rule pack judges (a refund, a credit record, goods to ship) said as what the agent does now.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.analysis.model import Analysis, CompanyFault, Span
from complaintdesk.assist import advise
from complaintdesk.assist.model import Advice

from .helpers import analysis

NOW = datetime(2026, 11, 23, 10, 0)


def _advise(text: str, base: Analysis | None = None, **facts: object) -> Advice:
    return advise(
        base or analysis(), None, "proposing", text=text, facts={"today": "2026-11-23", **facts}, now=NOW
    )


def _with_fault(
    text: str, kind: str, cue: str | None = None, model: float | None = None, **kw: object
) -> Analysis:
    at = text.find(cue) if cue else -1
    evidence = (Span(at, at + len(cue), cue),) if cue and at >= 0 else ()
    return replace(analysis(**kw), company_faults=(CompanyFault(kind, evidence, model),))  # type: ignore[arg-type]


def test_a_promise_broken_told_in_traditional_script_is_read_by_the_simplified_cues() -> None:
    advice = _advise("你們答應週一派人來修熱水器，到現在還是沒人來，我請了兩天假。")
    assert advice.apology.style == "full"
    assert "答应您的事没有做到" in advice.reply_draft


@pytest.mark.parametrize(
    "text",
    [
        "我上个月才储值了500元，这周去一看，店已经关了。",
        "门店说下周结束营业，我买的十次护理一次都还没做。",
        "卡里还剩二十节课，前台说私教课暂停了。",
    ],
)
def test_a_prepaid_service_stopped_with_money_left_on_it_earns_a_full_apology(text: str) -> None:
    advice = _advise(text)
    assert advice.apology.style == "full"
    assert "您已经付了钱的服务，我们没有给您提供完" in advice.reply_draft


def test_a_class_not_yet_taken_at_a_closed_franchise_alone_is_not_the_prepaid_rule() -> None:
    advice = _advise("课还没上到一半，去店里一看人去楼空，总部说那是加盟店。")
    assert "您已经付了钱的服务" not in advice.reply_draft


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("值机的时候才说航班超售了，让我改签明天。", "您订好、付了钱的座位，我们没有给您留住"),
        ("到了酒店前台说查无订单，钱在平台早就付了。", "您订好、付了钱的房间，我们没有给您留住"),
    ],
)
def test_a_booking_paid_for_and_not_honoured_is_a_broken_promise(text: str, said: str) -> None:
    advice = _advise(text)
    assert advice.apology.style == "full"
    assert said in advice.reply_draft


def test_a_dismissive_remark_to_the_customer_is_staff_misconduct() -> None:
    assert _advise("我问能不能退活动费，老师在群里回：反正想来的人多的是。").apology.style == "full"


def test_a_charge_told_only_once_the_customer_arrived_is_a_billing_fault() -> None:
    advice = _advise("电话里约的检查，到了门店才说要交200元检测费。")
    assert advice.apology.style == "full"
    assert "事先没有跟您说清楚就多收了费用" in advice.reply_draft


def test_one_payment_taken_twice_is_said_as_such() -> None:
    advice = _advise("同一个订单你们扣了两次钱，银行流水上清清楚楚。")
    assert advice.apology.style == "full"
    assert "同一笔钱向您收了两次" in advice.reply_draft


def test_two_payments_that_are_two_purchases_are_no_fault() -> None:
    assert (
        _advise("我在你们这有两笔贷款，想问一下两笔的还款日是不是同一天。").apology.style == "non_admission"
    )


def test_the_companys_own_system_told_as_gone_wrong_is_admitted_but_a_customers_taunt_is_not() -> None:
    advice = _advise("你们系统出错，把我已经付款的订单取消了。")
    assert advice.apology.style == "full"
    assert "系统出了错" in advice.reply_draft
    assert _advise("配件一直没货，系统故障是你们的事，我只要修好。").apology.style == "non_admission"


def test_a_service_stopped_for_a_customer_who_owes_nothing_is_admitted() -> None:
    advice = _advise("物业费我一分不欠，可我们这栋的电梯停了一个月，说是别人没交钱。")
    assert advice.apology.style == "full"
    assert "您的费用一分不欠，我们却停了您的服务" in advice.reply_draft


def test_a_written_payment_date_missed_by_months_is_a_broken_promise() -> None:
    advice = _advise("回执上白纸黑字写着十个工作日内到账，过了三个月，一分钱没到。")
    assert advice.apology.style == "full"


def test_a_bill_disputed_against_metered_usage_is_checked_before_anything_is_admitted() -> None:
    text = "这个月电费说我用了800多度，比上个月多收了一倍，是不是电表有问题？"
    advice = _advise(text, _with_fault(text, "billing_error", "多收"))
    assert advice.apology.style == "non_admission"


def test_a_misread_meter_told_in_the_text_is_still_a_billing_fault() -> None:
    text = "抄表员把电表看错了一位，这个月多收了我600度的钱。"
    assert _advise(text, _with_fault(text, "billing_error", "多收")).apology.style == "full"


def test_a_promise_read_by_the_learned_layer_alone_waits_for_the_signed_contract() -> None:
    text = "达不到分数线可以退费，这个合同里是有，可你们说过了申请期限就不退。"
    assert _advise(text, _with_fault(text, "broken_promise", model=0.86)).apology.style == "non_admission"


def test_a_charge_made_by_a_third_party_through_a_payment_service_is_not_the_card_issuers_fault() -> None:
    text = "信用卡账单突然多了一笔扣款，是通过第三方支付扣的，我根本没买过。"
    advice = _advise(text, _with_fault(text, "billing_error", "突然多了"))
    assert advice.apology.style == "non_admission"


@pytest.mark.parametrize(
    ("text", "kind", "cue"),
    [
        ("贷款早就还清了，征信上还挂着逾期，请把不良记录消掉。", "credit_record", "不良记录消掉"),
        ("付款一个月了，我不要退款，就要按原价给我发货。", "ship", "给我发货"),
    ],
)
def test_a_credit_record_and_goods_to_ship_are_read_as_demands_with_their_words(
    text: str, kind: str, cue: str
) -> None:
    found = {d.kind: d for d in analyze(text).demands}
    assert kind in found
    assert cue in [text[s.start : s.end] for s in found[kind].evidence]


def test_a_credit_record_to_correct_gets_a_step_and_no_promise_of_removal() -> None:
    draft = _advise(
        "贷款早就还清了，征信上还挂着逾期，请把不良记录消掉。", analysis(demands=("credit_record",))
    ).reply_draft
    assert "征信" in draft
    assert "确实有误的" in draft


def test_goods_to_ship_get_a_shipping_time_step() -> None:
    draft = _advise("付款一个月了，就要按原价给我发货。", analysis(demands=("ship",))).reply_draft
    assert "发货时间" in draft


def test_a_refund_no_rule_judges_is_named_as_what_the_agent_checks_now() -> None:
    draft = _advise("课没上完店就关了，剩下的钱退给我。", analysis(demands=("refund",))).reply_draft
    assert "您提出的退款，我先核对" in draft


def test_a_refund_already_paid_or_offered_is_not_named_again_as_to_be_checked() -> None:
    paid = _advise(
        "退款收到了，我想问问原因。", analysis(demands=("refund",)), refund_paid_on="2026-11-20"
    ).reply_draft
    offered = _advise(
        "把钱退给我。", analysis(demands=("refund",)), offer={"kind": "refund", "amount": 80}, role="agent"
    ).reply_draft
    assert "您提出的退钱" not in paid
    assert "您提出的退钱" not in offered
