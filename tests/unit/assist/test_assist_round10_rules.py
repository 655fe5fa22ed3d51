"""The tenth round: a non-admission says which words decided it. A fault the text tells and a rule sets aside (an
attitude claim with no act from a customer who insists, only that nothing followed with no promise told, a bill
disputed against usage) is named in the apology's why with its sentence and its reason, as a fault sent to another
party already was. Analyses are built by hand, so each test fails without its rule."""

from __future__ import annotations

from dataclasses import replace

from complaintdesk.analysis.model import Category, CompanyFault, CustomerType
from complaintdesk.assist.case import build_case
from complaintdesk.assist.decide import choose_apology
from complaintdesk.assist.playbook import load_playbook

from .helpers import analysis, span


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
