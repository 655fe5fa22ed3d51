"""尊重 = 理解 + 认同, 真诚 = 情感 + 协助 (seed 002), and the seven steps (seed 001 + 跟踪服务)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from complaintdesk.quality.model import EvidenceLine, PairScore, StepState, Turn, Violation
from complaintdesk.quality.signals import Signals

_FIRST_REPLY_CUES = ("greeting", "acknowledge", "apology_any", "check_system", "reassure", "proactive")
_BAD_FIRST_REPLY = ("forbidden_phrase", "cold_phrase", "blame_colleague", "refusal_without_alternative")


def _dimension(s: Signals, name: str, penalties: Mapping[str, float]) -> tuple[float, list[Turn]]:
    points = 0.0
    lines: list[Turn] = []
    for cue, value in s.rubric.dimensions[name]:
        hits = s.agent_has(cue)
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
    understanding, u_lines = _dimension(s, "understanding", penalties)
    acknowledgement, a_lines = _dimension(s, "acknowledgement", penalties)
    emotion, e_lines = _dimension(s, "emotion", penalties)
    assistance, h_lines = _dimension(s, "assistance", penalties)
    respect = PairScore("understanding", understanding, "acknowledgement", acknowledgement,
                        _evidence(u_lines + a_lines))
    sincerity = PairScore("emotion", emotion, "assistance", assistance, _evidence(e_lines + h_lines))
    return respect, sincerity


def steps(s: Signals, violations: Sequence[Violation]) -> dict[str, StepState]:
    """Which of the seven steps the agent kept; calm and accept only apply to a complaint."""
    def kept(ok: bool) -> StepState:
        return "kept" if ok else "missed"

    bad_lines = {v.line for v in violations if v.rule in _BAD_FIRST_REPLY}
    first = s.first_complaint_turn()
    replies = [t for t in s.agent if first is None or t.index > first.index]
    first_reply = replies[0] if replies else None
    accept_ok = first_reply is not None and first_reply.line not in bad_lines and any(
        s.has(first_reply, cue) for cue in _FIRST_REPLY_CUES
    )
    calm_ok = any(s.agent_has(cue) for cue in ("reassure", "apology_sincere", "acknowledge"))
    complaint = s.is_complaint
    acted = s.commitment.made or s.completed
    follow: StepState = "kept" if s.agent_has("follow_up") else (
        "n/a" if not complaint or s.resolved_on_spot else "missed"
    )
    return {
        "accept": kept(accept_ok) if complaint else "n/a",
        "calm": kept(calm_ok) if complaint else "n/a",
        "clarify": kept(bool(s.agent_has("clarify_question") or s.agent_has("check_system"))),
        "propose": kept(bool(s.agent_has("offer_option") or s.commitment.made)),
        "act": kept(acted) if complaint else ("kept" if acted else "n/a"),
        "thank": kept(bool(s.agent_has("thanks") or s.agent_has("patience_praise"))),
        "follow_up": follow,
    }
