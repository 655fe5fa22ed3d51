"""Whose fault the text tells (replies.yaml faults.not_ours, faults.model_only): a fault told of a party
posing as the company, or a fee the signed contract sets that the learned layer alone reads as a billing
error, earns no admission; the same readings with words of the company's own fault still do. Analyses are
built by hand, so each test fails without the rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from complaintdesk.analysis.model import CompanyFault
from complaintdesk.assist import advise
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.reading import not_ours

from .helpers import analysis, span

NOW = datetime(2026, 11, 23, 10, 0)


def _advise(text: str, *faults: CompanyFault):  # type: ignore[no-untyped-def]
    reading = replace(analysis(), company_faults=faults)
    return advise(reading, None, "accepted", text=text, facts={"today": "2026-11-23"}, now=NOW)


def test_a_runaround_told_of_a_fake_repair_line_that_was_not_the_official_one_earns_no_admission() -> None:
    text = "在网上搜到一个维修电话，师傅收了钱就联系不上，客服一直没人管。后来才知道那个号码根本不是官方的。"
    advice = _advise(text, CompanyFault("runaround", (span("没人管", text.index("没人管")),)))
    assert advice.apology.style == "non_admission"
    assert "做得不对" not in advice.reply_draft


def test_the_same_runaround_told_of_the_company_itself_earns_the_full_apology() -> None:
    text = "打了你们官方的售后电话，师傅收了钱就联系不上，客服一直没人管。"
    advice = _advise(text, CompanyFault("runaround", (span("没人管", text.index("没人管")),)))
    assert advice.apology.style == "full"


def test_posing_as_customer_service_is_read_as_not_ours_but_a_fake_product_sold_is_not() -> None:
    replies = load_playbook().replies
    assert not_ours("有人冒充客服打电话让我转账，我转了两千。", replies)
    assert not not_ours("你们卖给我的是假冒伪劣产品，我要退货。", replies)


def test_a_contract_penalty_the_model_alone_reads_as_a_billing_error_is_not_admitted() -> None:
    text = "想换个便宜套餐，客服说要先交违约金，办的时候业务员一个字没提。凭什么我出？"
    advice = _advise(text, CompanyFault("billing_error", (), model=0.74))
    assert advice.apology.style == "non_admission"


def test_an_annual_fee_charged_with_no_notice_is_a_billing_error_even_from_the_model_alone() -> None:
    text = "信用卡每年扣2600元年费，办卡时没说，扣费也从来没短信。请把年费退给我。"
    advice = _advise(text, CompanyFault("billing_error", (), model=0.8))
    assert advice.apology.style == "full"


def test_a_billing_error_the_model_reads_with_no_contract_fee_named_is_still_admitted() -> None:
    text = "我从来没办过这个业务，查账单才发现连着扣了8个月，请退给我。"
    advice = _advise(text, CompanyFault("billing_error", (), model=0.74))
    assert advice.apology.style == "full"


def test_a_stated_deadline_and_later_still_nothing_is_a_broken_promise() -> None:
    from complaintdesk.assist.reading import told_faults

    replies = load_playbook().replies
    found = told_faults(
        "客服说顶多一个礼拜就能发货。到现在一个多月了还是没发。", replies.told, replies.told_exclude
    )
    assert "broken_promise" in found


def test_a_business_that_closed_without_a_word_after_taking_the_money_is_a_broken_promise() -> None:
    text = "我办了两年的卡，一次都没去过，你们突然关门了，一点通知都没有。请退钱。"
    advice = _advise(text)
    assert advice.apology.style == "full"
    assert "停止了营业" in advice.reply_draft


def test_counted_trips_and_calls_are_a_runaround_but_the_companys_own_calls_are_not() -> None:
    from complaintdesk.assist.reading import told_faults

    replies = load_playbook().replies
    told = told_faults("为了销户我跑了4个营业网点，打了9次客服电话。", replies.told, replies.told_exclude)
    assert "runaround" in told
    theirs = told_faults("你们客服连着打了三次电话让我办分期。", replies.told, replies.told_exclude)
    assert "runaround" not in theirs


def test_a_promise_the_model_alone_reads_in_a_contract_term_dispute_is_not_admitted() -> None:
    text = "营业员说随时可以销户，现在说有24个月合约期，提前销户要交违约金。"
    advice = _advise(text, CompanyFault("broken_promise", (), model=0.79))
    assert advice.apology.style == "non_admission"


def test_a_suspension_after_long_arrears_the_customer_admits_earns_no_admission_from_the_text() -> None:
    text = "打电话问才知道是我们楼拖欠了半年水费，大热天说停就停。请先把水恢复，我们愿意交。"
    advice = _advise(text, CompanyFault("wrongful_suspension", (span("说停就停", text.index("说停就停")),)))
    assert advice.apology.style == "non_admission"


def test_a_suspension_the_customer_says_came_too_early_still_earns_the_full_apology() -> None:
    text = "我欠费不到30天，你们说停就停，拖欠这么几天就停机？"
    advice = _advise(text, CompanyFault("wrongful_suspension", (span("说停就停", text.index("说停就停")),)))
    assert advice.apology.style == "full"


def test_an_account_closed_without_any_notice_is_apologised_for_in_those_words() -> None:
    advice = _advise("我的手机号在我没收到任何通知的情况下被你们注销了，号里还有余额。")
    assert advice.apology.style == "full"
    assert "事先没有通知您" in advice.reply_draft


def test_a_repair_owed_and_left_undone_for_weeks_is_the_companys_fault() -> None:
    advice = _advise("两部电梯坏了一部，半个月了，物业说有人不交物业费，没钱修。")
    assert advice.apology.style == "full"
    assert "没有及时给您修好" in advice.reply_draft


def test_an_installer_and_what_he_left_undone_in_the_next_clause_is_faulty_work() -> None:
    advice = _advise("净水器进水管脱落，家里全是水。肯定是安装师傅管子插进去了，螺丝没有加固。")
    assert advice.apology.style == "full"
