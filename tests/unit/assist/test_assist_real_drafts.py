"""Issue 20: drafts a senior complaint handler would send — built from decisions, apology from all the
evidence, questions only for what is unknown, natural Chinese in the register of the channel."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from complaintdesk.analysis import analyze
from complaintdesk.analysis.model import CompanyFault
from complaintdesk.assist import advise
from complaintdesk.assist.wording import codes, halfwidth_marks, repeats, sms_segments
from complaintdesk.quality import check_text

from .helpers import analysis, span

NOW = datetime(2026, 11, 23, 10, 0)
BROADBAND = ("今天上午九点半发现宽带连不上，打10000号才知道是欠费被停了。我只是这个月忘了交，欠费最多不到30天，"
             "客服两次很生硬地说“这是不可能的”。我要求恢复宽带、赔偿停机损失，并且要一个道歉，不然我就向工信部申诉。")
WRONGFUL: dict[str, Any] = {
    "today": "2026-11-23", "customer_name": "王女士", "product": {"kind": "broadband"},
    "billing": {"prepaid": False, "monthly_fee": 60, "due_date": "2026-11-05", "suspended_on": "2026-11-20"},
    "demands": ["restore_service", "compensation", "apology"],
}
LAWFUL: dict[str, Any] = {
    "today": "2026-11-23", "customer_name": "赵先生", "product": {"kind": "broadband"},
    "billing": {"prepaid": False, "monthly_fee": 60, "amount_due": 120, "due_date": "2026-09-30",
                "suspended_on": "2026-11-20"},
    "demands": ["restore_service", "waive_fee"],
}
RECHARGE_REFUSED = ("我刚充了话费参加充值送活动，一直没收到赠送号码。你们客服让我稍后留意，我不同意；又让我自己发短信查，"
                    "我也不要，凭什么让我自己查？马上给我把赠送号码发过来！")
TV = ("我2002年3月买的你们MT-34F1A电视，高压包打火、彩色偏，前前后后修了5次。今天我专门来要个说法："
      "必须给我换一台新机器。")
CHRONIC = ("你们什么事都办不好！你们的人从来没有一次按时来过，每次都是让我等，都是你们的错。"
           "还有一件事，你们的账单我从来就看不懂，你们必须给我一个说法。")


def _clean(draft: str) -> None:
    assert check_text(draft) == []
    assert halfwidth_marks(draft) == []
    assert codes(draft) == []
    assert repeats(draft) == []


def test_money_the_customer_owes_is_never_offered_as_credit() -> None:
    advice = advise(None, None, "proposing", text="宽带欠费停机了，赶紧给我开通。", facts=LAWFUL, now=NOW)
    draft = advice.reply_draft
    assert "违约金" not in draft and "充值到您的账户" not in draft
    owed = advice.action("remedy_late_fee_max")
    assert owed is not None and "客户应付" in owed.action and "不是给客户的补偿" in owed.action
    assert advice.apology.style == "non_admission"
    _clean(draft)


def test_late_fee_is_not_listed_once_the_suspension_is_found_wrongful() -> None:
    advice = advise(None, None, "proposing", text=BROADBAND, facts=WRONGFUL, now=NOW)
    assert advice.action("remedy_late_fee_max") is None
    assert "违约金" not in advice.reply_draft


def test_a_service_already_restored_is_never_promised_again() -> None:
    facts = {**WRONGFUL, "billing": {**WRONGFUL["billing"], "paid_on": "2026-11-22", "restored_on": "2026-11-22"}}
    advice = advise(None, None, "proposing", text=BROADBAND, facts=facts, now=NOW)
    draft = advice.reply_draft
    assert "已经恢复使用了，是11月22日恢复的" in draft
    assert "复机" not in draft and "为您恢复服务" not in draft
    assert advice.expectation is not None and "恢复服务" not in advice.expectation.promise
    assert advice.action("policy_entitled_restore_service") is None
    _clean(draft)


def test_still_suspended_the_draft_promises_restoration_once_with_one_time() -> None:
    advice = advise(None, None, "acting", text=BROADBAND, facts=WRONGFUL, now=NOW)
    draft = advice.reply_draft
    assert "马上为您办理复机" not in draft and "需要先核实停机记录" not in draft
    assert len(re.findall(r"\d+月\d+日\d+:\d+前", draft)) == 1
    assert "为您恢复服务并回电确认" in draft


def test_refused_self_check_is_never_offered_again_and_no_excuse_is_invented() -> None:
    advice = advise(None, None, "clarifying", text=RECHARGE_REFUSED,
                    facts={"category": "promotion_rules", "promise_hours": 48}, now=NOW)
    draft = advice.reply_draft
    assert "短信" not in draft
    assert "系统平台比较繁忙" not in draft and "客户较多" not in draft
    assert "我这边直接为您核实" in draft and "48小时内都有效" in draft
    _clean(draft)


def test_recorded_offer_within_authority_reaches_the_draft_first() -> None:
    facts = {"today": "2026-11-23", "offer": {"kind": "compensation", "amount": 50}, "role": "agent",
             "demands": ["repair", "compensation"]}
    text = "冰箱不制冷，你们说24小时上门，我等了两天才来人，拉走以后就没消息了。"
    advice = advise(None, None, "proposing", text=text, facts=facts, now=NOW)
    draft = advice.reply_draft
    assert "我为您申请了50元的补偿" in draft
    assert "关于赔偿" not in draft  # the offer answers the compensation demand; no second, vaguer promise
    _clean(draft)


def test_offer_above_the_agents_authority_is_reported_not_promised() -> None:
    facts = {"today": "2026-11-23", "offer": {"kind": "refund", "amount": 750}, "role": "agent",
             "demands": ["refund"]}
    advice = advise(None, None, "proposing", text="床垫味道太大，我要退货退款。", facts=facts, now=NOW)
    assert "750" not in advice.reply_draft
    assert "我马上报告班组长" in advice.reply_draft
    assert advice.escalate.to == "team_lead"


def test_a_fault_plain_in_the_text_gets_a_full_apology_for_that_fault() -> None:
    hung_up = analysis(category="billing")
    hung_up = type(hung_up)(**{**{f: getattr(hung_up, f) for f in hung_up.__dataclass_fields__},
                               "company_faults": (CompanyFault("staff_misconduct", (span("挂了电话"),)),)})
    advice = advise(hung_up, stage="calming")
    assert advice.apology.style == "full"
    assert "我们的工作人员对您的态度和说话方式不对" in advice.apology.text
    assert "「挂了电话」" in advice.apology.why
    text = "约好今天上午师傅上门修空调，我请了假等了一上午，师傅没来，电话也打不通。"
    missed = advise(analyze(text), None, "calming", text=text)
    assert missed.apology.style == "full"
    assert "没有按约定的时间上门" in missed.reply_draft


def test_a_fault_the_learned_layer_found_is_named_with_its_probability() -> None:
    base = analysis()
    found = type(base)(**{**{f: getattr(base, f) for f in base.__dataclass_fields__},
                          "company_faults": (CompanyFault("runaround", (), 0.83),)})
    advice = advise(found, stage="calming")
    assert advice.apology.style == "full" and "0.83" in advice.apology.why


def test_chronic_sweeping_accusations_get_feelings_acknowledged_and_no_admission() -> None:
    advice = advise(analyze(CHRONIC), None, "calming", text=CHRONIC, now=NOW)
    assert advice.apology.style == "none"
    draft = advice.reply_draft
    assert "做得不对" not in draft and "道歉" not in draft and "深感抱歉" not in draft
    assert "这让您感到不满和失望" in draft
    # the sweeping claims read as faults (staff attitude, broken promises) are still not admitted
    sweeping = analysis(category="staff_attitude", chronic=True)
    sweeping = type(sweeping)(**{**{f: getattr(sweeping, f) for f in sweeping.__dataclass_fields__},
                                 "company_faults": (CompanyFault("broken_promise", (span("从来没有一次按时来过"),)),)})
    assert advise(sweeping, stage="calming").apology.style == "none"


def test_chronic_complainer_gets_an_admission_only_of_the_verified_fault() -> None:
    advice = advise(analyze(CHRONIC), None, "proposing", text=CHRONIC, now=NOW,
                    facts={"today": "2026-11-23", "verified_faults": ["missed_appointment"]})
    assert advice.apology.style == "full"
    assert advice.apology.text.startswith("没有按约定的时间上门")
    assert "账单" not in advice.apology.text and "什么事都" not in advice.reply_draft
    assert "只为已核实的这件事道歉" in advice.apology.why


def test_questions_the_complaint_already_answers_are_not_asked() -> None:
    advice = advise(None, None, "clarifying", text=TV, facts={"today": "2005-03-15", "demands": ["exchange"]})
    assert not any("产品" in q for q in advice.questions)
    assert "哪一件产品" not in advice.reply_draft
    note = advice.action("record_known_facts")
    assert note is not None and "「电视」" in note.action


def test_the_policy_question_about_an_earlier_complaint_is_not_asked_when_the_text_says_so() -> None:
    facts = {"today": "2026-11-23", "product": {"kind": "broadband"}, "demands": ["escalate"],
             "regulator": {"body": "telecom_appeal"}}
    silent = advise(None, None, "clarifying", text="宽带被停了，我要向管局申诉。", facts=facts)
    assert "您之前是哪天向我们反映的？当时有没有人给您答复？" in silent.questions  # asked when unknown
    advice = advise(None, None, "clarifying", text=BROADBAND, facts=facts)
    assert not any("运营商" in q or "哪天向我们反映" in q for q in advice.questions)
    note = advice.action("record_known_facts")
    assert note is not None and "「10000」" in note.action


def test_questions_are_asked_in_the_customers_terms() -> None:
    advice = advise(None, None, "clarifying", text="我的东西坏了，要退货。",
                    facts={"today": "2026-11-23", "demands": ["refund"]})
    for q in advice.questions:
        assert "客户" not in q and "(" not in q and "（" not in q


def test_no_invented_result_for_a_negative_customer() -> None:
    advice = advise(analysis(types=("negative",)), stage="proposing")
    assert "问题都得到了解决" not in advice.reply_draft


def test_sms_register_cuts_the_draft_into_segments_of_at_most_70_characters() -> None:
    advice = advise(None, None, "acting", text=BROADBAND, facts=WRONGFUL, now=NOW, channel="sms")
    segments = advice.reply_draft.split("\n")
    assert len(segments) >= 2 and all(len(s) <= 70 for s in segments)
    assert segments[0].startswith("王女士您好")
    assert "请您稍等" not in advice.reply_draft and "听明白了" not in advice.reply_draft
    _clean(advice.reply_draft.replace("\n", ""))


def test_letter_register_greets_in_writing_and_never_says_hold_on() -> None:
    advice = advise(None, None, "acting", text=BROADBAND, facts=WRONGFUL, now=NOW, channel="email")
    draft = advice.reply_draft
    assert draft.startswith("尊敬的王女士，您好！")
    assert "请您稍等" not in draft and "\n" in draft


def test_sms_segments_never_exceed_the_limit_even_for_one_long_sentence() -> None:
    long = "这是一句特别长的话，" * 12 + "结束。"
    assert all(len(s) <= 70 for s in sms_segments(long))


def test_seed_drafts_are_full_width_without_codes_or_repeats() -> None:
    for text, facts in ((BROADBAND, WRONGFUL), (TV, {"today": "2005-03-15", "demands": ["exchange"]}),
                        (RECHARGE_REFUSED, {"category": "promotion_rules"})):
        for stage in ("accepted", "calming", "clarifying", "proposing", "acting", "thanking", "follow_up"):
            advice = advise(None, None, stage, text=text, facts=facts, now=NOW)
            _clean(advice.reply_draft)
            for action in advice.next_actions:
                assert halfwidth_marks(action.action) == [], action.action
                assert not re.search(r"\b[a-z]+_[a-z_]+\b", action.action), action.action
