"""Seed 000 vs seed 001: which apology; seed 001 §三：which of the six methods, each with its reason."""

from __future__ import annotations

from datetime import datetime

from complaintdesk.assist import advise
from complaintdesk.policy.result import PolicyResult, Verdict

from .helpers import analysis, rule, verdict, violation_result

# --- apology styles ------------------------------------------------------------------------------


def test_company_violation_gets_full_apology_and_admit_error() -> None:
    advice = advise(analysis(category="service_suspension"), violation_result(), "proposing")
    assert advice.apology.style == "full"
    assert "我代表公司向您郑重道歉" in advice.apology.text
    assert "承认错误" in advice.apology.why
    assert advice.apology.source.startswith("seed 000")
    assert any("违规停机" in e.text for e in advice.apology.evidence)
    assert advice.technique.name == "admit_error"
    assert advice.action("admit_violation") is not None


def test_staff_attitude_counts_as_company_fault() -> None:
    advice = advise(analysis(category="staff_attitude"), stage="calming")
    assert advice.apology.style == "full"
    assert advice.apology.evidence[0].text == "<staff_attitude>"
    assert advice.action("admit_error") is not None


def test_broken_promise_counts_as_company_fault() -> None:
    facts = {"today": "2026-11-23", "promise": {"kind": "recharge_gift", "started_at": "2026-11-20T10:00:00",
                                                "fulfilled": False}}
    advice = advise(analysis(), stage="calming", facts=facts)
    assert advice.apology.style == "full"
    assert any("承诺" in e.text for e in advice.apology.evidence)


def test_not_at_fault_apologises_for_the_experience_without_admitting_fault() -> None:
    advice = advise(analysis(category="repeated_repair"), stage="calming")
    assert advice.apology.style == "non_admission"
    assert advice.apology.text == "这件事情令您对我们感到不满，我们深感抱歉。"
    assert "不承认企业有错" in advice.apology.why
    assert advice.apology.text in advice.reply_draft
    assert any("不承认企业有错" in a.why for a in advice.avoid)


def test_chronic_complainer_gets_no_apology_but_paraphrase_facts_solution_question_and_timebox() -> None:
    advice = advise(analysis(chronic=True, category="repeated_repair"), stage="clarifying")
    assert advice.apology.style == "none"
    assert advice.apology.text == ""
    assert "道歉反而会招致更进一步的抱怨" in advice.apology.why
    assert advice.apology.evidence[0].text == "你们总是"
    keys = advice.action_keys()
    for key in ("chronic_paraphrase", "chronic_facts", "chronic_solution_question", "chronic_timebox"):
        assert key in keys
    draft = advice.reply_draft
    assert "我的确明白您所说的" in draft
    assert "是不是就可以解决您的问题" in draft and "延长保证期" in draft
    assert "10分钟" in draft
    assert "抱歉" not in draft and "对不起" not in draft
    assert any(a.phrase_or_behaviour == "反复道歉" for a in advice.avoid)


# --- the six methods -----------------------------------------------------------------------------


def test_calm_anger_is_the_default_with_listen_position_promise() -> None:
    advice = advise(analysis(emotion="anger", intensity=0.8, category="late_visit"), stage="calming")
    assert advice.technique.name == "calm_anger"
    assert advice.technique.label == "平抑怒气法"
    assert "一听" in advice.technique.why and "二表态" in advice.technique.why and "三承诺" in advice.technique.why
    assert advice.action_keys()[0] == "emotion_first"
    assert "先处理情绪，再处理事情" in advice.next_actions[0].action


def test_not_entitled_demand_of_a_know_it_all_gets_tactful_denial() -> None:
    policy = PolicyResult(demands=(verdict("exchange", Verdict.NOT_ENTITLED, rule("sanbao.repeated_repair")),))
    advice = advise(analysis(types=("know_it_all",), demands=("exchange",)), policy, "proposing")
    assert advice.technique.name == "tactful_denial"
    assert "是……而……" in advice.technique.why
    assert "但是" not in advice.reply_draft
    assert "而您的" in advice.reply_draft


def test_not_entitled_demand_from_a_misunderstanding_gets_transformation() -> None:
    policy = PolicyResult(demands=(verdict("refund", Verdict.NOT_ENTITLED, rule("cpl.art24", "《消费者权益保护法》",
                                                                              "第二十四条")),))
    advice = advise(analysis(demands=("refund",)), policy, "proposing")
    assert advice.technique.name == "transformation"
    assert "误解" in advice.technique.why
    assert "还不符合这个条件" in advice.reply_draft
    assert "我会尽力为您找到其他解决办法" in advice.reply_draft


def test_promotion_rule_complaint_is_a_misunderstanding_to_transform() -> None:
    advice = advise(analysis(category="promotion_rules"), stage="clarifying")
    assert advice.technique.name == "transformation"
    assert advice.technique.evidence[0].text == "<promotion_rules>"


def test_chronic_complainer_is_redirected_to_solutions() -> None:
    advice = advise(analysis(chronic=True), stage="proposing")
    assert advice.technique.name == "redirect"
    assert "转到解决方案" in advice.technique.why


def test_humour_only_after_a_result_both_sides_accept() -> None:
    calm = analysis(category="repeated_repair")
    accepted = advise(calm, stage="thanking", facts={"satisfied": True})
    assert accepted.technique.name == "humor"
    assert not any(a.phrase_or_behaviour == "开玩笑、搞笑" for a in accepted.avoid)
    assert "省心" in accepted.reply_draft
    not_yet = advise(calm, stage="thanking")
    assert not_yet.technique.name != "humor"
    humour = next(a for a in not_yet.avoid if a.phrase_or_behaviour == "开玩笑、搞笑")
    assert "双方都满意的结果之前不要搞笑" in humour.why
    still_angry = advise(analysis(emotion="anger", intensity=0.9), stage="thanking", facts={"satisfied": True})
    assert still_angry.technique.name != "humor"


def test_admit_error_beats_calm_anger_when_we_are_at_fault() -> None:
    advice = advise(analysis(emotion="anger", intensity=0.9, category="service_suspension"), violation_result(),
                    "calming", now=datetime(2026, 11, 23, 10, 0))
    assert advice.technique.name == "admit_error"
    assert advice.technique.evidence
