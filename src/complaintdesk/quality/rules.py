"""The rubric's conversation rules. Each detector reads the shared Signals and returns its violations;
the rule's severity, wording and seed source always come from the rubric data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from complaintdesk.quality.model import Turn, Violation
from complaintdesk.quality.phrases import quote, sentence_violations, span
from complaintdesk.quality.signals import Signals, bigrams, overlap

Detector = Callable[[Signals], list[Violation]]
_CLAUSE = re.compile(r"[,，。!！?？;；]")
_REPEAT_OVERLAP = 0.6  # share of an instruction's character pairs said again that makes it "the same"


def _violation(s: Signals, rule: str, turn: Turn, why: str | None = None,
               match: re.Match[str] | None = None) -> Violation:
    spec = s.rubric.rules[rule]
    return Violation(
        rule=rule, severity=spec.severity, line=turn.line, text=turn.text, why=why or spec.why,
        title=spec.title, source=spec.source,
        match=None if match is None else quote(turn.text, turn.norm, match),
        span=None if match is None else span(turn.text, turn.norm, match),
    )


def phrases(s: Signals) -> list[Violation]:
    out: list[Violation] = []
    alternatives = ("offer_option", "commitment", "proactive")
    for turn in s.agent:
        offered = any(s.has(t, cue) for t in _same_reply(s, turn) for cue in alternatives)
        out.extend(sentence_violations(turn.text, turn.line, s.rubric, turn.norm, alternative=offered))
    return out


def deflection(s: Signals) -> list[Violation]:
    """Self-service pushed on a customer who did not ask for it, or who refused it (seed 002). Offered as
    one option beside something the agent commits to do in the same reply ("我马上下发给您") it is help,
    unless the customer has already refused."""
    out: list[Violation] = []
    for turn in s.agent_has("self_service"):
        before = [c for c in s.customer if c.index < turn.index]
        asked = any(s.has(c, "asks_self_service") for c in before)
        refused = any(s.has(c, "refusal") for c in before)
        committed = any(s.has(t, "commitment") and not s.has(t, "deferral") for t in _same_reply(s, turn))
        if (asked or committed) and not refused:
            continue
        spec = s.rubric.rules["deflection"]
        why = f"{spec.why}（{'客户已拒绝' if refused else '客户并未要求自助'}）"
        out.append(_violation(s, "deflection", turn, why=why, match=s.hit(turn, "self_service")))
    return out


def refusal_without_alternative(s: Signals) -> list[Violation]:
    out: list[Violation] = []
    alternatives = ("offer_option", "commitment", "proactive")
    for turn in s.agent:
        refusal = s.hit(turn, "refusal")
        if refusal is None:
            continue
        if not any(s.has(t, cue) for t in _same_reply(s, turn) for cue in alternatives):
            out.append(_violation(s, "refusal_without_alternative", turn, match=refusal))
    return out


def _same_reply(s: Signals, turn: Turn) -> list[Turn]:
    """The agent's turns from ``turn`` until the customer speaks again: one reply."""
    reply: list[Turn] = []
    for later in s.turns[turn.index:]:
        if later.speaker != "agent":
            break
        reply.append(later)
    return reply


def _instruction_keys(s: Signals, turn: Turn) -> set[str]:
    clauses = _CLAUSE.split(turn.norm)
    keys: set[str] = set()
    for i, clause in enumerate(clauses):
        if s.rubric.agent_cues["instruction"].search(clause):
            keys |= bigrams(clause + "".join(clauses[i + 1:i + 2]))
    return keys


def repeated_instruction(s: Signals) -> list[Violation]:
    out: list[Violation] = []
    given: list[tuple[Turn, set[str]]] = []
    for turn in s.agent:
        keys = _instruction_keys(s, turn)
        if not keys:
            continue
        for earlier, earlier_keys in given:
            refused = any(
                earlier.index < c.index < turn.index and s.has(c, "refusal") for c in s.customer
            )
            if refused and overlap(keys, earlier_keys) >= _REPEAT_OVERLAP:
                why = f"{s.rubric.rules['repeated_instruction'].why}（第 {earlier.line} 行已给过同样的指引）"
                out.append(_violation(s, "repeated_instruction", turn, why=why))
                break
        given.append((turn, keys))
    return out


def apology(s: Signals) -> list[Violation]:
    if not s.is_complaint or not s.agent or s.chronic:
        return []
    apologies = s.agent_has("apology_any")
    anchor = _first_reply(s)
    if not apologies:
        return [_violation(s, "no_apology", anchor)]
    sincere = [
        t for t in apologies
        if s.has(t, "apology_sincere") or s.has(t, "acknowledge") or s.has(t, "reassure")
    ]
    if not sincere:
        return [_violation(s, "ritual_apology", apologies[0], match=s.hit(apologies[0], "apology_any"))]
    return []


def _first_reply(s: Signals) -> Turn:
    first = s.first_complaint_turn()
    after = [t for t in s.agent if first is None or t.index > first.index]
    return after[0] if after else s.agent[-1]


def commitment(s: Signals) -> list[Violation]:
    if not s.is_complaint or s.resolved_on_spot or s.commitment.concrete:
        return []
    spec = s.rubric.rules["no_concrete_commitment"]
    if s.commitment.made:
        made = [t for t in s.agent if s.has(t, "commitment") and not s.has(t, "deferral")]
        return [_violation(s, spec.id, made[0], why=f"{spec.why}（有承诺但没有时间）")]
    deferred = s.agent_has("deferral")
    why = f"{spec.why}（只让客户再来电，没有自己承诺）" if deferred else f"{spec.why}（整通电话没有承诺）"
    return [_violation(s, spec.id, deferred[0] if deferred else s.agent[-1], why=why)]


def humour(s: Signals) -> list[Violation]:
    out: list[Violation] = []
    for turn in s.agent_has("humour"):
        if s.angry_before(turn.index):
            out.append(_violation(s, "humour_while_angry", turn, match=s.hit(turn, "humour")))
    return out


def hang_up(s: Signals) -> list[Violation]:
    ended_by, line = s.transcript.ended_by, s.transcript.ended_line
    self_hangup = [t for t in s.agent if s.has(t, "hangup_self")]
    if ended_by != "agent" and not (self_hangup and self_hangup[-1] == s.agent[-1]):
        return []
    if not s.is_complaint or s.resolved:
        return []
    last = self_hangup[-1] if self_hangup else s.agent[-1]
    violation = _violation(s, "agent_hung_up", last)
    if line is not None and not self_hangup:
        violation = replace(violation, line=line, text=f"{last.text}（随后客服挂断）")
    return [violation]


def talk(s: Signals) -> list[Violation]:
    ratio, total = s.talk_ratio()
    if total < s.rubric.talk_min_chars or ratio <= s.rubric.talk_max_ratio or not s.customer:
        return []
    longest = max(s.agent, key=lambda t: len(t.text))
    limit = s.rubric.talk_max_ratio
    why = f"{s.rubric.rules['talking_too_much'].why}（客服发言占 {ratio:.0%}，上限 {limit:.0%}）"
    return [_violation(s, "talking_too_much", longest, why=why)]


def interruptions(s: Signals) -> list[Violation]:
    return [_violation(s, "interrupting_customer", turn) for turn in s.interruptions()]


def thanks(s: Signals) -> list[Violation]:
    if len(s.agent) < 2:
        return []
    closing = s.agent[-2:]
    if any(s.has(t, "thanks") or s.has(t, "patience_praise") for t in closing):
        return []
    return [_violation(s, "no_thanks_at_end", s.agent[-1])]


def follow_up(s: Signals) -> list[Violation]:
    if not s.is_complaint or s.resolved_on_spot or s.agent_has("follow_up"):
        return []
    return [_violation(s, "no_follow_up", s.agent[-1])]


def downgraded(s: Signals) -> list[Violation]:
    category = (s.transcript.logged_category or "").strip().lower()
    if not category or category not in s.rubric.enquiry_categories or not s.is_complaint:
        return []
    first = s.first_complaint_turn()
    if first is None:
        return []
    spec = s.rubric.rules["complaint_logged_as_enquiry"]
    return [_violation(s, spec.id, first, why=f"{spec.why}（登记类别：{s.transcript.logged_category}）")]


DETECTORS: tuple[Detector, ...] = (
    phrases, deflection, refusal_without_alternative, repeated_instruction, apology, commitment, humour, hang_up,
    talk, interruptions, thanks, follow_up, downgraded,
)


def detect(s: Signals) -> list[Violation]:
    """All enabled rules' violations, in line order."""
    found = [v for detector in DETECTORS for v in detector(s) if s.rubric.rules[v.rule].enabled]
    return sorted(found, key=lambda v: (v.line, v.rule))
