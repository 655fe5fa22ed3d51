"""The frozen result of ``advise()``; ``Advice.to_dict()`` is the JSON contract of issue 4.

Every piece of advice says why and which seed rule it comes from; where the advice rests on the
complaint text, the analysis spans behind it travel along as ``evidence``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

STYLES = ("full", "non_admission", "none")
TECHNIQUES = ("calm_anger", "tactful_denial", "transformation", "admit_error", "redirect", "humor")
ESCALATION_LEVELS = ("team_lead", "manager", "head_office")
PRIMARY_ORDER = ("escalate", "admit_violation", "ask_missing_facts", "emotion_first")
SUPPORTING = frozenset({"understand_and_acknowledge", "record_known_facts"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why the engine believes something: a text span of the complaint, or a rule it cites."""

    kind: str  # "span" | "rule" | "fact"
    text: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.start is not None:
            out["start"] = self.start
            out["end"] = self.end
        return out


def _evidence(items: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in items]


@dataclass(frozen=True, slots=True)
class NextAction:
    key: str
    action: str
    why: str
    source: str
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "action": self.action,
            "why": self.why,
            "source": self.source,
            "evidence": _evidence(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class Technique:
    name: str
    label: str
    why: str
    source: str
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "why": self.why,
            "source": self.source,
            "evidence": _evidence(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class Apology:
    style: str
    text: str
    why: str
    source: str = ""
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "style": self.style,
            "text": self.text,
            "why": self.why,
            "source": self.source,
            "evidence": _evidence(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class Avoid:
    phrase_or_behaviour: str
    why: str
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"phrase_or_behaviour": self.phrase_or_behaviour, "why": self.why, "source": self.source}


@dataclass(frozen=True, slots=True)
class Expectation:
    promise: str
    due: datetime | None
    reason: str
    real_minutes: int
    quoted_minutes: int
    why: str = ""
    source: str = ""
    capped_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "promise": self.promise,
            "due": self.due.isoformat() if self.due is not None else None,
            "reason": self.reason,
            "real_minutes": self.real_minutes,
            "quoted_minutes": self.quoted_minutes,
            "why": self.why,
            "source": self.source,
            "capped_by": self.capped_by,
        }


@dataclass(frozen=True, slots=True)
class Escalation:
    to: str | None
    why: str
    source: str = ""
    priority: str = "normal"
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "why": self.why,
            "source": self.source,
            "priority": self.priority,
            "evidence": _evidence(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class Advice:
    stage: str
    next_actions: tuple[NextAction, ...]
    technique: Technique
    apology: Apology
    reply_draft: str
    avoid: tuple[Avoid, ...]
    expectation: Expectation | None
    escalate: Escalation
    questions: tuple[str, ...] = ()
    customer_types: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def primary_action(self) -> NextAction | None:
        """The one thing to do next: escalate what is beyond authority, then ask what is unknown, then
        calm the customer, then the stage's own first step."""
        for key in PRIMARY_ORDER:
            found = self.action(key)
            if found is not None:
                return found
        stage_first = next((a for a in self.next_actions if a.key not in SUPPORTING), None)
        return stage_first or (self.next_actions[0] if self.next_actions else None)

    def action_keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.next_actions)

    def action(self, key: str) -> NextAction | None:
        return next((a for a in self.next_actions if a.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "next_actions": [a.to_dict() for a in self.next_actions],
            "next_action": self.primary_action.key if self.primary_action is not None else None,
            "technique": self.technique.name,
            "technique_detail": self.technique.to_dict(),
            "apology": self.apology.to_dict(),
            "reply_draft": self.reply_draft,
            "avoid": [a.to_dict() for a in self.avoid],
            "expectation": self.expectation.to_dict() if self.expectation is not None else None,
            "escalate": self.escalate.to_dict(),
            "questions": list(self.questions),
            "customer_types": list(self.customer_types),
            "notes": list(self.notes),
        }
