"""The twelfth round: the draft's last pass. Whatever section wrote a sentence, a draft never offers a self-service
route the customer refused (a machine in the hall, a notice feed, a reboot), never credits money the customer owes,
never says a phrase the quality rubric flags, and never promises again what is done — the facts' paid refund answers
a 差价 too, and the customer's own words that service is back settle its restoration. A wait told with nobody who
was to come (在家等了一上午都没来电) is no visit missed. Texts are written for the test; the draft's pieces are built
by hand where a rule is tested on its own, so each test fails without its rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from complaintdesk.analysis.model import CompanyFault
from complaintdesk.assist import advise
from complaintdesk.assist.case import build_case
from complaintdesk.assist.decide import choose_apology
from complaintdesk.assist.guard import guarded
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.quality import check_text

from .helpers import analysis, span

NOW = datetime(2026, 11, 23, 10, 0)


def _case(text: str, facts: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
    pb = load_playbook()
    case, _ = build_case(analysis(), None, facts or {}, None, None, pb, None, text)
    return case, pb


def test_a_machine_the_customer_cannot_use_is_never_offered_and_the_agent_does_it_herself() -> None:
    text = "我母亲八十岁了，去你们网点取钱，柜员让她去ATM机上取。她根本不会用ATM，凭什么让她去机器上？"
    draft = advise(None, None, "calming", text=text, now=NOW).reply_draft
    assert "ATM" not in draft and "机器上" not in draft
    assert "不用您再自己操作" in draft


def test_a_refused_routes_sentence_gives_its_place_to_the_agents_own_step_once() -> None:
    case, pb = _case("你们让我关注公众号看停电通知，我没空看，也不用微信。")
    kept, dropped = guarded(["您好。", "您可以关注我们的公众号查看停电信息。", "请关注公众号。", "谢谢。"], case, pb)
    assert [d.rule for d in dropped] == ["refused_route", "refused_route"]
    assert kept == ["您好。", pb.replies.guard.instead, "谢谢。"]


def test_a_route_the_customer_did_not_refuse_is_kept() -> None:
    case, pb = _case("我想知道停电通知在哪里能看到。")
    kept, dropped = guarded(["您可以关注我们的公众号查看停电信息。"], case, pb)
    assert kept == ["您可以关注我们的公众号查看停电信息。"] and dropped == []


def test_a_sentence_crediting_a_late_fee_the_customer_owes_is_dropped() -> None:
    case, pb = _case("燃气费我欠了一年，这我认，可滞纳金比本金还多。")
    kept, dropped = guarded(["您的滞纳金我们为您全部减免。", "我先核对您的账单。"], case, pb)
    assert kept == ["我先核对您的账单。"] and [d.rule for d in dropped] == ["owed_credit"]


def test_a_late_fee_the_agent_recorded_an_offer_to_waive_is_said() -> None:
    case, pb = _case("滞纳金比本金还多。", {"offer": {"kind": "waive_fee", "amount": 50}, "role": "agent"})
    kept, _ = guarded(["这次的滞纳金为您减免50元。"], case, pb)
    assert kept == ["这次的滞纳金为您减免50元。"]


def test_a_sentence_the_quality_rubric_flags_is_dropped_in_its_draft() -> None:
    case, pb = _case("你们收费太乱了。")
    kept, dropped = guarded(["您好。", "这是公司规定，我也没办法。", "我马上为您核对。"], case, pb, check_text)
    assert "这是公司规定，我也没办法。" not in kept and [d.rule for d in dropped] == ["quality"]
    assert kept == ["您好。", "我马上为您核对。"]


def test_a_paid_refund_is_never_promised_again_as_a_price_difference() -> None:
    text = "货架上标1.9元，结账按2.2元收了我5袋。我要求退差价。"
    draft = advise(None, None, "clarifying", text=text, facts={"refund_paid_on": "2026-11-20"}, now=NOW).reply_draft
    assert "已经退给您了" in draft
    assert "您提出的退还差价" not in draft


def test_service_the_customer_says_is_back_is_never_promised_again() -> None:
    text = "我家宽带上周断了三天，昨天已经恢复了，可这三天的月租凭什么照收？"
    draft = advise(None, None, "accepted", text=text, now=NOW).reply_draft
    assert "已经恢复" in draft
    assert "为您恢复服务" not in draft and "为您提交复机" not in draft


def test_service_the_customer_says_is_not_back_yet_is_still_restored() -> None:
    text = "我家宽带断了三天还没恢复，什么时候能修好？"
    draft = advise(None, None, "accepted", text=text, now=NOW).reply_draft
    assert "您说现在已经恢复了" not in draft


def test_a_wait_for_the_power_with_nobody_booked_to_come_is_no_missed_visit() -> None:
    text = "我在你们的平台上把欠的电费交了，在家等了一上午都没来电！"
    pb = load_playbook()
    fault = CompanyFault("missed_appointment", (span("等了一上午", text.index("等了一上午")),))
    case, _ = build_case(replace(analysis(), company_faults=(fault,)), None, {}, None, None, pb, None, text)
    apology = choose_apology(case, pb)
    assert apology.style == "non_admission"
    assert "等了一上午" in apology.why


def test_a_wait_for_a_technician_who_never_came_is_still_a_missed_visit() -> None:
    text = "约好师傅上午来修热水器，我在家等了一上午，人没来。"
    pb = load_playbook()
    fault = CompanyFault("missed_appointment", (span("等了一上午", text.index("等了一上午")),))
    case, _ = build_case(replace(analysis(), company_faults=(fault,)), None, {}, None, None, pb, None, text)
    assert choose_apology(case, pb).style == "full"
