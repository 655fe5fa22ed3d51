"""``inspect``: a transcript in, a scorecard out. The score is computed from the rubric's weights and
deductions only, so a centre that edits the rubric changes the scores without touching code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from complaintdesk.quality.dimensions import respect_and_sincerity, steps
from complaintdesk.quality.emotion import chronic_complainer, customer_emotions, emotion_trend
from complaintdesk.quality.model import EndedBy, PairScore, Scorecard, StepState, Transcript, Violation
from complaintdesk.quality.rubric import Rubric, load_rubric
from complaintdesk.quality.rules import detect
from complaintdesk.quality.signals import Signals
from complaintdesk.quality.transcript import parse_transcript

_CHRONIC_NOTE = "客户疑似投诉成癖者（种子001：抵制向其道歉的诱惑，改问解决方案的问题）：不致歉不计为违规"


def compute_score(
    rubric: Rubric,
    respect: PairScore,
    sincerity: PairScore,
    step_states: Mapping[str, StepState],
    violations: Sequence[Violation],
) -> tuple[int, dict[str, float]]:
    """100 × Σ weight × component, minus each rule's deduction (repeats deduct repeat_factor more each,
    up to max_occurrences). A banned phrase deducts by its family's severity, each family counted apart.
    The result is banded: a call with a critical violation maps into 0..critical_cap, a call without one
    into critical_cap+1..100, so any call with a critical violation ranks below every call without one.
    Returns the score and the deduction per rule (banned phrases as ``banned_phrase:<family>``)."""
    kept = sum(1 for v in step_states.values() if v == "kept")
    judged = sum(1 for v in step_states.values() if v != "n/a")
    components = {
        "respect": respect.total / 20,
        "sincerity": sincerity.total / 20,
        "steps": kept / judged if judged else 1.0,
    }
    base = 100 * sum(rubric.weights[name] * value for name, value in components.items())
    deductions: dict[str, float] = {}
    keyed = Counter((f"{v.rule}:{v.family}" if v.family else v.rule, v.severity) for v in violations)
    for (key, severity), count in keyed.items():
        times = min(count, rubric.max_occurrences)
        rule = rubric.rules[key.split(":")[0]]
        each = rubric.severity_deduction.get(severity, rule.deduction) if ":" in key else rule.deduction
        deductions[key] = each * (1 + rubric.repeat_factor * (times - 1))
    raw = max(0.0, min(100.0, base - sum(deductions.values())))
    # two bands, each keeping the order of the raw scores: 0..cap with a critical violation, cap+1..100
    # without one (a floor or a clamp would tie every poor call at the boundary)
    cap = rubric.critical_cap
    if any(v.severity == "critical" for v in violations):
        return int(raw * cap / 100), deductions
    return round(cap + 1 + raw * (99 - cap) / 100), deductions


def call_topic(transcript: Transcript, rubric: Rubric) -> str | None:
    """The rubric topic most mentioned by the customer (then by anyone), or None."""
    for speaker in ("customer", "agent"):
        text = "".join(t.norm for t in transcript.by(speaker))
        counts = {name: sum(text.count(w) for w in words) for name, (words, _) in rubric.topics.items()}
        best = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
        if best[0] is not None and best[1] > 0:
            return best[0]
    return None


def _advice(violations: Sequence[Violation], rubric: Rubric, topic: str | None) -> list[Violation]:
    """Advice that fits the call: a topic's own wording when it has one, otherwise the neutral advice."""
    if topic is None:
        return list(violations)
    table = rubric.topics[topic][1]
    out = []
    for v in violations:
        phrase = v.why.split("」")[0].lstrip("「") if v.why.startswith("「") else ""
        better = table.get(phrase) or table.get(v.family or "") or table.get(v.rule)
        out.append(replace(v, instead=better) if better else v)
    return out


def inspect_transcript(
    transcript: Transcript, *, rubric: Rubric | None = None, use_analysis: bool = True
) -> Scorecard:
    """Score an already-parsed transcript."""
    rubric = rubric or load_rubric()
    emotions, source = customer_emotions(transcript.turns, rubric, use_analysis=use_analysis)
    chronic = chronic_complainer(transcript.turns, use_analysis=use_analysis)
    signals = Signals(transcript, rubric, emotions, chronic=chronic)
    topic = call_topic(transcript, rubric)
    violations = _advice(detect(signals), rubric, topic)
    respect, sincerity = respect_and_sincerity(signals, violations)
    step_states, step_lines = steps(signals, violations)
    score, deductions = compute_score(rubric, respect, sincerity, step_states, violations)
    ratio, _ = signals.talk_ratio()
    ended_by: EndedBy = transcript.ended_by
    if ended_by == "unknown":
        last = transcript.turns[-1]
        if signals.has(last, "hangup_self"):
            ended_by = last.speaker
    return Scorecard(
        score=score,
        respect=respect,
        sincerity=sincerity,
        steps=step_states,
        violations=tuple(violations),
        talk_ratio=ratio,
        interruptions=len(signals.interruptions()),
        commitment=signals.commitment,
        ended_by=ended_by,
        customer_emotion_trend=emotion_trend(emotions, rubric),
        downgraded_complaint=any(v.rule == "complaint_logged_as_enquiry" for v in violations),
        rubric_version=rubric.version,
        warnings=transcript.warnings + ((_CHRONIC_NOTE,) if chronic else ()),
        emotion_source=source,
        agent_id=transcript.agent_id,
        deductions=deductions,
        step_evidence=step_lines,
        topic=topic,
    )


def inspect(
    transcript: str | Sequence[Any] | Mapping[str, Any] | Transcript,
    *,
    logged_category: str | None = None,
    agent_id: str | None = None,
    rubric: Rubric | None = None,
    use_analysis: bool = True,
) -> Scorecard:
    """Inspect a transcript: text (``客服: …`` lines or JSON), decoded JSON, or a parsed Transcript.

    Raises InvalidInput for an empty or speaker-less transcript and InputTooLarge above the rubric's
    limits; a transcript with only the agent's side is scored with a warning.
    """
    rubric = rubric or load_rubric()
    if not isinstance(transcript, Transcript):
        transcript = parse_transcript(
            transcript, rubric=rubric, agent_id=agent_id, logged_category=logged_category
        )
    return inspect_transcript(transcript, rubric=rubric, use_analysis=use_analysis)
