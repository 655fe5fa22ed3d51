"""SLA targets and escalation thresholds, loaded from ``complaintdesk/data/sla.yaml``.

The file is the centre's to edit: targets per clock kind with per-segment overrides (seed 003
handles phone, web-order, key-account and walk-in customers differently), and the ratios at which
a clock warns and escalates. A bad file is refused whole, naming the file, the entry and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any

from complaintdesk.domain.calendar import BusinessCalendar
from complaintdesk.domain.errors import ConfigurationError, InvalidInput
from complaintdesk.domain.sla_time import MAX_DURATION, TimeBasis, working_day_length
from complaintdesk.domain.vocab import Segment
from complaintdesk.yamldata import centre_file, knowledge_cache, read_data_file

DEFAULT_FILE = "sla.yaml"


class ClockKind(StrEnum):
    ACCEPTANCE = "acceptance"  # 受理
    FIRST_RESPONSE = "first_response"  # 首次响应
    RESOLUTION = "resolution"  # 解决
    FOLLOW_UP = "follow_up"  # 回访
    PROMISE = "promise"  # 对客户的承诺


CLOCK_LABELS_ZH: dict[ClockKind, str] = {
    ClockKind.ACCEPTANCE: "受理",
    ClockKind.FIRST_RESPONSE: "首次响应",
    ClockKind.RESOLUTION: "解决",
    ClockKind.FOLLOW_UP: "回访",
    ClockKind.PROMISE: "承诺",
}

# unit name in the file -> (basis, length of one unit; None = one working day of the calendar)
_MICROSECOND = timedelta(microseconds=1)
_UNITS: dict[str, tuple[TimeBasis, timedelta | None]] = {
    "business_minutes": (TimeBasis.BUSINESS, timedelta(minutes=1)),
    "business_hours": (TimeBasis.BUSINESS, timedelta(hours=1)),
    "working_days": (TimeBasis.BUSINESS, None),
    "minutes": (TimeBasis.CALENDAR, timedelta(minutes=1)),
    "hours": (TimeBasis.CALENDAR, timedelta(hours=1)),
    "days": (TimeBasis.CALENDAR, timedelta(days=1)),
}


@dataclass(frozen=True)
class SlaTarget:
    """One target: an amount of a unit (the unit fixes the basis), with where the rule comes from."""

    amount: Fraction
    unit: str
    source: str = ""

    @property
    def basis(self) -> TimeBasis:
        return _UNITS[self.unit][0]

    def duration(self, calendar: BusinessCalendar) -> timedelta:
        """The target as counted time; a working day is one ordinary working day of ``calendar``."""
        per_unit = _UNITS[self.unit][1] or working_day_length(calendar)
        # round(Fraction(micros) * amount) in integers: half to even, as round() of a Fraction does
        # (Fraction arithmetic was a tenth of an intake's clocks)
        amount = self.amount
        micros, rest = divmod(per_unit // _MICROSECOND * amount.numerator, amount.denominator)
        if rest * 2 > amount.denominator or (rest * 2 == amount.denominator and micros % 2):
            micros += 1
        return timedelta(microseconds=micros)

    def describe_zh(self) -> str:
        names = {
            "business_minutes": "工作分钟",
            "business_hours": "工作小时",
            "working_days": "个工作日",
            "minutes": "分钟",
            "hours": "小时",
            "days": "天",
        }
        amount = int(self.amount) if self.amount.denominator == 1 else float(self.amount)
        return f"{amount} {names[self.unit]}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "amount": float(self.amount),
            "unit": self.unit,
            "basis": self.basis.value,
            "source": self.source,
        }


@dataclass(frozen=True)
class EscalationThresholds:
    """Ratios of elapsed to target: warn at the first, escalate one level at each of the others."""

    warn_at: Fraction = Fraction(3, 4)
    escalate_at: tuple[Fraction, ...] = (Fraction(1), Fraction(3, 2))

    def __post_init__(self) -> None:
        if self.warn_at <= 0:
            raise ConfigurationError("预警阈值必须大于 0", field="thresholds.warn_at")
        if not self.escalate_at:
            raise ConfigurationError("至少需要一个升级阈值", field="thresholds.escalate_at")
        previous = self.warn_at
        for ratio in self.escalate_at:
            if ratio <= previous:
                raise ConfigurationError("升级阈值必须严格递增且大于预警阈值", field="thresholds.escalate_at")
            previous = ratio

    def to_dict(self) -> dict[str, Any]:
        return {"warn_at": float(self.warn_at), "escalate_at": [float(r) for r in self.escalate_at]}


@dataclass(frozen=True)
class SlaPolicy:
    thresholds: EscalationThresholds
    defaults: Mapping[ClockKind, SlaTarget]
    segments: Mapping[Segment, Mapping[ClockKind, SlaTarget]] = field(default_factory=dict)
    source: str = DEFAULT_FILE

    def target_for(self, kind: ClockKind | str, segment: Segment | str = Segment.REGULAR) -> SlaTarget:
        """The target of ``kind`` for a customer of ``segment``: the segment's override, else the default."""
        try:
            kind_ = ClockKind(kind)
        except ValueError:
            allowed = ", ".join(k.value for k in ClockKind)
            raise InvalidInput(f"时钟类型 {kind!r} 无效，可选：{allowed}", field="kind") from None
        try:
            segment_ = Segment(segment)
        except ValueError:
            allowed = ", ".join(s.value for s in Segment)
            raise InvalidInput(f"客户类型 {segment!r} 无效，可选：{allowed}", field="segment") from None
        override = self.segments.get(segment_, {})
        return override.get(kind_) or self.defaults[kind_]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "thresholds": self.thresholds.to_dict(),
            "defaults": {k.value: t.to_dict() for k, t in self.defaults.items()},
            "segments": {
                s.value: {k.value: t.to_dict() for k, t in kinds.items()}
                for s, kinds in self.segments.items()
            },
        }


def _ratio(value: Any, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ConfigurationError(f"{where} 必须是数字，收到 {value!r}", field=where)
    try:
        # str() keeps 0.75 as exactly 3/4, so "at exactly 75%" compares exactly
        result = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise ConfigurationError(f"{where} 必须是数字，收到 {value!r}", field=where) from None
    return result


def _target(raw: Any, where: str) -> SlaTarget:
    if not isinstance(raw, Mapping):
        raise ConfigurationError(f"{where} 必须是映射，如 {{business_hours: 2}}", field=where)
    units = [key for key in raw if key in _UNITS]
    unknown = [str(key) for key in raw if key not in _UNITS and key != "source"]
    if unknown:
        raise ConfigurationError(
            f"{where}：未知字段 {unknown[0]!r}，可用单位：{', '.join(_UNITS)}", field=f"{where}.{unknown[0]}"
        )
    if len(units) != 1:
        raise ConfigurationError(f"{where} 必须且只能有一个时长单位（{', '.join(_UNITS)}）", field=where)
    unit = units[0]
    amount = _ratio(raw[unit], f"{where}.{unit}")
    if amount <= 0:
        raise ConfigurationError(f"{where}.{unit} 必须大于 0", field=f"{where}.{unit}")
    longest = _UNITS[unit][1] or timedelta(days=1)
    if amount * Fraction(longest // timedelta(seconds=1)) > MAX_DURATION // timedelta(seconds=1):
        raise ConfigurationError(f"{where}.{unit} 超过十年", field=f"{where}.{unit}")
    source = raw.get("source", "")
    if not isinstance(source, str):
        raise ConfigurationError(f"{where}.source 必须是文字", field=f"{where}.source")
    return SlaTarget(amount=amount, unit=unit, source=source)


def _targets(raw: Any, where: str) -> dict[ClockKind, SlaTarget]:
    if not isinstance(raw, Mapping):
        raise ConfigurationError(f"{where} 必须是 时钟类型：目标 的映射", field=where)
    result: dict[ClockKind, SlaTarget] = {}
    for key, value in raw.items():
        try:
            kind = ClockKind(str(key))
        except ValueError:
            allowed = ", ".join(k.value for k in ClockKind)
            raise ConfigurationError(
                f"{where}：未知时钟类型 {key!r}，可选：{allowed}", field=f"{where}.{key}"
            ) from None
        result[kind] = _target(value, f"{where}.{kind.value}")
    return result


def policy_from_mapping(data: Any, source: str = DEFAULT_FILE) -> SlaPolicy:
    """Build and validate a policy from the shape documented in ``data/sla.yaml``."""
    try:
        return _policy_from_mapping(data, source)
    except ConfigurationError as exc:
        where = f"SLA 配置 {source}" + (f" 字段 {exc.field}" if exc.field else "")
        raise ConfigurationError(f"{where}: {exc.message}", field=exc.field) from None


def _policy_from_mapping(data: Any, source: str) -> SlaPolicy:
    if not isinstance(data, Mapping):
        raise ConfigurationError("文件内容必须是一个映射", field="sla")
    raw_thresholds = data.get("thresholds")
    if not isinstance(raw_thresholds, Mapping):
        raise ConfigurationError("缺少 thresholds 映射（warn_at, escalate_at）", field="thresholds")
    if "warn_at" not in raw_thresholds:
        raise ConfigurationError("缺少预警阈值", field="thresholds.warn_at")
    raw_escalate = raw_thresholds.get("escalate_at")
    if not isinstance(raw_escalate, list):
        raise ConfigurationError("escalate_at 必须是比例列表，如 [1.0, 1.5]", field="thresholds.escalate_at")
    thresholds = EscalationThresholds(
        warn_at=_ratio(raw_thresholds["warn_at"], "thresholds.warn_at"),
        escalate_at=tuple(_ratio(v, f"thresholds.escalate_at[{i}]") for i, v in enumerate(raw_escalate)),
    )
    defaults = _targets(data.get("defaults"), "defaults")
    missing = [k.value for k in ClockKind if k not in defaults]
    if missing:
        raise ConfigurationError(f"defaults 缺少时钟类型 {missing[0]}", field=f"defaults.{missing[0]}")
    raw_segments = data.get("segments") or {}
    if not isinstance(raw_segments, Mapping):
        raise ConfigurationError("segments 必须是 客户类型：目标 的映射", field="segments")
    segments: dict[Segment, dict[ClockKind, SlaTarget]] = {}
    for key, value in raw_segments.items():
        try:
            segment = Segment(str(key))
        except ValueError:
            allowed = ", ".join(s.value for s in Segment)
            raise ConfigurationError(
                f"segments：未知客户类型 {key!r}，可选：{allowed}", field=f"segments.{key}"
            ) from None
        segments[segment] = _targets(value or {}, f"segments.{segment.value}")
    return SlaPolicy(thresholds=thresholds, defaults=defaults, segments=segments, source=source)


def load_sla_policy(path: str | Path | None = None) -> SlaPolicy:
    """The SLA policy at ``path``, or the one in force: the centre's ``sla.yaml`` in the knowledge
    directory, else the shipped ``data/sla.yaml`` (loaded once per knowledge generation)."""
    return active_sla_policy() if path is None else _read(path)


def sla_policy_in(directory: Path | None) -> SlaPolicy:
    """The SLA policy a knowledge directory makes."""
    return _read(centre_file(directory, DEFAULT_FILE))


def _read(path: str | Path | None) -> SlaPolicy:
    data, source = read_data_file(path, "complaintdesk.data", DEFAULT_FILE, "SLA 配置", "sla")
    return policy_from_mapping(data, source)


@knowledge_cache("sla")
def active_sla_policy(directory: Path | None) -> SlaPolicy:
    return sla_policy_in(directory)
