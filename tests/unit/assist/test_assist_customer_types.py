"""Seed 001 §一 and §二：one tactic per customer type, each with its reason and source."""

from __future__ import annotations

import pytest

from complaintdesk.assist import advise

from .helpers import analysis

# type -> (a phrase the advice must contain, a phrase its reason must contain, the seed section)
TACTICS = {
    "intimidating": ("坚定、理性地陈述", "不要同威吓型的人计较", "seed 001 §一.1"),
    "whiner": ("直接问他希望我们怎么做", "直接问他的要求", "seed 001 §一.2"),
    "silent": ("开放式问题", "通过开放式的问题帮助他们开口", "seed 001 §一.3"),
    "friendly": ("挖掘客户的真实想法", "深度挖掘他的真正想法", "seed 001 §一.4"),
    "negative": ("举出反例", "在陈述中指出反例", "seed 001 §一.5"),
    "know_it_all": ("直接、合理的方式陈述全部事实", "用直接、合理的方式陈述所有事实", "seed 001 §一.6"),
    "procrastinator": ("为什么还不能决定", "询问他们为什么拖延", "seed 001 §一.7"),
    "stubborn": ("不与客户争对错", "为了投诉而投诉", "seed 001 §二"),
    "nagger": ("总结要点", "说得太多是客户服务的大忌", "seed 001 §二"),
    "self_important": ("管理期望", "催问次数比一般人多三倍", "seed 001 §二"),
    "boss_demander": ("说明你的权限", "告知自己的权限", "seed 001 §二"),
}


@pytest.mark.parametrize("customer_type", sorted(TACTICS))
def test_each_customer_type_gets_its_seed_tactic_with_reason(customer_type: str) -> None:
    advice = advise(analysis(types=(customer_type,), demands=("repair",)), stage="clarifying")
    action = advice.action(f"type_{customer_type}")
    assert action is not None, advice.action_keys()
    phrase, reason, source = TACTICS[customer_type]
    assert phrase in action.action
    assert reason in action.why
    assert action.source.startswith(source)
    assert action.evidence and action.evidence[0].text == f"<{customer_type}>"
    assert customer_type in advice.customer_types


def test_whiner_draft_asks_directly_what_he_wants() -> None:
    advice = advise(analysis(types=("whiner",)), stage="clarifying")
    assert "您最希望我们怎么处理" in advice.reply_draft


def test_silent_customer_draft_asks_an_open_question() -> None:
    advice = advise(analysis(types=("silent",)), stage="clarifying")
    assert "您能具体说说当时的情况吗" in advice.reply_draft


def test_boss_demander_within_authority_is_not_escalated_but_told_why() -> None:
    advice = advise(analysis(types=("boss_demander",), demands=("escalate",)), stage="clarifying")
    assert advice.escalate.to is None
    assert "没有超出你的权限" in advice.escalate.why
    assert "在我的权限内可以马上为您办理" in advice.reply_draft


def test_weak_customer_type_scores_are_not_advised_on() -> None:
    from dataclasses import replace

    from complaintdesk.analysis.model import CustomerType

    weak = replace(analysis(), customer_types=(CustomerType("whiner", 0.2),))
    assert advise(weak).action("type_whiner") is None
