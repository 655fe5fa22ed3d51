"""Session 18: company faults the complaint tells with no fault word (replies.yaml faults.told, the ``s18`` families),
and the opposite, a fee the tariff itself lists read as a billing error (faults.tariff). Each fault earns a full
apology naming it, with the words as evidence; each guard keeps a reading that is not the company's (a wait with
nobody asked to come, a neighbour's request, a regulator's silence, a sale label, a sudden cut, a cut for arrears, a
fee charged after cancelling). The analyses are built by hand with no company fault, unless a test needs one, so
every test fails without its rule. Texts are written for the tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from complaintdesk.analysis.model import CompanyFault
from complaintdesk.assist import advise
from complaintdesk.assist.case import build_case
from complaintdesk.assist.model import Advice
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.reading import read_faults, told_faults
from complaintdesk.assist.replies import Told

from .helpers import analysis, span

NOW = datetime(2026, 11, 23, 10, 0)


def _advise(text: str) -> Advice:
    return advise(analysis(), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)


def _told(text: str) -> dict[str, list[str]]:
    r = load_playbook().replies
    return {kind: [e.text for e in hit.evidence] for kind, hit in told_faults(text, r.told, r.told_exclude).items()}


def _evidence(advice: Advice) -> set[str]:
    return {e.text for e in advice.apology.evidence}


# a visit asked for, and nobody came


def test_a_visit_asked_for_that_nobody_came_to_is_a_missed_visit() -> None:
    advice = _advise("家里的燃气灶打不着火，上周三我就打电话要求派人来看，今天都周二了，一直没有人来。")
    assert advice.apology.style == "full"
    assert {"要求派人", "一直没有人来"} <= _evidence(advice)
    assert "一直没有人来" in advice.reply_draft


def test_a_repair_owed_and_nobody_seen_coming_to_do_it_is_undone_work() -> None:
    assert _told("路灯坏了两个星期，物业说知道了，可一直不见人来修。")["faulty_work"] == ["不见人来修"]


def test_a_wait_with_no_visit_asked_for_stays_no_missed_visit() -> None:
    # round 12's guard: the customer waited for the power, not for anyone the company was to send
    assert "missed_appointment" not in _told("昨天晚上停电，交了电费以后在家等了一晚上都没来电。")
    assert _advise("昨天晚上停电，交了电费以后在家等了一晚上都没来电。").apology.style == "non_admission"


def test_a_neighbours_request_nobody_came_to_is_not_this_customers_missed_visit() -> None:
    assert "missed_appointment" not in _told("听说隔壁报修了半个月，一直没人来，我家的水管会不会也有问题？")


# a reply promised, and never given


def test_a_reply_promised_within_days_and_never_given_is_a_broken_promise() -> None:
    advice = _advise("4月2日客服说5个工作日内答复我，现在半个月过去了，还是没有任何消息。")
    assert advice.apology.style == "full"
    assert {"个工作日内答复", "没有任何消息"} <= _evidence(advice)
    assert "到现在也没有给您回音" in advice.reply_draft


def test_a_call_back_promised_and_never_made_is_a_broken_promise() -> None:
    assert _told("营业员说会给我回电，让我回家等着，到现在一个电话都没有。")["broken_promise"] == ["说会给我回电", "一个电话都没"]


def test_the_customers_own_promise_to_call_back_is_no_broken_promise() -> None:
    assert "broken_promise" not in _told("我说会回电给师傅确认时间，后来一忙就忘了，到现在也没打。")


# a matter reported again and again, never answered


def test_a_matter_reported_again_and_again_with_no_answer_is_a_runaround() -> None:
    advice = _advise("楼道的灯坏了，我们跟你们物业反映了好几次，一次答复都没有。")
    assert advice.apology.style == "full"
    assert "反映了好几次" in _evidence(advice)
    assert "一直没有给您答复" in advice.reply_draft


def test_a_regulator_that_left_repeated_reports_unanswered_is_not_our_silence() -> None:
    assert "runaround" not in _told("我在12315投诉了好几次，一直没有回复。")


def test_a_single_report_with_no_answer_yet_is_not_told_as_repeated_silence() -> None:
    # once (如实反映了) is the customer's one step: the corpora's gold labels its silence otherwise
    assert "runaround" not in _told("我在公众号上如实反映了，好几天过去了，一点答复都没有。")


# a price above the one the company posted


def test_a_price_charged_above_the_shelf_label_is_a_billing_error() -> None:
    advice = _advise("牙膏货架上标12.8元一支，结账按15.8元收的，我拿小票回去对过。")
    assert advice.apology.style == "full"
    assert {"货架上标", "结账按"} <= _evidence(advice)
    assert "比我们标出来的价格高" in advice.reply_draft


def test_a_price_taken_far_above_the_posted_fee_is_a_billing_error() -> None:
    assert _told("搬一次家收了我2000元，后来一看，公示的基本收费才六百。")["billing_error"] == ["收了", "基本收费才"]


def test_a_sale_label_not_honoured_is_checked_before_anything_is_admitted() -> None:
    assert "billing_error" not in _told("标的是特价9.9元，结账按原价19.9元收的。")


# a cut with no notice


def test_a_planned_cut_with_no_notice_given_is_a_missed_notice() -> None:
    advice = _advise("周六全天停水，楼下没贴通知，我们也没收到通知，一家人连饭都做不了。")
    assert advice.apology.style == "full"
    assert "事先没有把通知送到您" in advice.reply_draft


def test_a_sudden_cut_from_a_burst_pipe_is_no_missed_notice() -> None:
    assert "no_notice" not in _told("今天早上突然停水，群里一条通知都没有，说是水管爆了。")


def test_a_cut_for_the_customers_own_arrears_is_left_to_the_policy_check() -> None:
    assert "no_notice" not in _told("我欠费两个月被停电了，也没收到通知。")


# an installer leaving out a part


def test_an_installer_leaving_out_a_part_is_faulty_work() -> None:
    advice = _advise("热水器用了半年就漏水，后来才发现安装的时候根本没装减压阀。")
    assert advice.apology.style == "full"
    assert "漏装" in advice.reply_draft


# the opposite: a fee the tariff lists


def _with_billing_fault(text: str, word: str):  # type: ignore[no-untyped-def]
    pb = load_playbook()
    fault = CompanyFault("billing_error", (span(word, text.index(word)),))
    case, _ = build_case(replace(analysis(), company_faults=(fault,)), None, {}, None, None, pb, None, text)
    return read_faults(case, pb)


def test_a_fee_the_tariff_lists_disputed_as_charged_twice_is_set_aside_with_its_word() -> None:
    text = "每个月的水费都收基本费，我用水早就超过基本度数了，还照收，这就是重复收费。"
    found, aside = _with_billing_fault(text, "重复收费")
    assert "billing_error" not in {f.kind for f in found}
    assert [a.kind for a in aside] == ["billing_error"]
    assert "基本费" in aside[0].reason


def test_a_tariff_fee_still_charged_after_cancelling_is_a_billing_error() -> None:
    text = "月租费里的那项网页服务我三月就取消了，这个月账单里还在收，多收了。"
    found, _ = _with_billing_fault(text, "多收了")
    assert "billing_error" in {f.kind for f in found}


# a decimal point is no clause break


def test_a_decimal_amount_does_not_split_a_clause_between_a_promise_and_its_breach() -> None:
    told = {"broken_promise": (Told(("答应",), ("一分没到",), 1),)}
    assert "broken_promise" in told_faults("答应退我12.5元，一分没到。", told, ())


# the customer's own delay, in the stretch between the request and the silence


def test_a_visit_the_customer_was_away_for_is_no_missed_visit() -> None:
    assert "missed_appointment" not in _told("上个月我报修以后就一直在外地，我一直不在家，所以到现在也没人来。")


def test_a_call_back_the_customer_missed_is_no_broken_promise() -> None:
    assert "broken_promise" not in _told("客服说会给我回电，那两天我手机关机，之后一直没回电。")


def test_a_cut_with_no_notice_that_was_an_emergency_repair_is_no_missed_notice() -> None:
    assert "no_notice" not in _told("昨天停气，说是在抢修管道，也没收到通知。")
