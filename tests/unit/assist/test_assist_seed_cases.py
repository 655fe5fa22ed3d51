"""The seed cases reproduced end to end: real texts through analyze(), real facts through policy.check()."""

from __future__ import annotations

from datetime import datetime

from complaintdesk.analysis import analyze
from complaintdesk.assist import advise
from complaintdesk.quality import check_text

from .helpers import analysis

RECHARGE = "我刚充了话费参加充值送活动，一直没收到赠送号码，没法申请优惠。马上给我把赠送号码发过来！"
BROADBAND = ("今天上午九点半发现宽带连不上，打10000号才知道是欠费被停了。我只是这个月忘了交，欠费最多不到30天，"
             "客服两次很生硬地说“这是不可能的”。我要求恢复宽带、赔偿停机损失，并且要一个道歉，不然我就向工信部申诉。")
TV = ("我2002年3月买的你们MT-34F1A电视，高压包打火、彩色偏，前前后后修了5次。每次维修我都得请假在家等。"
      "今天3·15，我专门到你们呼叫中心来要个说法：必须给我换一台新机器。你们不是说保修五年吗？")

BROADBAND_FACTS = {
    "today": "2026-11-23", "customer_name": "王女士", "product": {"kind": "broadband"},
    "billing": {"prepaid": False, "monthly_fee": 60, "due_date": "2026-11-05", "suspended_on": "2026-11-20",
                "paid_on": "2026-11-22", "restored_on": "2026-11-22"},
    "demands": ["restore_service", "compensation", "apology"],
}
TV_FACTS = {
    "today": "2005-03-15", "customer_name": "陈先生", "product": {"kind": "tv", "model": "MT-34F1A"},
    # the seed places the first fault at the first repair: no fault appeared in the first 15 days
    "purchase_date": "2002-03-10", "invoice": True, "fault": {"kind": "performance", "first_seen": "2003-05-01"},
    "repairs": [{"date": "2003-05-01", "fixed": True}, {"date": "2003-09-01", "fixed": True},
                {"date": "2004-02-01", "fixed": True}, {"date": "2004-07-01", "fixed": True},
                {"date": "2005-01-10", "fixed": True}],
    "contract": {"free_repair_card": True}, "demands": ["exchange", "explanation"],
}


def test_recharge_gift_call_gets_the_four_actions_of_seed_002() -> None:
    now = datetime(2026, 11, 23, 10, 0)
    advice = advise(analyze(RECHARGE), None, "clarifying", text=RECHARGE,
                    facts={"category": "promotion_rules", "promise_hours": 48}, now=now)
    keys = advice.action_keys()
    four = ["check_system", "analyse", "reassure", "way_forward"]
    assert [k for k in keys if k in four] == four
    for key in four:
        action = advice.action(key)
        assert action is not None and action.source.startswith("seed 002")
    draft = advice.reply_draft
    # 用心查询系统、主动分析问题、安抚客户放心、引导解决办法 — in that order in the draft
    positions = [draft.index(p) for p in ("马上为您查询", "由活动平台下发", "您别担心", "短信查询赠送号码的方式")]
    assert positions == sorted(positions)
    assert "48小时内都有效" in draft
    assert advice.action("understand_and_acknowledge") is not None  # 尊重=理解+认同
    assert any("重复引导" in a.why for a in advice.avoid)
    # manage expectations: a little longer than the real 30 minutes, with a concrete due time
    assert advice.expectation is not None
    assert advice.expectation.quoted_minutes > advice.expectation.real_minutes == 30
    assert advice.expectation.due == datetime(2026, 11, 23, 10, advice.expectation.quoted_minutes)
    assert "感谢您的耐心" in draft
    assert check_text(draft) == []


def test_broadband_case_gets_full_apology_and_the_pro_rata_refund() -> None:
    advice = advise(analyze(BROADBAND), None, "proposing", text=BROADBAND, facts=BROADBAND_FACTS,
                    now=datetime(2026, 11, 23, 9, 30))
    assert advice.apology.style == "full"
    assert advice.technique.name == "admit_error"
    refund = advice.action("remedy_pro_rata_refund")
    assert refund is not None
    assert "2.00 元/日" in refund.action and "× 3 日" in refund.action
    draft = advice.reply_draft
    assert draft.startswith("王女士您好")
    assert "我代表公司向您郑重道歉" in draft
    assert "一共6元" in draft and "÷" not in draft  # the amount, not the formula
    assert "欠费不满30天是不能停机的" in draft  # the finding in plain words
    # the ministry appeal threat raises priority and the escalation (seed 001 case 1, points 4–9)
    assert advice.escalate.to == "manager"
    assert advice.escalate.priority == "urgent"
    assert advice.action("threat_regulator") is not None
    assert check_text(draft) == []


def test_tv_case_gets_non_admission_apology_sanbao_explanation_and_free_repair_card() -> None:
    advice = advise(analyze(TV), None, "proposing", text=TV, facts=TV_FACTS)
    assert advice.apology.style == "non_admission"
    assert advice.apology.text == "这件事情令您对我们感到不满，我们深感抱歉。"
    sanbao = advice.action("explain_sanbao")
    card = advice.action("free_repair_card")
    assert sanbao is not None and "三包" in sanbao.action and sanbao.source.startswith("seed 001 §七")
    assert card is not None and "五年免费维修金卡" in card.action
    assert advice.action("policy_not_entitled_exchange") is not None
    draft = advice.reply_draft
    assert draft.startswith("陈先生您好")
    assert "国家三包规定" in draft and "而您的电视目前属于免费维修的范围" in draft
    assert "五年免费维修金卡" in draft
    assert "维修过5次" in draft
    assert advice.technique.name in ("transformation", "tactful_denial")
    assert check_text(draft) == []


def test_tv_case_from_a_hand_built_analysis_is_the_same_advice() -> None:
    advice = advise(analysis(demands=("exchange",), category="repeated_repair"), None, "proposing", facts=TV_FACTS)
    assert advice.apology.style == "non_admission"
    assert {"explain_sanbao", "free_repair_card"} <= set(advice.action_keys())
