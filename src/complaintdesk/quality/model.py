"""Result types of the quality engine: transcript turns, evidence lines, violations and the scorecard."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Speaker = Literal["agent", "customer"]
StepState = Literal["kept", "missed", "n/a"]
Trend = Literal["improved", "same", "worse"]
EndedBy = Literal["agent", "customer", "unknown"]


@dataclass(frozen=True)
class Turn:
    """One utterance. ``line`` is the 1-based line in the source text (or position in a JSON list)."""

    index: int
    line: int
    speaker: Speaker
    text: str
    norm: str  # simplified-Chinese, used for matching only; evidence always quotes ``text``
    t: float | None = None
    cut_off: bool = False  # the line was marked as cut off by the next speaker

    def evidence(self) -> EvidenceLine:
        return EvidenceLine(self.line, self.speaker, self.text)


@dataclass(frozen=True)
class Transcript:
    turns: tuple[Turn, ...]
    ended_by: EndedBy = "unknown"
    ended_line: int | None = None
    warnings: tuple[str, ...] = ()
    agent_id: str | None = None
    logged_category: str | None = None

    def by(self, speaker: Speaker) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.speaker == speaker)


@dataclass(frozen=True)
class EvidenceLine:
    line: int
    speaker: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "speaker": self.speaker, "text": self.text}


@dataclass(frozen=True)
class Violation:
    rule: str
    severity: str
    line: int
    text: str
    why: str
    title: str = ""
    source: str = ""
    match: str | None = None  # the words that triggered the rule, when there are any
    instead: str | None = None  # what to say instead, for phrase rules
    span: tuple[int, int] | None = None  # offsets of ``match`` in ``text``
    family: str | None = None  # banned-phrase family code (bank rule only)
    bank_entry: str | None = None  # the bank's phrase this match stands for
    bank_source: str | None = None  # URL of the norm that bans it

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule, "severity": self.severity, "line": self.line, "text": self.text,
            "why": f"{self.why}（依据：{self.source}）" if self.source else self.why,
            "title": self.title,
        }
        if self.match is not None:
            out["match"] = self.match
        if self.span is not None:
            out["span"] = list(self.span)
        if self.instead is not None:
            out["instead"] = self.instead
        if self.family is not None:
            out["family"] = self.family
            out["bank_entry"] = self.bank_entry
            out["bank_source"] = self.bank_source
        return out


@dataclass(frozen=True)
class PairScore:
    """Two 0-10 sub-scores and the lines that earned them (尊重 = 理解 + 认同, 真诚 = 情感 + 协助)."""

    first_name: str
    first: float
    second_name: str
    second: float
    evidence: tuple[EvidenceLine, ...] = ()

    @property
    def total(self) -> float:
        return self.first + self.second

    def to_dict(self) -> dict[str, Any]:
        return {
            self.first_name: round(self.first, 1),
            self.second_name: round(self.second, 1),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class Commitment:
    made: bool
    concrete: bool
    evidence: tuple[EvidenceLine, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        evidence = [e.to_dict() for e in self.evidence]
        return {"made": self.made, "concrete": self.concrete, "evidence": evidence}


@dataclass(frozen=True)
class Scorecard:
    score: int
    respect: PairScore
    sincerity: PairScore
    steps: Mapping[str, StepState]
    violations: tuple[Violation, ...]
    talk_ratio: float
    interruptions: int
    commitment: Commitment
    ended_by: EndedBy
    customer_emotion_trend: Trend
    downgraded_complaint: bool
    rubric_version: str
    warnings: tuple[str, ...] = ()
    emotion_source: str = "cues"
    agent_id: str | None = None
    deductions: Mapping[str, float] = field(default_factory=dict)
    step_evidence: Mapping[str, EvidenceLine | None] = field(default_factory=dict)
    topic: str | None = None  # the call's topic (rubric topics), which picks the advice shown

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "respect": self.respect.to_dict(),
            "sincerity": self.sincerity.to_dict(),
            "steps": dict(self.steps),
            "violations": [v.to_dict() for v in self.violations],
            "talk_ratio": round(self.talk_ratio, 3),
            "interruptions": self.interruptions,
            "commitment": self.commitment.to_dict(),
            "ended_by": self.ended_by,
            "customer_emotion_trend": self.customer_emotion_trend,
            "downgraded_complaint": self.downgraded_complaint,
            "warnings": list(self.warnings),
            "rubric_version": self.rubric_version,
            "emotion_source": self.emotion_source,
            "agent_id": self.agent_id,
            "deductions": {k: round(v, 1) for k, v in self.deductions.items()},
            "step_evidence": {
                k: v.to_dict() if v is not None else ("n/a" if self.steps.get(k) == "n/a" else "missed")
                for k, v in self.step_evidence.items()
            },
            "topic": self.topic,
        }
