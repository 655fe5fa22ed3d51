"""Issue 20, second round: every policy violation is said to the customer in its own plain words, and the
style follows the evidence (a category label with no words is none); demands the rules cannot judge yet
are named; a refused app route is not offered again."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from complaintdesk.assist import advise
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.replies import FAULT_KINDS, violation_words
from complaintdesk.assist.wording import codes, halfwidth_marks, repeats
from complaintdesk.domain.calendar import default_calendar
from complaintdesk.policy.context import Context
from complaintdesk.policy.engine import check
from complaintdesk.policy.facts import parse_facts
from complaintdesk.policy.packs import load_packs
from complaintdesk.policy.result import REMEDY_KINDS, VIOLATION_CODES, Remedy, violation_kind
from complaintdesk.quality import check_text

from .helpers import analysis

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 23, 10, 0)


def _customer_text_ok(text: str) -> None:
    assert check_text(text) == [], text
    assert halfwidth_marks(text) == [], text
    assert codes(text) == [], text
    assert repeats(text) == [], text


def _policy_cases() -> list[dict[str, Any]]:
    """The facts of every policy case the repository holds (the rule table and the real published cases)."""
    table = yaml.safe_load((ROOT / "tests" / "unit" / "policy" / "cases.yaml").read_text("utf-8"))
    real = [json.loads(line) for line in (ROOT / "eval" / "policy_real.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    out = []
    for case in [*table, *real]:
        facts = dict(case["facts"])
        facts.setdefault("today", case.get("today", "2025-06-30"))
        facts.setdefault("demands", case.get("demands") or list(case.get("expect") or {}))
        out.append(facts)
    return out


def test_every_violation_code_the_policy_can_produce_has_wording_a_customer_can_read() -> None:
    replies = load_playbook().replies
    for code in VIOLATION_CODES:
        words = violation_words(replies, code)
        assert words is not None, f"replies.yaml faults.violations has no entry for {code}"
        assert words.fault in FAULT_KINDS
        _customer_text_ok(words.found)
        _customer_text_ok((words.said or replies.fault_said[words.fault]) + "，这是我们做得不对。")
    assert violation_words(replies, "refused_remedy:refund") == violation_words(replies, "refused_remedy")


def test_every_violation_the_policy_cases_produce_is_a_listed_code_with_wording() -> None:
    replies = load_playbook().replies
    seen = set()
    for facts in _policy_cases():
        try:
            result = check(facts)
        except Exception:
            continue
        seen |= {v.code for v in result.company_violations}
    assert {"wrongful_suspension", "unconsented_charge", "fraud"} <= {violation_kind(c) for c in seen}
    for code in seen:
        assert violation_kind(code) in VIOLATION_CODES
        assert violation_words(replies, code) is not None, code


def test_the_policy_refuses_to_record_a_violation_whose_code_is_not_listed() -> None:
    ctx = Context(parse_facts({"today": "2026-11-23"}), default_calendar(), load_packs())
    rule = load_packs().get("telecom.arrears_suspension")
    assert rule is not None
    with pytest.raises(ValueError, match="VIOLATION_CODES"):
        ctx.violation(rule, "测试", "a_code_nobody_worded")
    ctx.violation(rule, "测试", "refused_remedy:refund")
    assert [v.code for v in ctx.violations] == ["refused_remedy:refund"]


SPIKE = ("五一去塞班岛玩了三天，就刷了刷微信，回国后才收到短信说流量费超过5000元，第二天就停机了，一查欠费一万六千多。"
         "在国外那几天没收到过任何提醒。这笔钱我不认，请给我免掉。")


def test_a_charge_spike_nobody_was_told_of_is_owned_and_said_in_plain_words() -> None:
    facts = {"today": "2026-11-23", "product": {"kind": "mobile_service"},
             "billing": {"charge_spike": True, "spike_notified": False}, "demands": ["waive_fee"]}
    advice = advise(None, None, "clarifying", text=SPIKE, facts=facts, now=NOW)
    draft = advice.reply_draft
    assert advice.apology.style == "full"
    assert "没有及时提醒您" in advice.apology.text and "这件事没有按规定办" not in draft
    assert "按规定出现这种情况我们应该及时告诉您" in draft
    assert "第三十三条" not in draft and "5 倍" not in draft
    _customer_text_ok(draft)


def test_a_service_opened_without_consent_is_named_and_its_finding_is_said() -> None:
    facts = {"today": "2026-11-23", "product": {"kind": "mobile_service"}, "billing": {"consent": "not_given"},
             "demands": ["refund"]}
    text = "我从来没办过什么5G通话宝，查账单才发现连着扣了8个月，请给我停掉，扣的钱全部退给我。"
    advice = advise(None, None, "clarifying", text=text, facts=facts, now=NOW)
    assert "没有经过您的同意，就给您开通了收费的业务" in advice.apology.text
    assert "没有经过您同意开通的业务是不能收费的" in advice.reply_draft
    _customer_text_ok(advice.reply_draft)


def test_a_fraud_check_passed_and_still_suspended_says_both_findings_and_nothing_about_arrears() -> None:
    facts = {"today": "2026-11-23", "product": {"kind": "mobile_service"},
             "billing": {"suspended": True, "suspension_reason": "fraud_risk", "reverified": True,
                         "reason_notified": False}, "demands": ["restore_service"]}
    text = "号码前天突然停了，没人告诉我为什么。昨天去营业厅核验已经通过了，今天还是停着，请马上恢复。"
    draft = advise(None, None, "accepted", text=text, facts=facts, now=NOW).reply_draft
    assert "原因、申诉的渠道和需要带的材料" in draft and "核验通过以后就应该马上为您恢复号码" in draft
    assert "欠费" not in draft and "缴费" not in draft
    _customer_text_ok(draft)


def test_a_label_the_learned_layer_gave_without_words_is_no_fault() -> None:
    labelled = analysis(category="staff_attitude")
    no_words = type(labelled)(**{**{f: getattr(labelled, f) for f in labelled.__dataclass_fields__},
                                 "category": type(labelled.category)("staff_attitude", ())})
    assert advise(no_words, stage="calming").apology.style == "non_admission"
    assert advise(labelled, stage="calming").apology.style == "full"
    recorded = advise(no_words, stage="calming", facts={"today": "2026-11-23", "category": "staff_attitude"})
    assert recorded.apology.style == "full"


def test_a_refused_app_route_is_not_offered_again_and_the_agent_does_it() -> None:
    text = "我去营业厅办注销，工作人员非要我先下载你们的APP才能取号。我说下APP干什么？我不下。请告诉我注销办好了没有。"
    draft = advise(None, None, "clarifying", text=text, facts={"today": "2026-11-23"}, now=NOW).reply_draft
    assert "这件事不用您再自己操作，我这边直接为您办理" in draft
    assert "下载" not in draft
    _customer_text_ok(draft)


def test_a_demand_the_rules_cannot_judge_yet_is_named_not_left_out() -> None:
    text = "交房时查出40多项问题，开发商当场允诺全部维修，两年了一个都没解决，墙裂了还渗水。"
    facts = {"today": "2026-11-23", "demands": ["repair"]}
    draft = advise(None, None, "calming", text=text, facts=facts, now=NOW).reply_draft
    assert "您提出的维修，我先把情况核实清楚" in draft
    assert "哪一件产品" not in draft  # 交房: the complaint says what it is about


def test_a_refund_already_paid_is_said_as_done_with_its_day() -> None:
    text = "外卖里吃出虫子，平台已经把钱退给我了，可商家一句道歉都没有。"
    facts = {"today": "2026-11-23", "refund_paid_on": "2026-11-20", "demands": ["apology", "refund"]}
    draft = advise(None, None, "clarifying", text=text, facts=facts, now=NOW).reply_draft
    assert "退款已经退给您了，是11月20日退的" in draft
    assert "为您办理退款" not in draft and "为您退款" not in draft



def test_a_refund_whose_amount_is_not_known_yet_is_still_said_as_the_customers_right() -> None:
    facts = {"today": "2026-11-23", "product": {"kind": "prepaid_service"},
             "prepayment": {"paid": 7200, "provided_as_agreed": False}, "company_response": {"notice": "no_refund"},
             "demands": ["refund"]}
    text = "健身房突然关门了，门口贴告示说无力退还会员会费，我的私教课还剩一大半没上，请把课费退给我。"
    draft = advise(None, None, "calming", text=text, facts=facts, now=NOW).reply_draft
    assert "您提出的退款" in draft and "我这就为您办理" in draft
    assert "无力退还" not in draft
    _customer_text_ok(draft)


def test_service_restored_late_with_no_refund_due_promises_no_refund_call() -> None:
    facts = {"today": "2026-11-23", "product": {"kind": "mobile_service"},
             "billing": {"prepaid": False, "due_date": "2026-10-01", "suspended_on": "2026-11-05",
                         "paid_on": "2026-11-18", "restored_on": "2026-11-22"}, "demands": ["explanation"]}
    text = "我11月18日就把欠费交清了，一直到11月22日晚上才恢复，整整四天用不了。"
    advice = advise(None, None, "clarifying", text=text, facts=facts, now=NOW)
    assert "您补缴费用以后，我们没有及时为您恢复服务" in advice.apology.text
    assert "按规定您补缴以后48小时内就应该恢复服务" in advice.reply_draft
    assert "已经恢复使用了，是11月22日恢复的" in advice.reply_draft
    assert "退费" not in advice.reply_draft and "提交复机" not in advice.reply_draft
    _customer_text_ok(advice.reply_draft)


def test_every_remedy_kind_is_either_said_to_the_customer_or_listed_as_owed_by_the_customer() -> None:
    replies = load_playbook().replies
    for kind in REMEDY_KINDS:
        assert (kind in replies.to_customer) != (kind in replies.owed_by_customer), kind
    for sentence in replies.to_customer.values():
        _customer_text_ok(sentence.format(product="宽带", amount="6"))
    with pytest.raises(ValueError, match="REMEDY_KINDS"):
        Remedy("a_kind_nobody_worded", 1.0, "测试")


def test_food_below_the_safety_standard_says_the_refund_and_the_ten_times_compensation() -> None:
    facts = {"today": "2026-11-23", "product": {"kind": "food"}, "food_unsafe": True, "price": 100,
             "demands": ["refund", "compensation"]}
    text = "在你们超市买的进口饼干包装上一个中文字都没有，我要求退货，并按食品安全法十倍赔偿。"
    draft = advise(None, None, "clarifying", text=text, facts=facts, now=NOW).reply_draft
    assert "我们为您退款100元" in draft and "赔偿金1000元" in draft
    _customer_text_ok(draft)
