"""Unknown stage, empty text, missing facts: defaults and questions, never a crash; drafts stay clean."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from pathlib import Path

import pytest

from complaintdesk.assist import advise
from complaintdesk.assist.expectation import quote_minutes
from complaintdesk.assist.playbook import STAGES
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.policy.result import Deadline, PolicyResult, Verdict
from complaintdesk.quality import check_text, forbidden_phrases

from .helpers import FORBIDDEN_IN_DRAFT, analysis, rule, verdict, violation_result

CONTRACT_KEYS = {"stage", "next_actions", "technique", "apology", "reply_draft", "avoid", "expectation", "escalate"}


def test_nothing_at_all_gives_default_advice_and_questions() -> None:
    advice = advise(None)
    data = advice.to_dict()
    assert set(data) >= CONTRACT_KEYS
    assert data["stage"] == "accepted"
    assert data["apology"]["style"] == "non_admission"
    assert data["technique"] == "calm_anger"
    assert data["escalate"]["to"] is None
    assert "您希望我们怎么处理这件事？" in data["questions"]
    assert advice.action("ask_missing_facts") is not None
    assert all(a["why"] and a["source"].startswith("seed 00") for a in data["next_actions"])
    assert advice.reply_draft


@pytest.mark.parametrize("text", ["", "   \n", "hello world"])
def test_empty_or_non_chinese_text_never_crashes(text: str) -> None:
    advice = advise(None, text=text, stage="clarifying")
    assert advice.stage == "clarifying"
    assert advice.reply_draft


def test_unknown_stage_falls_back_with_a_note() -> None:
    advice = advise(analysis(), stage="negotiating")
    assert advice.stage == "accepted"
    assert any("未知阶段" in n and "negotiating" in n for n in advice.notes)


def test_stage_names_are_forgiving_about_case_and_dashes() -> None:
    assert advise(analysis(), stage="Follow-Up").stage == "follow_up"


def test_missing_facts_become_the_policy_engines_questions() -> None:
    policy = PolicyResult(demands=(verdict("exchange", Verdict.UNKNOWN, missing=("购买日期（发票日期）是哪天？",)),))
    advice = advise(analysis(demands=("exchange",)), policy, "clarifying")
    # asked in the customer's terms, the agent's hint not read out
    assert advice.questions == ("您是哪天买的？发票上的日期是哪天？",)
    assert "想跟您确认一下：您是哪天买的？发票上的日期是哪天？" in advice.reply_draft
    assert advice.action("policy_unknown_exchange") is not None


def test_facts_without_product_are_checked_and_asked_about() -> None:
    advice = advise(analysis(demands=("refund",)), stage="clarifying", facts={"today": "2026-11-23",
                                                                           "demands": ["refund"]})
    assert any("哪一件产品" in q for q in advice.questions)


def test_bad_facts_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        advise(None, facts={"today": "2026-11-23", "purchase_date": "yesterday"})
    assert err.value.field == "purchase_date"


def test_expectation_quotes_a_little_longer_than_the_real_wait_with_a_due_time() -> None:
    now = datetime(2026, 11, 23, 14, 0)
    advice = advise(analysis(category="billing"), stage="acting", now=now)
    exp = advice.expectation
    assert exp is not None
    assert exp.real_minutes == 240 and exp.quoted_minutes == 300
    # 14:00 + 5 working hours: four today (to 18:00), one tomorrow morning
    assert exp.due == datetime(2026, 11, 24, 10, 0)
    assert exp.promise == "我会在11月24日10:00前核对完账单并给您回电"
    assert exp.reason and exp.source.startswith("seed 001 §二")
    assert exp.promise in advice.reply_draft and "感谢您的耐心" in advice.reply_draft


def test_agent_can_set_the_real_wait_and_no_due_without_now() -> None:
    advice = advise(analysis(), stage="acting", facts={"expected_wait_minutes": 20, "satisfied": None})
    assert advice.expectation is not None
    assert advice.expectation.quoted_minutes == 30 and advice.expectation.due is None


def test_expectation_never_quotes_past_a_policy_deadline() -> None:
    now = datetime(2026, 11, 23, 20, 0)
    deadline = Deadline("补缴后恢复服务", date(2026, 11, 23), (rule("telecom.restore_48h"),))
    policy = PolicyResult(deadlines=(deadline,))
    advice = advise(analysis(category="repeated_repair"), policy, "acting", now=now)
    assert advice.expectation is not None
    assert advice.expectation.capped_by == "补缴后恢复服务"
    assert advice.expectation.due is not None and advice.expectation.due <= datetime(2026, 11, 23, 23, 59)


@pytest.mark.parametrize(("real", "quoted"), [(5, 20), (30, 40), (60, 90), (240, 300), (1440, 1800), (4320, 5760)])
def test_quoted_wait_is_rounded_up_to_what_a_person_would_say(real: int, quoted: int) -> None:
    assert quote_minutes(real, 0.25, 10) == quoted


def test_no_expectation_once_nothing_is_pending() -> None:
    for stage in ("thanking", "follow_up", "closed"):
        assert advise(analysis(), stage=stage).expectation is None


def test_media_threat_escalates_to_manager_with_urgent_priority() -> None:
    advice = advise(analysis(threats=("media",)), stage="calming")
    assert advice.escalate.to == "manager" and advice.escalate.priority == "urgent"
    assert advice.escalate.evidence[0].text == "<media>"
    assert "媒体" in advice.escalate.why
    assert advice.action("escalate") is not None


def test_discretionary_demand_beyond_authority_is_escalated_not_promised() -> None:
    from complaintdesk.policy.result import Authority

    policy = PolicyResult(demands=(verdict("compensation", Verdict.DISCRETIONARY),),
                          authority=Authority(False, "team_lead", "赔偿 300 元超出坐席权限（50 元）"))
    advice = advise(analysis(demands=("compensation",)), policy, "proposing")
    assert advice.escalate.to == "team_lead"
    assert "超出坐席权限" in advice.escalate.why
    assert "我马上报告班组长" in advice.reply_draft
    assert advice.action("policy_discretionary_escalate_compensation") is not None


def test_follow_up_draft_asks_whether_the_problem_is_solved() -> None:
    advice = advise(analysis(category="late_visit"), stage="follow_up")
    assert "现在都解决了吗" in advice.reply_draft
    assert advice.action("follow_up_call") is not None


CASES = [
    (analysis(), None),
    (analysis(emotion="anger", intensity=0.9, types=("intimidating", "boss_demander"), threats=("media",)), None),
    (analysis(chronic=True, types=("stubborn", "nagger"), category="repeated_repair"), None),
    (analysis(category="service_suspension", types=("negative",)), violation_result()),
    (analysis(types=("know_it_all",), demands=("exchange",)),
     PolicyResult(demands=(verdict("exchange", Verdict.NOT_ENTITLED, rule("sanbao.repeated_repair")),))),
    (analysis(category="promotion_rules", types=("self_important", "whiner")), None),
    (analysis(types=("silent", "friendly", "procrastinator")), None),
]


@pytest.mark.parametrize(("case", "stage"), list(itertools.product(range(len(CASES)), STAGES)))
def test_no_draft_contains_a_phrase_the_quality_rubric_forbids(case: int, stage: str) -> None:
    the_analysis, policy = CASES[case]
    advice = advise(the_analysis, policy, stage, facts={"customer_name": "李女士"},
                    now=datetime(2026, 11, 23, 9, 0))
    draft = advice.reply_draft
    assert draft and draft.endswith(("。", "？", "！"))
    assert check_text(draft) == [], draft
    assert "{" not in draft and "}" not in draft
    assert not any(word in draft for word in FORBIDDEN_IN_DRAFT)
    assert all(entry.phrase not in draft for entry in forbidden_phrases())
    assert check_text(advice.apology.text) == []


def test_due_time_given_in_utc_is_said_in_the_centres_time_zone() -> None:
    from datetime import UTC

    advice = advise(analysis(category="billing"), stage="acting", now=datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    assert advice.expectation is not None and advice.expectation.due is not None
    assert advice.expectation.due.isoformat() == "2026-11-23T15:00:00+08:00"
    assert "11月23日15:00" in advice.expectation.promise


def test_wall_clock_basis_and_rounding_to_ten_minutes(tmp_path: Path) -> None:
    from importlib import resources

    from complaintdesk.assist.playbook import FILES

    pkg = resources.files("complaintdesk.assist.data")
    for name in FILES:
        text = pkg.joinpath(name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("basis: business", "basis: calendar"), encoding="utf-8")
    advice = advise(analysis(category="billing"), stage="acting", now=datetime(2026, 11, 23, 14, 3),
                    playbook=tmp_path)
    assert advice.expectation is not None
    assert advice.expectation.due == datetime(2026, 11, 23, 19, 10)


def test_without_now_the_promise_is_a_duration() -> None:
    advice = advise(analysis(category="billing"), stage="acting")
    assert advice.expectation is not None and advice.expectation.due is None
    assert advice.expectation.promise == "我会在5小时内核对完账单并给您回电"


def test_discretionary_demand_without_a_planned_offer_asks_for_a_bottom_line_first() -> None:
    policy = PolicyResult(demands=(verdict("compensation", Verdict.DISCRETIONARY),))
    advice = advise(analysis(demands=("compensation",)), policy, "proposing")
    action = advice.action("policy_discretionary_unplanned_compensation")
    assert action is not None and "先定好底线" in action.action
    assert action.source.startswith("seed 001 §七")
    assert "尽量为您争取，核实后给您一个明确的答复" in advice.reply_draft
    assert "我可以在我的权限内为您办理" not in advice.reply_draft
