"""The ninth round's rules, each as data (replies.yaml, analysis threats.yaml) and each checked on texts written
for the test, not taken from the scenarios: faults the text tells in its own words, the thing a complaint is
about named with the step taken on it now, the customer's own word for a refund, the company's own suggestion
of a lawsuit read as no threat, the sentence that sets a disputed fault aside named in the why, rule codes in
full-width brackets, and the ninth round's scenarios' pages used by no other set. Analyses built by hand carry
no company fault and no threat, so every test fails without the rule it names."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.assist import advise
from complaintdesk.assist.case import rule_evidence

from .helpers import analysis, rule
from .round_pages import assert_a_round_of_its_own_pages

NOW = datetime(2026, 11, 23, 10, 0)
FACTS = {"today": "2026-11-23"}


def _advise(text: str, **kw):  # type: ignore[no-untyped-def]
    return advise(analysis(**kw), None, "proposing", text=text, facts=FACTS, now=NOW)


@pytest.mark.parametrize(("text", "said"), [
    ("上月在你们店办了一张游泳次卡，才去了三次店就关了。", "停止了营业"),
    ("我家从来没用过你们的固话，账单上却每个月都在扣月租。", "您没有用上的服务"),
    ("去年投诉过楼道漏水，你们说转给工程部，之后再也没人过问。", "您提出的事"),
    ("小区今天早上断网，到晚上九点才恢复。", "服务中断"),
    ("窗帘送去清洗，拿回来整块都缩水了。", "在我们手里被弄坏了"),
    ("健身房关了一周做消毒，会员谁也没通知。", "没有提前通知您"),
    ("爷爷在你们护理中心摔伤了胳膊，这件事没人告诉我们。", "没有及时告诉您和家人"),
    ("探视时问了护工才知道，外婆上周在走廊摔倒过。", "没有及时告诉您和家人"),
])
def test_a_fault_the_text_tells_in_its_own_words_earns_a_full_apology_naming_it(text: str, said: str) -> None:
    advice = _advise(text)
    assert advice.apology.style == "full", advice.apology.why
    assert said in advice.reply_draft
    assert any(e.kind == "span" for e in advice.apology.evidence)


@pytest.mark.parametrize(("text", "said"), [
    ("家里的狗做完手术第二天就死了。", "病历、诊疗记录"),
    ("导游把我们拉到玉器店，不买东西不让上车。", "导游的事"),
    ("大衣送去干洗，领口全变形了。", "您送洗的大衣"),
    ("奶奶住在养老院，护工说她身上的瘀青是自己碰的。", "当天的护理记录"),
    ("缆车开到一半停了四十分钟，一车人悬在空中。", "缆车停运的事"),
    ("我订的温泉门票，到了门口园区暂停营业。", "没能用上的票款"),
    ("想把游泳卡转给朋友，你们要收五百块转卡费。", "卡转让的事"),
    ("昨晚全楼断网，孩子网课都上不了，怎么补偿？", "这次断网"),
    ("奶粉罐上没有中文标签，是不是走私货？", "标签问题"),
    ("宽带从来没用过，每月照扣。", "您说的宽带"),
    ("美发店换了老板，说我卡里的余额不认了。", "卡里剩下的余额"),
    ("说好两天来维修空调，拖了一个礼拜才来。", "维修拖了这么久"),
])
def test_the_thing_a_complaint_is_about_is_named_with_the_step_taken_on_it_now(text: str, said: str) -> None:
    assert said in _advise(text).reply_draft


def test_a_ticket_already_refunded_is_not_promised_again() -> None:
    draft = _advise("景区临时闭园，门票钱已经退了，可我们白跑一趟。").reply_draft
    assert "票款" not in draft


def test_a_refund_is_said_in_the_customers_own_word() -> None:
    fee = _advise("培训班停课两个月了，我要求退费。", demands=("refund",)).reply_draft
    assert "退费" in fee and "退款" not in fee
    money = _advise("培训班停课两个月了，我要求退款。", demands=("refund",)).reply_draft
    assert "退款" in money


def test_the_companys_own_suggestion_of_a_lawsuit_is_no_threat() -> None:
    sent = analyze("出了事你们不给看监控，只让我去打官司。")
    assert "lawyer" not in {t.kind for t in sent.threats}
    threat = analyze("再不给说法，我就去法院起诉你们。")
    assert "lawyer" in {t.kind for t in threat.threats}


def test_a_hospital_the_customer_took_a_pet_to_is_not_read_as_a_delivery() -> None:
    taken = _advise("我把狗送到你们医院做手术，第二天就没了。", category="delivery").reply_draft
    assert "物流" not in taken
    parcel = _advise("快递三天了还没送来。", category="delivery").reply_draft
    assert "物流" in parcel


def test_a_fault_set_aside_as_disputed_names_the_sentence_that_decides_it() -> None:
    advice = _advise("你们一会儿说管子在楼上户内不归物业管，一会儿说是热力公司在维护，让我自己去找。")
    assert advice.apology.style == "non_admission"
    assert "「你们一会儿说管子在楼上户内不归物业管" in advice.apology.why
    assert "热力公司在维护" in advice.apology.why
    assert [e.kind for e in advice.apology.evidence] == ["span"]


def test_a_rule_cited_as_evidence_keeps_its_code_in_full_width_brackets() -> None:
    text = rule_evidence(rule("sanbao.repair_twice")).text
    assert text.endswith("（sanbao.repair_twice）")
    assert "(" not in text and ")" not in text


def test_the_ninth_rounds_scenarios_use_pages_no_other_set_uses() -> None:
    assert_a_round_of_its_own_pages("ar-r9-")


def test_a_visit_made_since_is_not_promised_again() -> None:
    done = _advise("说好两天来维修空调，拖了一个礼拜才来人。", category="late_visit").reply_draft
    assert "安排师傅上门" not in done and "延误的经过" in done
    waiting = _advise("说好两天来维修空调，到现在都没人来。", category="late_visit").reply_draft
    assert "重新安排师傅上门" in waiting


def test_a_prepaid_balance_named_with_its_step_answers_the_refund_once() -> None:
    draft = _advise("美发店换了老板，说我卡里的余额不认了，我要退钱。", demands=("refund",)).reply_draft
    assert "卡里剩下的余额" in draft
    assert "您提出的退款" not in draft
