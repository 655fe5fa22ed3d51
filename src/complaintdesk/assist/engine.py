"""``advise()``: analysis + policy + stage → what to do next and what to say, each with its seed rule."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from complaintdesk.analysis.model import Analysis
from complaintdesk.assist.actions import avoid_list, next_actions, questions
from complaintdesk.assist.case import build_case
from complaintdesk.assist.decide import choose_apology, choose_escalation, choose_technique
from complaintdesk.assist.drafts import build_draft
from complaintdesk.assist.expectation import manage_expectation
from complaintdesk.assist.model import Advice, Apology
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.specs import Playbook
from complaintdesk.domain.calendar import BusinessCalendar
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.policy.engine import check
from complaintdesk.policy.result import PolicyResult


def _analysis(analysis: Analysis | None, text: str | None, today: date | None) -> tuple[Analysis, tuple[str, ...]]:
    if analysis is not None:
        return analysis, ()
    if text is None or not text.strip():
        return Analysis(), ("没有投诉内容可分析，按一般情况给出建议（no text: default advice）",)
    from complaintdesk.analysis import analyze

    return analyze(text, today=today), ()


# Facts only the assistant reads (how to greet, the category, the sign-off); the policy engine refuses
# fields outside its contract, so they are left out of the policy check.
ASSIST_ONLY_FACTS = ("customer_name", "category", "satisfied", "result_accepted", "promise_hours",
                     "expected_wait_minutes", "reply_channel", "verified_faults", "refused_routes", "refund_paid_on")


def policy_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts as the policy engine takes them: without the assistant's own fields."""
    return {k: v for k, v in facts.items() if k not in ASSIST_ONLY_FACTS}


def _policy(policy: PolicyResult | None, facts: Mapping[str, Any], today: date | None) -> PolicyResult | None:
    if policy is not None or not facts:
        return policy
    data = policy_facts(facts)
    if today is not None and "today" not in data:
        data["today"] = today.isoformat()
    return check(data)


def advise(
    analysis: Analysis | None,
    policy: PolicyResult | None = None,
    stage: str | None = None,
    *,
    text: str | None = None,
    facts: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    playbook: Playbook | str | Path | None = None,
    today: date | None = None,
    calendar: BusinessCalendar | None = None,
    channel: str | None = None,
) -> Advice:
    """Advise the agent on one complaint.

    ``analysis`` (or ``text`` to analyse), ``policy`` (or ``facts`` to check) and ``stage`` are all
    optional: what is missing becomes a default plus the questions to ask. ``now`` turns the promised
    wait into a concrete ``due`` time; ``today`` (default: ``now``'s date) anchors the analysis and
    the policy check; ``calendar`` (default: the shipped Chinese calendar) counts the promised wait in
    working hours when the playbook says so. ``channel`` is how the reply goes out (``phone``,
    ``sms``, ``letter``, or a complaint channel such as ``email``) and sets the draft's register. ``playbook`` is a loaded Playbook or a folder holding a centre's edited copy of
    ``assist/data``. Pure: no I/O beyond reading the playbook.
    """
    if facts is not None and not isinstance(facts, Mapping):
        raise InvalidInput("facts 必须是一个对象（JSON object）", field="facts")
    pb = playbook if isinstance(playbook, Playbook) else load_playbook(playbook)
    today = today or (now.date() if now is not None else None)
    raw_facts: Mapping[str, Any] = facts or {}
    the_analysis, notes = _analysis(analysis, text, today)
    the_policy = _policy(policy, raw_facts, today)
    case, stage_notes = build_case(the_analysis, the_policy, raw_facts, stage, now, pb, channel, text or "")
    apology = choose_apology(case, pb)
    technique = choose_technique(case, pb)
    escalation = choose_escalation(case, pb)
    expectation = manage_expectation(case, pb, calendar)
    asked, answered = questions(case, pb)
    actions = next_actions(case, pb, apology, technique, expectation, escalation, asked, answered)
    draft, apology_text = build_draft(case, pb, apology, technique, expectation, asked, actions)
    return Advice(
        stage=case.stage,
        next_actions=actions,
        technique=technique,
        apology=Apology(apology.style, apology_text, apology.why, apology.source, apology.evidence),
        reply_draft=draft,
        avoid=avoid_list(case, pb, apology, technique),
        expectation=expectation,
        escalate=escalation,
        questions=asked,
        customer_types=case.type_names,
        notes=notes + stage_notes,
    )
