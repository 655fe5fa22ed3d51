"""The typed, frozen result of reading one complaint; ``to_dict()`` is the JSON contract (issue 3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from complaintdesk.domain.vocab import CATEGORY_KEYS

EMOTION_LABELS = ("anger", "anxiety", "disappointment", "calm")
CUSTOMER_TYPES = (
    "intimidating",
    "whiner",
    "silent",
    "friendly",
    "negative",
    "know_it_all",
    "procrastinator",
    "stubborn",
    "nagger",
    "self_important",
    "boss_demander",
)
CHRONIC_SIGNS = ("blames_others", "never_accepts_fault", "absolute_language", "endless_list")
DEMAND_KINDS = (
    "refund",
    "exchange",
    "repair",
    "compensation",
    "apology",
    "explanation",
    "restore_service",
    "escalate",
    "expedite",
    "waive_fee",
    "discipline_staff",
    "reship",  # 补发: send the missing goods or parts
    "cancel_account",  # 注销: close an account, a number, a membership
    "price_difference",  # 差价 / 保价: pay back a price difference
    "credit_record",  # 征信: correct or remove a bad credit record
    "ship",  # 发货: send goods paid for and not yet shipped
)
THREAT_KINDS = ("media", "regulator", "lawyer", "social_media", "violence", "churn")
# What the customer says the company did wrong (issue 19): these set the apology style in assist and
# point the agent at facts for the policy engine.
COMPANY_FAULTS = (
    "missed_appointment",
    "broken_promise",
    "staff_misconduct",
    "billing_error",
    "wrongful_suspension",
    "not_as_described",
    "runaround",
)
CATEGORY_LABELS = CATEGORY_KEYS  # the product's one category list (complaintdesk/data/categories.yaml)


# The labelled fields of a reading and their vocabularies: one place for the evaluator, the trainer and
# the agents' corrections.
SINGLE_LABEL_FIELDS: dict[str, tuple[str, ...]] = {"emotion": EMOTION_LABELS, "category": CATEGORY_LABELS}
MULTI_LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "customer_types": CUSTOMER_TYPES,
    "demands": DEMAND_KINDS,
    "threats": THREAT_KINDS,
    "company_faults": COMPANY_FAULTS,
}

@dataclass(frozen=True, slots=True)
class Span:
    """A piece of evidence: ``text == original[start:end]`` of the ORIGINAL input (not the normalised one)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


def _spans(spans: tuple[Span, ...]) -> list[dict[str, Any]]:
    return [s.to_dict() for s in spans]


def _with_model(data: dict[str, Any], model: float | None) -> dict[str, Any]:
    """A label the learned layer decided carries its probability; one with no cue span says so."""
    if model is not None:
        data["model"] = round(model, 3)
    return data


@dataclass(frozen=True, slots=True)
class Emotion:
    label: str
    intensity: float
    evidence: tuple[Span, ...] = ()
    # -1 (pleased) … 0 (neutral) … 1 (furious): how unhappy the text reads, whatever the label.
    dissatisfaction: float = 0.0
    model: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_model(
            {
                "label": self.label,
                "intensity": round(self.intensity, 3),
                "dissatisfaction": round(self.dissatisfaction, 3),
                "evidence": _spans(self.evidence),
            },
            self.model,
        )


@dataclass(frozen=True, slots=True)
class CustomerType:
    type: str
    score: float
    evidence: tuple[Span, ...] = ()
    model: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_model(
            {"type": self.type, "score": round(self.score, 3), "evidence": _spans(self.evidence)}, self.model
        )


@dataclass(frozen=True, slots=True)
class ChronicSign:
    sign: str
    evidence: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"sign": self.sign, "evidence": _spans(self.evidence)}


@dataclass(frozen=True, slots=True)
class ChronicComplainer:
    score: float = 0.0
    signs: tuple[ChronicSign, ...] = ()

    @property
    def likely(self) -> bool:
        """Seed 001: several signs together, not one word, make a 投诉成癖者."""
        return self.score >= 0.5

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 3), "likely": self.likely, "signs": [s.to_dict() for s in self.signs]}


@dataclass(frozen=True, slots=True)
class Demand:
    kind: str
    evidence: tuple[Span, ...] = ()
    model: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_model({"kind": self.kind, "evidence": _spans(self.evidence)}, self.model)


@dataclass(frozen=True, slots=True)
class Threat:
    kind: str
    evidence: tuple[Span, ...] = ()
    model: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_model({"kind": self.kind, "evidence": _spans(self.evidence)}, self.model)


@dataclass(frozen=True, slots=True)
class CompanyFault:
    kind: str
    evidence: tuple[Span, ...] = ()
    model: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_model({"kind": self.kind, "evidence": _spans(self.evidence)}, self.model)


@dataclass(frozen=True, slots=True)
class Category:
    label: str = "other"
    evidence: tuple[Span, ...] = ()
    scores: tuple[tuple[str, float], ...] = ()
    model: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_model(
            {
                "label": self.label,
                "evidence": _spans(self.evidence),
                "scores": {k: round(v, 3) for k, v in self.scores},
            },
            self.model,
        )


@dataclass(frozen=True, slots=True)
class Facts:
    purchase_date: str | None = None
    days_since_purchase: int | None = None
    repair_count: int | None = None
    amounts_yuan: tuple[float, ...] = ()
    product_models: tuple[str, ...] = ()
    durations_days: tuple[float, ...] = ()
    evidence: tuple[tuple[str, Span], ...] = ()
    fault_date: str | None = None  # when the fault appeared, as the text dates it

    def to_dict(self) -> dict[str, Any]:
        return {
            "purchase_date": self.purchase_date,
            "fault_date": self.fault_date,
            "days_since_purchase": self.days_since_purchase,
            "repair_count": self.repair_count,
            "amounts_yuan": [_number(a) for a in self.amounts_yuan],
            "product_models": list(self.product_models),
            "durations_days": [_number(d) for d in self.durations_days],
            "evidence": [{"fact": name, **span.to_dict()} for name, span in self.evidence],
        }


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


@dataclass(frozen=True, slots=True)
class EscalationRisk:
    score: float = 0.0
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 3), "reasons": list(self.reasons)}


@dataclass(frozen=True, slots=True)
class Analysis:
    emotion: Emotion = field(default_factory=lambda: Emotion("calm", 0.0))
    customer_types: tuple[CustomerType, ...] = ()
    chronic_complainer: ChronicComplainer = field(default_factory=ChronicComplainer)
    demands: tuple[Demand, ...] = ()
    threats: tuple[Threat, ...] = ()
    company_faults: tuple[CompanyFault, ...] = ()
    category: Category = field(default_factory=Category)
    facts: Facts = field(default_factory=Facts)
    escalation_risk: EscalationRisk = field(default_factory=EscalationRisk)
    notes: tuple[str, ...] = ()
    script: str = "simplified"

    @property
    def demand_kinds(self) -> tuple[str, ...]:
        return tuple(d.kind for d in self.demands)

    @property
    def threat_kinds(self) -> tuple[str, ...]:
        return tuple(t.kind for t in self.threats)

    @property
    def fault_kinds(self) -> tuple[str, ...]:
        return tuple(f.kind for f in self.company_faults)

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(t.type for t in self.customer_types)

    def to_dict(self) -> dict[str, Any]:
        return {
            "emotion": self.emotion.to_dict(),
            "customer_types": [t.to_dict() for t in self.customer_types],
            "chronic_complainer": self.chronic_complainer.to_dict(),
            "demands": [d.to_dict() for d in self.demands],
            "threats": [t.to_dict() for t in self.threats],
            "company_faults": [f.to_dict() for f in self.company_faults],
            "category": self.category.to_dict(),
            "facts": self.facts.to_dict(),
            "escalation_risk": self.escalation_risk.to_dict(),
            "notes": list(self.notes),
            "script": self.script,
        }


EMPTY = Analysis()
