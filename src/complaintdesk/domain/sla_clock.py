"""The SLA clock value: start, target, pauses and stop, questioned "as of" an instant.

Immutable: ``pause``/``resume``/``stop`` return a new clock. Instants are kept in UTC because
Python compares two datetimes that share a tzinfo by wall clock, which is wrong across a DST change.
Pauses recorded after the instant asked about are ignored, so replaying history gives the answers
a sweep gave then.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any

from complaintdesk.domain.calendar import BusinessCalendar, default_calendar
from complaintdesk.domain.errors import InvalidInput, WorkflowViolation
from complaintdesk.domain.sla_policy import CLOCK_LABELS_ZH, ClockKind, EscalationThresholds, load_sla_policy
from complaintdesk.domain.sla_time import MAX_DURATION, ZERO, TimeBasis, add_time, require_aware, time_between

US = timedelta(microseconds=1)
_FAR = datetime.max.replace(tzinfo=UTC)


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    WARNING = "warning"
    BREACHED = "breached"
    MET = "met"
    MET_LATE = "met_late"


@dataclass(frozen=True)
class Pause:
    """The clock stood still from ``start`` to ``end`` (``None``: still waiting on the customer)."""

    start: datetime
    end: datetime | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _as_utc(self.start, "pause.start"))
        if self.end is not None:
            object.__setattr__(self, "end", _as_utc(self.end, "pause.end"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class _Timeline:
    """A clock as of one instant: finished active spans, then the span still open (if running)."""

    closed: tuple[tuple[datetime, datetime], ...]
    tail_start: datetime  # where counting (re)starts if the clock runs on from here
    running: bool
    horizon: datetime
    stopped: bool


@dataclass(frozen=True)
class SlaClock:
    kind: ClockKind
    started_at: datetime
    target: timedelta
    basis: TimeBasis = TimeBasis.BUSINESS
    pauses: tuple[Pause, ...] = ()
    stopped_at: datetime | None = None
    ref: str = ""  # what the clock belongs to beyond the complaint, e.g. a promise id
    label: str = ""  # e.g. the promise's text, shown in reasons
    source: str = ""  # where the target comes from (sla.yaml's `source`)

    def __post_init__(self) -> None:
        # a member given is kept as is (what the enum's own call returns for it, at a tenth of the cost)
        if type(self.kind) is not ClockKind:
            object.__setattr__(self, "kind", ClockKind(self.kind))
        if type(self.basis) is not TimeBasis:
            object.__setattr__(self, "basis", TimeBasis(self.basis))
        if type(self.pauses) is not tuple:
            object.__setattr__(self, "pauses", tuple(self.pauses))
        # UTC inside: Python compares two datetimes sharing a tzinfo by wall clock, wrong across DST
        object.__setattr__(self, "started_at", _as_utc(self.started_at, "started_at"))
        if self.stopped_at is not None:
            object.__setattr__(self, "stopped_at", _as_utc(self.stopped_at, "stopped_at"))
        if not ZERO < self.target <= MAX_DURATION:
            raise InvalidInput("SLA 时限必须大于 0 且不超过十年", field="target")
        cursor = self.started_at
        for index, pause in enumerate(self.pauses):
            where = f"pauses[{index}]"
            if pause.start < cursor:
                raise InvalidInput(f"{where}：暂停开始时间早于计时开始或上一次恢复", field=f"{where}.start")
            if pause.end is None:
                if index != len(self.pauses) - 1:
                    raise InvalidInput(f"{where}：只有最后一次暂停可以未结束", field=f"{where}.end")
                continue
            if pause.end < pause.start:
                raise InvalidInput(f"{where}：恢复时间早于暂停时间", field=f"{where}.end")
            cursor = pause.end
        if self.stopped_at is not None:
            if self.stopped_at < cursor:
                raise InvalidInput("停止时间早于计时开始或最后一次恢复", field="stopped_at")
            if self.is_paused:
                raise InvalidInput("已停止的时钟不能仍处于暂停状态", field="stopped_at")

    # --- changes (each returns a new clock) ---

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].end is None

    @property
    def is_stopped(self) -> bool:
        return self.stopped_at is not None

    def pause(self, at: datetime, reason: str = "") -> SlaClock:
        """Stop counting while waiting on the customer (等待客户)."""
        at = _as_utc(at, "at")
        if self.is_stopped:
            raise WorkflowViolation(f"{self.title_zh}时钟已停止，不能暂停", field="at")
        if self.is_paused:
            raise WorkflowViolation(f"{self.title_zh}时钟已处于暂停状态", field="at")
        last_run = self.pauses[-1].end if self.pauses else self.started_at
        if last_run is not None and at < last_run:
            raise InvalidInput("暂停时间早于计时开始或上一次恢复", field="at")
        return replace(self, pauses=(*self.pauses, Pause(start=at, reason=reason)))

    def resume(self, at: datetime) -> SlaClock:
        at = _as_utc(at, "at")
        if not self.is_paused:
            raise WorkflowViolation(f"{self.title_zh}时钟没有暂停，无需恢复", field="at")
        last = self.pauses[-1]
        if at < last.start:
            raise InvalidInput("恢复时间早于暂停时间", field="at")
        return replace(self, pauses=(*self.pauses[:-1], replace(last, end=at)))

    def stop(self, at: datetime) -> SlaClock:
        """The clock's goal was met at ``at`` (an open pause ends there too)."""
        at = _as_utc(at, "at")
        if self.is_stopped:
            raise WorkflowViolation(f"{self.title_zh}时钟已经停止", field="at")
        clock = self.resume(at) if self.is_paused else self
        return replace(clock, stopped_at=at)

    # --- questions, each as of ``now`` ---

    def elapsed(self, now: datetime, calendar: BusinessCalendar | None = None) -> timedelta:
        """Counted time so far, pauses excluded; never negative, frozen once stopped."""
        cal = calendar or default_calendar()
        line = self._timeline(now)
        total = sum((self._span(cal, a, b) for a, b in line.closed), ZERO)
        if line.running:
            total += self._span(cal, line.tail_start, line.horizon)
        return total

    def remaining(self, now: datetime, calendar: BusinessCalendar | None = None) -> timedelta:
        """Target minus elapsed: negative once overdue."""
        return self.target - self.elapsed(now, calendar)

    def due_at(self, now: datetime, calendar: BusinessCalendar | None = None) -> datetime:
        """When the target is (or was) reached, projected with the pauses so far.

        A paused clock is projected as if it resumed at ``now``; a breached one gives the instant
        it breached; a stopped one the instant it would have been due.
        """
        return self.instant_at(self.target, now, calendar)

    def ratio(self, now: datetime, calendar: BusinessCalendar | None = None) -> float:
        return self.elapsed(now, calendar) / self.target

    def state(
        self,
        now: datetime,
        calendar: BusinessCalendar | None = None,
        thresholds: EscalationThresholds | None = None,
    ) -> ClockState:
        """running, paused, warning, breached, met or met_late, as of ``now``."""
        line = self._timeline(now)
        elapsed = self.elapsed(now, calendar)
        if line.stopped:
            return ClockState.MET if elapsed <= self.target else ClockState.MET_LATE
        limits = thresholds or load_sla_policy().thresholds
        if reached(elapsed, self.target, limits.escalate_at[0]):
            return ClockState.BREACHED  # a breach is a fact even while waiting on the customer
        if not line.running:
            return ClockState.PAUSED
        if reached(elapsed, self.target, limits.warn_at):
            return ClockState.WARNING
        return ClockState.RUNNING

    def pause_reason_at(self, now: datetime) -> str:
        """Why the clock is paused at ``now`` ('' if it is not)."""
        at = _as_utc(now, "now")
        return next((p.reason for p in self.pauses if p.start <= at < (p.end or _FAR)), "")

    def instant_at(
        self, amount: timedelta, now: datetime, calendar: BusinessCalendar | None = None
    ) -> datetime:
        """The earliest instant at which ``amount`` of counted time has elapsed, projected as of ``now``."""
        if amount <= ZERO:
            raise InvalidInput("时长必须大于 0", field="amount")
        cal = calendar or default_calendar()
        if not self.pauses:  # one span from the start, stopped or not: no timeline to build (a new clock)
            _as_utc(now, "now")
            return add_time(cal, self.basis, self.started_at, amount)
        line = self._timeline(now)
        done = ZERO
        for a, b in line.closed:
            span = self._span(cal, a, b)
            if done + span >= amount:
                return add_time(cal, self.basis, a, amount - done)
            done += span
        # not reached in finished spans: count on from where the clock runs (or would resume)
        return add_time(cal, self.basis, line.tail_start, amount - done)

    @property
    def title_zh(self) -> str:
        name = CLOCK_LABELS_ZH[self.kind]
        return f"{name}「{self.label}」" if self.label else name

    def _span(self, cal: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
        return max(ZERO, time_between(cal, self.basis, a, b))

    def _timeline(self, now: datetime) -> _Timeline:
        now = _as_utc(now, "now")
        stopped = self.stopped_at is not None and self.stopped_at <= now
        horizon = self.stopped_at if stopped and self.stopped_at is not None else now
        closed: list[tuple[datetime, datetime]] = []
        cursor = self.started_at
        for pause in self.pauses:
            if pause.start >= horizon:
                break  # recorded later than the instant asked about
            closed.append((cursor, pause.start))
            if pause.end is None or pause.end > horizon:
                return _Timeline(tuple(closed), horizon, running=False, horizon=horizon, stopped=stopped)
            cursor = pause.end
        return _Timeline(tuple(closed), cursor, running=True, horizon=horizon, stopped=stopped)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "started_at": self.started_at.isoformat(),
            "target_seconds": self.target.total_seconds(),
            "basis": self.basis.value,
            "pauses": [p.to_dict() for p in self.pauses],
            "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None,
            "ref": self.ref,
            "label": self.label,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SlaClock:
        """Inverse of :meth:`to_dict`; bad stored data is InvalidInput naming the field."""
        try:
            kind = ClockKind(str(data.get("kind")))
        except ValueError:
            raise InvalidInput(f"时钟类型 {data.get('kind')!r} 无效", field="kind") from None
        try:
            basis = TimeBasis(str(data.get("basis", TimeBasis.BUSINESS.value)))
        except ValueError:
            raise InvalidInput(f"计时方式 {data.get('basis')!r} 无效", field="basis") from None
        seconds = data.get("target_seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds):
            raise InvalidInput("target_seconds 必须是数字", field="target_seconds")
        if not 0 < seconds <= MAX_DURATION.total_seconds():
            raise InvalidInput("target_seconds 必须大于 0 且不超过十年", field="target_seconds")
        raw_pauses = data.get("pauses") or []
        if not isinstance(raw_pauses, list):
            raise InvalidInput("pauses 必须是列表", field="pauses")
        if not all(isinstance(p, dict) for p in raw_pauses):
            raise InvalidInput("pauses 的每一项必须是 {start, end, reason}", field="pauses")
        pauses = tuple(
            Pause(
                start=_parse_instant(p.get("start"), f"pauses[{i}].start"),
                end=_parse_optional(p.get("end"), f"pauses[{i}].end"),
                reason=str(p.get("reason") or ""),
            )
            for i, p in enumerate(raw_pauses)
        )
        return cls(
            kind=kind,
            started_at=_parse_instant(data.get("started_at"), "started_at"),
            target=timedelta(seconds=seconds),
            basis=basis,
            pauses=pauses,
            stopped_at=_parse_optional(data.get("stopped_at"), "stopped_at"),
            ref=str(data.get("ref") or ""),
            label=str(data.get("label") or ""),
            source=str(data.get("source") or ""),
        )


def _as_utc(value: datetime, field: str) -> datetime:
    return require_aware(value, field).astimezone(UTC)


def _parse_instant(value: Any, field: str) -> datetime:
    if isinstance(value, datetime):
        return require_aware(value, field)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{field} 不是有效的时间：{value!r}", field=field) from None
    return require_aware(parsed, field)


def _parse_optional(value: Any, field: str) -> datetime | None:
    return None if value is None else _parse_instant(value, field)


def reached(elapsed: timedelta, target: timedelta, ratio: Fraction) -> bool:
    """elapsed ≥ ratio × target, exactly (integer microseconds)."""
    return (elapsed // US) * ratio.denominator >= (target // US) * ratio.numerator
