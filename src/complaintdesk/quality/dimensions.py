"""尊重 = 理解 + 认同, 真诚 = 情感 + 协助 (seed 002), and the seven steps (seed 001 + 跟踪服务)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from complaintdesk.quality.model import EvidenceLine, PairScore, StepState, Turn, Violation
from complaintdesk.quality.rubric import SAID_RULES
from complaintdesk.quality.signals import Signals

_FIRST_REPLY_CUES = ("greeting", "acknowledge", "apology_any", "check_system", "reassure", "proactive")
_BAD_FIRST_REPLY = (*SAID_RULES, "refusal_without_alternative", "deflection")
_EMPATHY = ("acknowledge", "apology_sincere", "reassure", "apology_any")
_FACTS = (
    "states_facts", "check_system", "commitment", "offer_option", "instruction", "completion", "refusal",
    "self_service",
)
# a line pushing self-service never earns points nor is cited as good evidence; a line with a 禁语 keeps
# the points of its good words (the rule's penalties take their share) but is marked as a violation
_NOT_EXEMPLARY = ("deflection", "repeated_instruction")


def _dimension(
    s: Signals, name: str, penalties: Mapping[str, float], excluded: set[int]
) -> tuple[float, list[Turn]]:
    points = 0.0
    lines: list[Turn] = []
    for cue, value in s.rubric.dimensions[name]:
        hits = [t for t in s.agent_has(cue) if t.line not in excluded]
        if hits:
            points += value
            lines.extend(hits)
    return max(0.0, min(10.0, points) - penalties.get(name, 0.0)), lines


def _penalties(s: Signals, violations: Sequence[Violation]) -> dict[str, float]:
    """Dimension penalties of the rubric's rules, each rule counted at most max_occurrences times."""
    counts = Counter(v.rule for v in violations)
    out: dict[str, float] = {}
    for rule, count in counts.items():
        for dim, value in s.rubric.rules[rule].penalties.items():
            out[dim] = out.get(dim, 0.0) + value * min(count, s.rubric.max_occurrences)
    return out


def _evidence(turns: Sequence[Turn]) -> tuple[EvidenceLine, ...]:
    unique = {t.index: t for t in turns}
    return tuple(unique[i].evidence() for i in sorted(unique))


def respect_and_sincerity(s: Signals, violations: Sequence[Violation]) -> tuple[PairScore, PairScore]:
    penalties = _penalties(s, violations)
    excluded = {v.line for v in violations if v.rule in _NOT_EXEMPLARY}
    understanding, u_lines = _dimension(s, "understanding", penalties, excluded)
    acknowledgement, a_lines = _dimension(s, "acknowledgement", penalties, excluded)
    emotion, e_lines = _dimension(s, "emotion", penalties, excluded)
    assistance, h_lines = _dimension(s, "assistance", penalties, excluded)
    respect = PairScore("understanding", understanding, "acknowledgement", acknowledgement,
                        _evidence(u_lines + a_lines))
    sincerity = PairScore("emotion", emotion, "assistance", assistance, _evidence(e_lines + h_lines))
    return respect, sincerity


def _first_position(s: Signals, turns: Sequence[Turn], cues: Sequence[str]) -> tuple[int, int] | None:
    """(turn index, offset in the line) of the first of ``cues`` in ``turns``."""
    for turn in turns:
        found = [m.start() for cue in cues if (m := s.hit(turn, cue)) is not None]
        if found:
            return turn.index, min(found)
    return None


def _first(s: Signals, turns: Sequence[Turn], cues: Sequence[str]) -> Turn | None:
    return next((t for t in turns if any(s.has(t, cue) for cue in cues)), None)


def steps(
    s: Signals, violations: Sequence[Violation]
) -> tuple[dict[str, StepState], dict[str, EvidenceLine | None]]:
    """Which of the seven steps the agent kept, each with the line that shows it (None: missed or n/a).

    Judged from the agent's own lines: 平息 needs an empathy or apology act before the facts (not after
    them, and not in a line with a 禁语); 感谢 needs thanks; calm and accept apply to a complaint only."""
    bad_lines = {v.line for v in violations if v.rule in _BAD_FIRST_REPLY}
    clean = [t for t in s.agent if t.line not in bad_lines]
    first = s.first_complaint_turn()
    replies = [t for t in s.agent if first is None or t.index > first.index]
    complaint = s.is_complaint
    evidence: dict[str, Turn | None] = {}

    first_reply = replies[0] if replies else None
    accept_ok = first_reply is not None and first_reply.line not in bad_lines and any(
        s.has(first_reply, cue) for cue in _FIRST_REPLY_CUES
    )
    evidence["accept"] = first_reply if accept_ok else None
    empathy = _first_position(s, [t for t in replies if t.line not in bad_lines], _EMPATHY)
    facts = _first_position(s, replies, _FACTS)
    calm_ok = empathy is not None and (facts is None or empathy <= facts)
    evidence["calm"] = s.turns[empathy[0]] if calm_ok and empathy is not None else None
    evidence["clarify"] = _first(s, clean, ("clarify_question", "check_system"))
    evidence["propose"] = _first(s, clean, ("offer_option", "commitment"))
    acted = _first(s, clean, ("commitment", "completion")) if (s.commitment.made or s.completed) else None
    evidence["act"] = acted
    evidence["thank"] = _first(s, s.agent, ("thanks",))
    evidence["follow_up"] = _first(s, clean, ("follow_up",))

    def kept(step: str) -> StepState:
        return "kept" if evidence[step] is not None else "missed"

    states: dict[str, StepState] = {
        "accept": kept("accept") if complaint else "n/a",
        "calm": kept("calm") if complaint else "n/a",
        "clarify": kept("clarify"),
        "propose": kept("propose"),
        "act": kept("act") if complaint else ("kept" if acted else "n/a"),
        "thank": kept("thank"),
        "follow_up": "kept" if evidence["follow_up"] else (
            "n/a" if not complaint or s.resolved_on_spot else "missed"
        ),
    }
    lines = {k: (v.evidence() if v is not None and states[k] == "kept" else None) for k, v in evidence.items()}
    return states, lines
