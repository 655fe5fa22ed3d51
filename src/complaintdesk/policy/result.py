"""What the policy engine answers: verdicts per demand, violations, remedies, deadlines, authority.

Every judgement names the rules it rests on (``RuleRef``: id, source, article, text), so an agent can
quote the law or the company rule to the customer. ``to_dict()`` gives the RESULT contract of issue 8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    ENTITLED = "entitled"  # the customer has a right to it: grant it, do not bargain
    DISCRETIONARY = "discretionary"  # no right, but the company may grant it within authority
    NOT_ENTITLED = "not_entitled"  # neither law nor company promise gives it: explain why, politely
    UNKNOWN = "unknown"  # facts missing or unclear: ask the questions in ``missing_facts``


# how a reason names a verdict to the agent (the policy panel's labels say the same)
VERDICT_WORDS = {Verdict.ENTITLED: "有权获得", Verdict.DISCRETIONARY: "可酌情给予",
                 Verdict.NOT_ENTITLED: "无权获得", Verdict.UNKNOWN: "待核实"}


# Which verdict wins when several rules speak to one demand: one right is enough; a possible right
# (facts missing) must be checked before saying no.
VERDICT_RANK: dict[Verdict, int] = {
    Verdict.ENTITLED: 3,
    Verdict.UNKNOWN: 2,
    Verdict.DISCRETIONARY: 1,
    Verdict.NOT_ENTITLED: 0,
}


@dataclass(frozen=True)
class RuleRef:
    """A rule as cited in a result: where it comes from and what it says."""

    id: str
    source: str
    article: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "source": self.source, "article": self.article, "text": self.text}


@dataclass(frozen=True)
class DemandVerdict:
    demand: str
    verdict: Verdict
    reason: str
    rules: tuple[RuleRef, ...] = ()
    missing_facts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "demand": self.demand,
            "verdict": self.verdict.value,
            "reason": self.reason,
            "rules": [r.to_dict() for r in self.rules],
            "missing_facts": list(self.missing_facts),
        }


# Every code a company violation carries (a refused remedy adds ":<demand>"). The assistant words each one
# for the customer (assist/data/replies.yaml ``violations``); a code not listed here is refused when found.
VIOLATION_CODES = (
    "wrongful_suspension", "late_restore", "no_disposal_notice", "not_lifted_after_check",
    "unconsented_charge", "spike_not_notified", "refused_remedy", "no_returns_notice", "repair_only_notice",
    "not_quality_notice", "no_refund_notice", "fraud", "food_unsafe", "promise_broken",
)


# Every kind of remedy the rules compute. The assistant says each one the customer receives and never says
# what the customer owes (assist/data/replies.yaml ``remedies``); an unlisted kind is refused.
REMEDY_KINDS = ("refund", "pro_rata_refund", "punitive_compensation", "food_compensation", "late_fee_max")


def violation_kind(code: str) -> str:
    """The listed code a violation's code is of (``refused_remedy:refund`` → ``refused_remedy``)."""
    return code.split(":", 1)[0]


@dataclass(frozen=True)
class Violation:
    """Something the company did that a rule forbids (the agent should own it, not defend it)."""

    rule: RuleRef
    finding: str
    code: str = ""  # what kind of conduct: fraud, wrongful_suspension, refused_remedy:refund, no_returns_notice ...

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "rule": self.rule.to_dict(), "finding": self.finding}


@dataclass(frozen=True)
class Remedy:
    kind: str
    amount_yuan: float | None
    computation: str
    rules: tuple[RuleRef, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in REMEDY_KINDS:
            raise ValueError(f"unlisted remedy kind {self.kind!r}: add it to policy.result.REMEDY_KINDS")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "amount_yuan": self.amount_yuan,
            "computation": self.computation,
            "rules": [r.to_dict() for r in self.rules],
        }


@dataclass(frozen=True)
class Deadline:
    what: str
    due: date
    rules: tuple[RuleRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "due": self.due.isoformat(), "rules": [r.to_dict() for r in self.rules]}


@dataclass(frozen=True)
class Authority:
    offer_allowed: bool
    escalate_to: str | None
    reason: str
    rules: tuple[RuleRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"offer_allowed": self.offer_allowed, "escalate_to": self.escalate_to, "reason": self.reason}


@dataclass(frozen=True)
class PolicyResult:
    demands: tuple[DemandVerdict, ...] = ()
    company_violations: tuple[Violation, ...] = ()
    remedies: tuple[Remedy, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    authority: Authority = field(
        default_factory=lambda: Authority(False, None, "尚未拟定方案，也不知道处理人的角色")
    )

    @property
    def questions(self) -> tuple[str, ...]:
        """Every missing fact across the demands, once, in order: what the agent should ask next."""
        return tuple(dict.fromkeys(q for d in self.demands for q in d.missing_facts))

    def verdict_for(self, demand: str) -> DemandVerdict | None:
        return next((d for d in self.demands if d.demand == demand), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "demands": [d.to_dict() for d in self.demands],
            "company_violations": [v.to_dict() for v in self.company_violations],
            "remedies": [r.to_dict() for r in self.remedies],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "authority": self.authority.to_dict(),
        }
