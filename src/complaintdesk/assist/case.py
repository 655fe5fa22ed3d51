"""One view of a complaint for the assistant: the analysis, the policy result, the raw facts and the stage.

Everything is optional upstream; here missing parts become neutral defaults, so the rules downstream
never have to ask "is there an analysis at all?".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from complaintdesk.analysis.model import Analysis, Span
from complaintdesk.assist.model import Evidence
from complaintdesk.assist.playbook import STAGES
from complaintdesk.assist.specs import Playbook
from complaintdesk.policy.result import PolicyResult, RuleRef, Verdict
from complaintdesk.text import normalise

NEGATIVE_EMOTIONS = ("anger", "anxiety", "disappointment")
# how a reply goes out → the register of the draft (spoken, a text message, a letter or e-mail)
REGISTERS = {"phone": "phone", "walk_in": "phone", "chat": "sms", "sms": "sms", "letter": "letter",
             "email": "letter", "web": "letter", "regulator_transfer": "letter", "import": "phone"}


def span_evidence(spans: tuple[Span, ...]) -> tuple[Evidence, ...]:
    return tuple(Evidence("span", s.text, s.start, s.end) for s in spans)


_SENTENCE_ENDS = "。！？!?；;\n"


def sentence_span(text: str, at: int) -> tuple[int, int]:
    """Where the sentence of ``text`` that holds position ``at`` begins and ends."""
    begin = max((text.rfind(b, 0, at) for b in _SENTENCE_ENDS), default=-1) + 1
    ends = [i for i in (text.find(b, at) for b in _SENTENCE_ENDS) if i >= 0]
    return begin, min(ends, default=len(text))


def sentence_at(text: str, at: int) -> str:
    """The sentence of ``text`` that holds position ``at``."""
    begin, end = sentence_span(text, at)
    return text[begin:end]


def rule_evidence(rule: RuleRef) -> Evidence:
    """The rule in the agent's words, its code in full-width brackets after the Chinese (the why detail shows it)."""
    return Evidence("rule", f"{rule.source}{rule.article}（{rule.id}）")


@dataclass(frozen=True)
class Case:
    analysis: Analysis
    policy: PolicyResult | None
    facts: Mapping[str, Any]
    stage: str
    stage_given: str | None
    now: datetime | None
    types: tuple[tuple[str, tuple[Evidence, ...]], ...]
    angry: bool
    register: str = "phone"
    # the complaint's words and the customer's messages, where questions are answered, in their simplified
    # reading (the same length as the original, so spans keep their offsets): the cue lists are written once
    # in simplified script and read Taiwan and Hong Kong complaints too
    text: str = ""
    read_category: str | None = None  # the analysed category, kept only when the text has words of it

    @property
    def category(self) -> str:
        label = self.facts.get("category")
        if isinstance(label, str) and label:
            return label
        return self.read_category if self.read_category is not None else self.analysis.category.label

    @property
    def chronic(self) -> bool:
        return self.analysis.chronic_complainer.likely

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.types)

    @property
    def demands(self) -> tuple[str, ...]:
        kinds = list(self.analysis.demand_kinds)
        if self.policy is not None:
            kinds += [d.demand for d in self.policy.demands]
        raw = self.facts.get("demands")
        if isinstance(raw, list):
            kinds += [str(d) for d in raw]
        return tuple(dict.fromkeys(kinds))

    def verdicts(self, verdict: Verdict) -> list[str]:
        if self.policy is None:
            return []
        return [d.demand for d in self.policy.demands if d.verdict is verdict]

    def cited_rules(self) -> list[RuleRef]:
        """Every rule the policy result cites, first occurrence first."""
        if self.policy is None:
            return []
        rules: list[RuleRef] = []
        for d in self.policy.demands:
            rules += d.rules
        for v in self.policy.company_violations:
            rules.append(v.rule)
        for r in self.policy.remedies:
            rules += r.rules
        return list({r.id: r for r in rules}.values())

    def fact(self, *path: str) -> Any:
        """A nested fact (``fact("billing", "monthly_fee")``), or None."""
        node: Any = self.facts
        for key in path:
            if not isinstance(node, Mapping):
                return None
            node = node.get(key)
        return node


def build_case(
    analysis: Analysis,
    policy: PolicyResult | None,
    facts: Mapping[str, Any],
    stage: str | None,
    now: datetime | None,
    pb: Playbook,
    channel: str | None = None,
    text: str = "",
) -> tuple[Case, tuple[str, ...]]:
    """The case and the notes about defaults taken (unknown stage …)."""
    notes: list[str] = []
    chosen = (stage or "").strip().lower().replace("-", "_")
    if not chosen:
        chosen = pb.default_stage
        notes.append(f"未指定处理阶段，按「{pb.stages[chosen].label}」（{chosen}）给出建议")
    elif chosen not in STAGES:
        notes.append(f"未知阶段 {stage!r}，按「{pb.stages[pb.default_stage].label}」（{pb.default_stage}）给出建议；"
                     f"可选阶段：{', '.join(STAGES)}")
        chosen = pb.default_stage
    ranked = sorted(analysis.customer_types, key=lambda t: -t.score)
    types = tuple(
        (t.type, span_evidence(t.evidence)) for t in ranked if t.score >= pb.type_min_score and t.type in pb.types
    )[: pb.max_types]
    emotion = analysis.emotion
    angry = emotion.label in NEGATIVE_EMOTIONS and emotion.intensity >= pb.angry_intensity
    given = channel or facts.get("reply_channel")
    register = REGISTERS.get(str(given or "phone"), "phone")
    text = normalise(text).text
    label = analysis.category.label
    needs = pb.replies.category_words.get(label)
    read = "other" if text.strip() and needs and not any(w in text for w in needs) else label
    case = Case(analysis, policy, facts, chosen, stage, now, types, angry, register, text, read)
    return case, tuple(notes)
