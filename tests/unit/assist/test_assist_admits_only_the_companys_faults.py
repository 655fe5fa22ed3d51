"""Issue 20: the assist engine admits only what the text establishes as the company's fault. The customer's
own doing (a thing the customer did not do, a thing the customer asks to have switched off) tells no fault,
and an attitude complaint that tells no act, from a customer whose own words insist or threaten, is checked
before anything is admitted; the same readings told of the company's own act are still admitted, with their
words. Analyses are built by hand, so each test fails without its rule."""

from __future__ import annotations

from dataclasses import replace

from complaintdesk.analysis.model import Category, CompanyFault
from complaintdesk.assist.case import build_case
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.reading import Fault, faults, told_faults

from .helpers import analysis, span


def _told(text: str) -> dict[str, tuple[str, ...]]:
    replies = load_playbook().replies
    return {k: tuple(ev.text for ev in hit.evidence) for k, hit in told_faults(text, replies.told, replies.told_exclude).items()}


def _admitted(text: str, types: tuple[str, ...] = ()) -> dict[str, Fault]:
    pb = load_playbook()
    at = text.index("态度")
    reading = replace(analysis(types=types), category=Category("staff_attitude", (span("态度", at),)))
    case, _ = build_case(reading, None, {}, None, None, pb, None, text)
    return {f.kind: f for f in faults(case, pb)}


def test_asking_to_have_a_payment_switched_off_is_not_a_business_that_closed() -> None:
    text = "退款还剩三千多没到，请继续退，以后把免密支付给我关了。"
    assert "broken_promise" not in _told(text)


def test_money_left_on_a_card_and_the_shop_closed_is_still_a_service_not_given() -> None:
    assert _told("卡里还剩两千多，上个月店突然关了。")["broken_promise"] == ("还剩", "关了")


def test_the_customers_own_not_going_is_no_promise_left_unkept() -> None:
    text = "办卡时店员说好什么时候开卡都行，后来工作忙一直没去，卡一次都没开。"
    assert "broken_promise" not in _told(text)


def test_a_promise_and_then_nobody_coming_is_still_a_broken_promise() -> None:
    assert _told("师傅说好周三来修，到现在一直没来。")["broken_promise"] == ("说好", "一直没")


def test_an_attitude_complaint_with_no_act_from_a_customer_who_insists_is_checked_first() -> None:
    text = "奶油做得难看，我说重做到像样为止，我说得没错吧？你们就是态度有问题。"
    assert "staff_misconduct" not in _admitted(text, types=("stubborn",))
    assert "staff_misconduct" not in _admitted(text, types=("intimidating",))


def test_the_same_attitude_complaint_from_any_other_customer_is_still_admitted_with_its_words() -> None:
    text = "奶油做得难看，我请店员重做，你们就是态度有问题。"
    admitted = _admitted(text, types=("nagger",))
    assert [ev.text for ev in admitted["staff_misconduct"].evidence] == ["态度"]


def _read(text: str, fault: CompanyFault) -> dict[str, Fault]:
    pb = load_playbook()
    case, _ = build_case(replace(analysis(), company_faults=(fault,)), None, {}, None, None, pb, None, text)
    return {f.kind: f for f in faults(case, pb)}


def test_nothing_followed_with_no_promise_told_is_no_broken_promise() -> None:
    text = "后来我在通信管理局投诉，只收到一条受理短信，再没下文。"
    fault = CompanyFault("broken_promise", (span("没下文", text.index("没下文")),))
    assert "broken_promise" not in _read(text, fault)


def test_nothing_followed_a_promise_the_company_made_is_still_a_broken_promise_with_its_words() -> None:
    text = "客服答应三天内给我回电，之后再没下文。"
    fault = CompanyFault("broken_promise", (span("没下文", text.index("没下文")),))
    assert "没下文" in [ev.text for ev in _read(text, fault)["broken_promise"].evidence]
