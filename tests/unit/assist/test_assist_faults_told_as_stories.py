"""Session 19: company faults the complaint tells as a story, with no fault word (replies.yaml faults.told, the
``s19`` families): a repair that did not hold, a fault left neither repaired nor handled, complaints over a long
time with no result, a matter nobody moves, staff who looked and left, a call back never made, a service cut though
the customer paid. Each earns a full apology naming it; each guard keeps a reading that is not the company's (a
repair done elsewhere, the customer's own putting off, a regulator's silence, a repair that held, a fee the tariff
lists). The analyses are built by hand with no company fault, so every test fails without its rule. Texts are
written for the tests."""

from __future__ import annotations

from datetime import datetime

from complaintdesk.assist import advise
from complaintdesk.assist.model import Advice
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.reading import told_faults

from .helpers import analysis

NOW = datetime(2026, 11, 23, 10, 0)


def _advise(text: str) -> Advice:
    return advise(analysis(), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)


def _told(text: str) -> dict[str, list[str]]:
    r = load_playbook().replies
    return {kind: [e.text for e in hit.evidence] for kind, hit in told_faults(text, r.told, r.told_exclude).items()}


# a repair that did not hold


def test_a_repair_done_twice_that_did_not_hold_earns_a_full_apology_for_the_repair() -> None:
    advice = _advise("热水器漏水，你们的维修人员来了两次，还是没修好，到底什么时候能修好？")
    assert advice.apology.style == "full"
    assert {"来了两次", "还是没修好"} <= {e.text for e in advice.apology.evidence}
    assert "都没有给您修好" in advice.reply_draft


def test_a_repair_counted_and_still_bad_in_the_same_clause_is_faulty_work() -> None:
    assert _told("冰箱不制冷，你们的师傅修了两次还是不好。")["faulty_work"] == ["修了两次", "还是不好"]


def test_a_thing_that_got_worse_with_each_repair_is_faulty_work() -> None:
    assert _told("空调越修越坏，原来只是不凉，现在连开机都开不了。")["faulty_work"] == ["越修越坏"]


def test_a_repair_done_elsewhere_that_did_not_hold_is_not_ours() -> None:
    assert "faulty_work" not in _told("手机在路边小店修了两次还是不好，想问问你们官方怎么收费。")


def test_a_repair_done_twice_that_held_tells_no_fault() -> None:
    assert "faulty_work" not in _told("师傅来了两次，第二次就彻底修好了，谢谢。")


# a fault left unhandled


def test_a_fault_neither_repaired_nor_handled_is_undone_work() -> None:
    advice = _advise("电梯坏了十来天，物业不修也不处理，老人只能走楼梯。")
    assert advice.apology.style == "full"
    assert "不修也不处理" in {e.text for e in advice.apology.evidence}


def test_complaints_over_years_with_no_result_are_a_matter_we_never_handled() -> None:
    assert _told("多年来供暖一直不达标，我们长期投诉都没有结果。")["runaround"] == ["长期投诉", "都没有结果"]


def test_repairs_reported_many_times_that_nobody_answered_are_a_matter_we_never_handled() -> None:
    assert _told("下水道堵了，报修多次无人理，污水都流到院子里了。")["runaround"] == ["报修多次", "无人理"]


def test_a_regulators_silence_over_years_is_not_ours() -> None:
    assert "runaround" not in _told("我们长期投诉到12345，都没有结果。")


def test_a_matter_nobody_moves_is_a_matter_we_never_handled() -> None:
    advice = _advise("高层水压低了两个多月，一直没人推进这件事。")
    assert advice.apology.style == "full"
    assert "一直没人推进" in {e.text for e in advice.apology.evidence}


def test_the_customers_own_putting_off_is_no_matter_left_dragging() -> None:
    assert "runaround" not in _told("这个问题我一直拖着不处理，现在想问问怎么办。")


# staff who looked and left


def test_staff_who_looked_and_left_with_nothing_done_is_undone_work() -> None:
    assert _told("师傅上门看了一眼就走了，什么也没修。")["faulty_work"] == ["看了一眼就走"]


# a call back never made


def test_a_call_back_promised_and_never_made_is_a_broken_promise() -> None:
    assert _told("客服说会回电，之后一直没回，我等了三天。")["broken_promise"] == ["说会回电", "一直没回"]


# a service cut though the customer paid (F19)


def test_a_cut_right_after_paying_is_a_wrongful_cut() -> None:
    assert _told("我刚交了三百块话费，第二天就被停机了。")["wrongful_suspension"] == ["刚交了", "被停"]


def test_paying_with_service_kept_tells_no_cut() -> None:
    assert "wrongful_suspension" not in _told("我刚交了三百块话费，想问问流量包怎么开。")
