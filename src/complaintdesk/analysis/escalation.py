"""The escalation risk's weights and the intake priority mapping, as data (``data/escalation.yaml``).

A centre's copy in the knowledge directory (``escalation.yaml``) replaces the packaged file; a bad
file is refused at load, naming the file, the entry and the field.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from complaintdesk.analysis.model import THREAT_KINDS
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import centre_file, knowledge_cache, read_data_file

FILE = "escalation.yaml"
PRIORITIES = ("low", "normal", "high", "urgent")


@dataclass(frozen=True, slots=True)
class Weight:
    weight: float
    reason: str
    at_least: float = 0.0  # the count or score from which it applies (repairs, demands, chronic score)


@dataclass(frozen=True, slots=True)
class PriorityRow:
    priority: str
    threats: frozenset[str] = frozenset()  # any of these kinds (empty: no condition on threats)
    risk_at_least: float | None = None

    def matches(self, kinds: set[str], risk: float) -> bool:
        if self.threats and not kinds & self.threats:
            return False
        return self.risk_at_least is None or risk >= self.risk_at_least


@dataclass(frozen=True, slots=True)
class Escalation:
    source: str
    threats: Mapping[str, Weight]
    anger_base: float
    anger_per_intensity: float
    anger_reason: str
    asks_superior: Weight
    repeated_repairs: Weight
    intimidating: Weight
    chronic: Weight
    many_demands: Weight
    priority: tuple[PriorityRow, ...]

    def priority_for(self, threat_kinds: Iterable[str], risk: float) -> str:
        """The priority a new complaint opens with: the first row of the mapping that matches."""
        kinds = set(threat_kinds)
        return next((row.priority for row in self.priority if row.matches(kinds, risk)), "normal")


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> ConfigurationError:
        return ConfigurationError(f"升级风险文件 {self.source} 有误：{where}：{problem}", field=f"{FILE}:{where}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, "应为映射")
        return value

    def number(self, value: Any, where: str, upper: float = 1.0) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= upper:
            raise self.fail(where, f"应为 0 到 {upper:g} 之间的数，得到 {value!r}")
        return float(value)

    def reason(self, value: Any, where: str, allowed: frozenset[str] = frozenset()) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "缺少理由文字")
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            raise self.fail(where, f"花括号不成对：{exc}") from None
        unknown = sorted(names - allowed)
        if unknown:
            shown = ", ".join("{" + n + "}" for n in sorted(allowed)) or "无"
            raise self.fail(where, f"不认识的占位符 {{{unknown[0]}}}，可用：{shown}")
        return value.strip()

    def weight(
        self, data: Mapping[str, Any], key: str, *, placeholder: str = "", upper: float | None = None
    ) -> Weight:
        """An entry's weight and reason; ``upper`` given: it also needs ``at_least`` up to that bound."""
        entry = self.mapping(data.get(key), key)
        at_least = self.number(entry.get("at_least"), f"{key}.at_least", upper) if upper is not None else 0.0
        allowed = frozenset({placeholder}) if placeholder else frozenset()
        return Weight(self.number(entry.get("weight"), f"{key}.weight"),
                      self.reason(entry.get("reason"), f"{key}.reason", allowed), at_least)


def _priority(r: _Reader, raw: Any) -> tuple[PriorityRow, ...]:
    if not isinstance(raw, list) or not raw:
        raise r.fail("priority", "应为非空列表（自上而下第一条符合的生效）")
    rows = []
    for index, item in enumerate(raw):
        where = f"priority[{index}]"
        entry = r.mapping(item, where)
        if entry.get("priority") not in PRIORITIES:
            raise r.fail(f"{where}.priority", f"应为 {'、'.join(PRIORITIES)} 之一，得到 {entry.get('priority')!r}")
        threats = entry.get("threats", [])
        if not isinstance(threats, list) or any(t not in THREAT_KINDS for t in threats):
            raise r.fail(f"{where}.threats", f"应为威胁类型列表，可选：{', '.join(THREAT_KINDS)}")
        risk = entry.get("risk_at_least")
        rows.append(PriorityRow(str(entry["priority"]), frozenset(threats),
                                None if risk is None else r.number(risk, f"{where}.risk_at_least")))
    return tuple(rows)


def parse_escalation(data: Any, source: str) -> Escalation:
    r = _Reader(source)
    d = r.mapping(data, "(top level)")
    raw_threats = r.mapping(d.get("threats"), "threats")
    missing = [k for k in THREAT_KINDS if k not in raw_threats]
    if missing:
        raise r.fail(f"threats.{missing[0]}", "每种威胁都要给出权重")
    unknown = sorted(set(raw_threats) - set(THREAT_KINDS))
    if unknown:
        raise r.fail(f"threats.{unknown[0]}", f"未知威胁类型，可选：{', '.join(THREAT_KINDS)}")
    anger = r.mapping(d.get("anger"), "anger")
    return Escalation(
        source=str(d.get("source") or ""),
        threats={k: r.weight(raw_threats, k) for k in THREAT_KINDS},
        anger_base=r.number(anger.get("base"), "anger.base"),
        anger_per_intensity=r.number(anger.get("per_intensity"), "anger.per_intensity"),
        anger_reason=r.reason(anger.get("reason"), "anger.reason", frozenset({"intensity"})),
        asks_superior=r.weight(d, "asks_superior"),
        repeated_repairs=r.weight(d, "repeated_repairs", placeholder="repairs", upper=100),
        intimidating=r.weight(d, "intimidating"),
        chronic=r.weight(d, "chronic", upper=1.0),
        many_demands=r.weight(d, "many_demands", placeholder="demands", upper=100),
        priority=_priority(r, d.get("priority")),
    )


def escalation_in(directory: Path | None) -> Escalation:
    """The weights and priority mapping a knowledge directory makes."""
    path = centre_file(directory, FILE)
    data, source = read_data_file(path, "complaintdesk.analysis.data", FILE, "升级风险文件", "escalation")
    return parse_escalation(data, source)


@knowledge_cache("escalation")
def active_escalation(directory: Path | None) -> Escalation:
    return escalation_in(directory)
