"""The typed, frozen shape of the assistant's playbooks (what ``playbook.py`` validates the YAML into)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from complaintdesk.assist.model import Avoid
from complaintdesk.assist.replies import Replies


@dataclass(frozen=True)
class ActionSpec:
    key: str
    action: str
    why: str
    source: str


@dataclass(frozen=True)
class StageSpec:
    name: str
    label: str
    needs: str
    actions: tuple[ActionSpec, ...]


@dataclass(frozen=True)
class Reasoned:
    label: str
    why: str
    source: str


@dataclass(frozen=True)
class TypeSpec:
    label: str
    action: str
    why: str
    source: str
    line: str


@dataclass(frozen=True)
class ThreatSpec:
    escalate_to: str | None
    priority: str
    action: str
    why: str
    source: str
    ours: tuple[str, ...] = ()  # words showing the complaint is about that body itself: no threat then
    # words that, in the same sentence as the body's name, show the complaint is about reaching that body
    # (市长热线……一直占线): the name is the line the customer could not get through to, not a body to go to
    ours_near: tuple[str, ...] = ()
    # a matter the assistant reads itself (``tactics.yaml`` ``matters``): its cue words, the words that silence a
    # cue (报警声: an alarm), the words just before it that make it the company sending the customer there
    # (让我自己去报警) and the negators just before it (没报警)
    cues: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    sent: tuple[str, ...] = ()
    negators: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleAction:
    match: str
    spec: ActionSpec


@dataclass(frozen=True)
class WaitSpec:
    what: str
    real_minutes: int
    reason: str
    # the text says the thing waited for has since been done (等了一个星期才有人来): that wait is used instead
    done_when: frozenset[str] = frozenset()
    done_wait: str | None = None


@dataclass(frozen=True)
class Playbook:
    version: str
    angry_intensity: float
    type_min_score: float
    max_types: int
    stages: Mapping[str, StageSpec]
    default_stage: str
    emotion_first: ActionSpec
    sincerity: tuple[ActionSpec, ...]
    respect: ActionSpec
    apology: Mapping[str, Reasoned]
    fault_categories: frozenset[str]
    techniques: Mapping[str, Reasoned]
    proud_types: frozenset[str]
    misunderstanding_categories: frozenset[str]
    humor_stages: frozenset[str]
    default_questions: Mapping[str, str]
    types: Mapping[str, TypeSpec]
    chronic_actions: tuple[ActionSpec, ...]
    timebox_minutes: int
    threats: Mapping[str, ThreatSpec]
    matters: Mapping[str, ThreatSpec]
    policy: Mapping[str, ActionSpec]
    rule_actions: tuple[RuleAction, ...]
    demand_labels: Mapping[str, str]
    remedy_labels: Mapping[str, str]
    escalation_labels: Mapping[str, str]
    avoid: Mapping[str, tuple[Avoid, ...]]
    templates: Mapping[str, Any]
    issues: Mapping[str, str]
    products: Mapping[str, str]
    margin_ratio: float
    min_margin_minutes: int
    timezone: str
    business_basis: bool
    round_due_minutes: int
    expectation_why: str
    expectation_source: str
    waits: Mapping[str, WaitSpec]
    default_wait: WaitSpec
    replies: Replies
