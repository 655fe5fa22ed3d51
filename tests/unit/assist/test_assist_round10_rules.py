"""The tenth round. A non-admission says which words decided it: a fault the text tells and a rule sets aside (an
attitude claim with no act from a customer who insists, only that nothing followed with no promise told, a bill
disputed against usage) is named in the apology's why with its sentence and its reason, as a fault sent to another
party already was. Faults are read in general narrative shapes chosen on the development corpora (a promise and the
turn that undid it; our people's words told with outrage; an act done without asking; being kicked between parties;
held by our own breakdown; our people's accident; harm found on collection), each checked on texts written for the
test; a date before a 报- verb is no newspaper. Analyses are built by hand, so each test fails without its rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.analysis.model import Category, CompanyFault, CustomerType
from complaintdesk.assist import advise
from complaintdesk.assist.case import build_case
from complaintdesk.assist.decide import choose_apology
from complaintdesk.assist.playbook import load_playbook

from .helpers import analysis, span
from .round_pages import assert_a_round_of_its_own_pages

NOW = datetime(2026, 11, 23, 10, 0)


def _apology(text: str, **changes):  # type: ignore[no-untyped-def]
    pb = load_playbook()
    case, _ = build_case(replace(analysis(), **changes), None, {}, None, None, pb, None, text)
    return choose_apology(case, pb)


def test_an_insisting_customers_attitude_claim_is_set_aside_naming_the_words_that_decided_it() -> None:
    text = "奶油做得难看，我说重做到像样为止。我说得没错吧？你们就是态度有问题。"
    insists = CustomerType("stubborn", 0.9, (span("我说得没错吧", text.index("我说得没错吧")),))
    apology = _apology(text, customer_types=(insists,),
                       category=Category("staff_attitude", (span("态度", text.index("态度")),)))
    assert apology.style == "non_admission"
    assert "「我说得没错吧」" in apology.why
    assert "没有说出工作人员具体的言行" in apology.why
    assert [e.text for e in apology.evidence] == ["我说得没错吧"]


def test_nothing_followed_with_no_promise_told_is_set_aside_naming_its_sentence() -> None:
    text = "后来我在通信管理局投诉，只收到一条受理短信，再没下文。"
    fault = CompanyFault("broken_promise", (span("没下文", text.index("没下文")),))
    apology = _apology(text, company_faults=(fault,))
    assert apology.style == "non_admission"
    assert f"「{text.rstrip('。')}」" in apology.why  # in full-width punctuation, as the customer wrote it
    assert "没有说我们答应过什么" in apology.why


def test_a_bill_disputed_against_metered_usage_is_set_aside_naming_the_word() -> None:
    text = "去年换表以后用气翻倍，每月多交一百多，你们乱收费。"
    fault = CompanyFault("billing_error", (span("乱收费", text.index("乱收费")),))
    apology = _apology(text, company_faults=(fault,))
    assert apology.style == "non_admission"
    assert "「换表」" in apology.why and "读数、价目核实以前不认错" in apology.why


def test_a_fault_the_text_establishes_is_still_admitted_whatever_was_set_aside() -> None:
    text = "客服答应三天内给我回电，之后再没下文。"
    fault = CompanyFault("broken_promise", (span("没下文", text.index("没下文")),))
    assert _apology(text, company_faults=(fault,)).style == "full"


@pytest.mark.parametrize(("text", "kind", "said"), [
    ("买沙发时店长承诺一周内送货，结果等了二十天还没送来。", "broken_promise", "答应您的事没有做到"),
    ("收银员竟然说我是故意找茬。", "staff_misconduct", "态度和说话方式不对"),
    ("快递员没打电话，直接把包裹扔在了门口。", "staff_misconduct", "没有先征得您的同意"),
    ("商家和售后互相推，谁都不管。", "runaround", "推来推去"),
    ("索道出了故障，我们被困在车厢里四十多分钟。", "faulty_work", "服务中断"),
    ("理发师不小心剪破了我的耳朵。", "faulty_work", "弄坏了您的东西"),
    ("把猫寄养在你们店，去接的时候发现腿上在流血。", "faulty_work", "在我们手里"),
    ("跟你们反映了三次都没结果。", "runaround", "一直没有给您解决"),
])
def test_a_fault_told_in_a_general_narrative_shape_earns_a_full_apology_naming_it(text: str, kind: str, said: str) -> None:
    advice = advise(analysis(), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)
    assert advice.apology.style == "full", advice.apology.why
    assert said in advice.reply_draft


@pytest.mark.parametrize("text", [
    "我答应周末去取货，结果临时加班没去成。",          # the customer's own promise
    "修车前跟店里说好了大概八百，结果账单变成两千。",    # an agreement both made, the bill disputed: checked first
    "我朋友竟然说这家店还不错。",                      # a remark, but not by anyone of ours
    "交了两千元保证金，结果说要下个月才退。",           # a deposit's name, not a promise
    "店长答应先拆一块去检测，等结果出来再谈。",          # 结果 the noun (the test's result), not the turn
    "说好的免费体验，最后变成了分期。",                  # what was said of the goods: not as described, a fact first
])
def test_the_same_shapes_told_of_the_customer_or_of_no_one_of_ours_earn_no_admission(text: str) -> None:
    advice = advise(analysis(), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)
    assert advice.apology.style == "non_admission", advice.apology.why


def test_a_date_before_a_report_verb_is_no_newspaper() -> None:
    assert not analyze("去年3月5日报的名，到现在课都没开。").threats
    assert not analyze("2月28日报修，一直没人来。").threats
    assert not analyze("二十日报到，当天就被退回来了。").threats
    assert [t.kind for t in analyze("我已经把材料交给晚报了。").threats] == ["media"]
    assert [t.kind for t in analyze("3月5日我联系了南方日报。").threats] == ["media"]


def test_the_tenth_rounds_scenarios_use_pages_no_other_set_uses() -> None:
    assert_a_round_of_its_own_pages("ar-r10-")


def test_money_taken_on_a_car_trip_is_no_car_held() -> None:
    taken = advise(analysis(), None, "proposing", text="打了一辆网约车，扣了我三百多元。",
                   facts={"today": "2026-11-23"}, now=NOW).reply_draft
    assert "车被扣着" not in taken
    held = advise(analysis(), None, "proposing", text="修理厂把我的车扣下了，不交钱不让提车。",
                  facts={"today": "2026-11-23"}, now=NOW).reply_draft
    assert "车被扣着" in held
