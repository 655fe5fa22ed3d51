"""SLA clocks: acceptance, first response, resolution, follow-up and one per promise.

A clock is an immutable value: ``pause``/``resume``/``stop`` return a new clock, so the service
layer stores whatever it likes (``to_dict``/``from_dict``) and every question is asked "as of"
an instant: ``elapsed(now)``, ``due_at(now)``, ``state(now)``, ``evaluate(clock, now)``. Pauses
recorded after ``now`` are ignored, so replaying history gives the answers the sweep gave then.

Thresholds are inclusive and exact: a clock "reaches 75%" when elapsed ≥ 3/4 of its target,
compared in whole microseconds, never in floats. A clock stopped at exactly its due instant is
met on time.

This module is the public entry point; the arithmetic lives in ``sla_time`` and the targets in
``sla_policy`` (re-exported here).
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
from complaintdesk.domain.sla_format import format_duration_zh, format_instant_zh, percent_zh
from complaintdesk.domain.sla_policy import (
    CLOCK_LABELS_ZH,
    ClockKind,
    EscalationThresholds,
    SlaPolicy,
    SlaTarget,
    load_sla_policy,
    policy_from_mapping,
)
from complaintdesk.domain.sla_time import (
    ZERO,
    TimeBasis,
    add_business_time,
    add_time,
    business_time_between,
    require_aware,
    time_between,
    working_day_length,
)
from complaintdesk.domain.vocab import Segment

__all__ = [
    "ClockKind",
    "ClockState",
    "EscalationThresholds",
    "Pause",
    "SlaClock",
    "SlaPolicy",
    "SlaStatus",
    "SlaTarget",
    "TimeBasis",
    "add_business_time",
    "add_time",
    "business_time_between",
    "evaluate",
    "load_sla_policy",
    "policy_from_mapping",
    "promise_clock",
    "start_clock",
    "time_between",
    "working_day_length",
]

_US = timedelta(microseconds=1)
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
        object.__setattr__(self, "kind", ClockKind(self.kind))
        object.__setattr__(self, "basis", TimeBasis(self.basis))
        object.__setattr__(self, "pauses", tuple(self.pauses))
        # UTC inside: Python compares two datetimes sharing a tzinfo by wall clock, wrong across DST
        object.__setattr__(self, "started_at", _as_utc(self.started_at, "started_at"))
        if self.stopped_at is not None:
            object.__setattr__(self, "stopped_at", _as_utc(self.stopped_at, "stopped_at"))
        if self.target <= ZERO:
            raise InvalidInput("SLA 时限必须大于 0", field="target")
        cursor = self.started_at
        for index, pause in enumerate(self.pauses):
            where = f"pauses[{index}]"
            if pause.start < cursor:
                raise InvalidInput(f"{where}: 暂停开始时间早于计时开始或上一次恢复", field=f"{where}.start")
            if pause.end is None:
                if index != len(self.pauses) - 1:
                    raise InvalidInput(f"{where}: 只有最后一次暂停可以未结束", field=f"{where}.end")
                continue
            if pause.end < pause.start:
                raise InvalidInput(f"{where}: 恢复时间早于暂停时间", field=f"{where}.end")
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
            raise WorkflowViolation(f"{self.title_zh}时钟已停止,不能暂停", field="at")
        if self.is_paused:
            raise WorkflowViolation(f"{self.title_zh}时钟已处于暂停状态", field="at")
        last_run = self.pauses[-1].end if self.pauses else self.started_at
        if last_run is not None and at < last_run:
            raise InvalidInput("暂停时间早于计时开始或上一次恢复", field="at")
        return replace(self, pauses=(*self.pauses, Pause(start=at, reason=reason)))

    def resume(self, at: datetime) -> SlaClock:
        at = _as_utc(at, "at")
        if not self.is_paused:
            raise WorkflowViolation(f"{self.title_zh}时钟没有暂停,无需恢复", field="at")
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
        return evaluate(self, now, calendar=calendar, thresholds=thresholds).state

    def instant_at(
        self, amount: timedelta, now: datetime, calendar: BusinessCalendar | None = None
    ) -> datetime:
        """The earliest instant at which ``amount`` of counted time has elapsed, projected as of ``now``."""
        if amount <= ZERO:
            raise InvalidInput("时长必须大于 0", field="amount")
        cal = calendar or default_calendar()
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
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise InvalidInput("target_seconds 必须是数字", field="target_seconds")
        raw_pauses = data.get("pauses") or []
        if not isinstance(raw_pauses, list):
            raise InvalidInput("pauses 必须是列表", field="pauses")
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
        raise InvalidInput(f"{field} 不是有效的时间: {value!r}", field=field) from None
    return require_aware(parsed, field)


def _parse_optional(value: Any, field: str) -> datetime | None:
    return None if value is None else _parse_instant(value, field)


def start_clock(
    kind: ClockKind | str,
    started_at: datetime,
    *,
    segment: Segment | str = Segment.REGULAR,
    policy: SlaPolicy | None = None,
    calendar: BusinessCalendar | None = None,
    ref: str = "",
    label: str = "",
) -> SlaClock:
    """A new clock with the policy's target for this kind and customer segment."""
    pol = policy or load_sla_policy()
    target = pol.target_for(kind, segment)
    return SlaClock(
        kind=ClockKind(kind),
        started_at=require_aware(started_at, "started_at"),
        target=target.duration(calendar or default_calendar()),
        basis=target.basis,
        ref=ref,
        label=label,
        source=target.source,
    )


def promise_clock(
    made_at: datetime,
    due_at: datetime,
    *,
    basis: TimeBasis | str = TimeBasis.CALENDAR,
    calendar: BusinessCalendar | None = None,
    ref: str = "",
    label: str = "",
) -> SlaClock:
    """The clock of a promise made to the customer, due when the promise said (24x7 by default)."""
    basis_ = TimeBasis(basis)
    target = time_between(calendar or default_calendar(), basis_, made_at, due_at)
    if target <= ZERO:
        raise InvalidInput("承诺的到期时间必须晚于做出承诺的时间(按所选计时方式)", field="due_at")
    return SlaClock(
        kind=ClockKind.PROMISE, started_at=made_at, target=target, basis=basis_, ref=ref, label=label
    )


@dataclass(frozen=True)
class SlaStatus:
    """One clock judged at one instant: what the sweep acts on and what the agent sees."""

    kind: ClockKind
    ref: str
    state: ClockState
    ratio: float
    elapsed: timedelta
    remaining: timedelta
    target: timedelta
    basis: TimeBasis
    due_at: datetime
    warn: bool
    escalation_steps_due: int  # thresholds of `escalate_at` reached; 0 once the clock is stopped
    next_threshold_at: datetime | None  # projected crossing of the next warn/escalate threshold
    reason: str
    source: str
    as_of: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "ref": self.ref,
            "state": self.state.value,
            "ratio": round(self.ratio, 4),
            "elapsed_seconds": self.elapsed.total_seconds(),
            "remaining_seconds": self.remaining.total_seconds(),
            "target_seconds": self.target.total_seconds(),
            "basis": self.basis.value,
            "due_at": self.due_at.isoformat(),
            "warn": self.warn,
            "escalation_steps_due": self.escalation_steps_due,
            "next_threshold_at": self.next_threshold_at.isoformat() if self.next_threshold_at else None,
            "reason": self.reason,
            "source": self.source,
            "as_of": self.as_of.isoformat(),
        }


def reached(elapsed: timedelta, target: timedelta, ratio: Fraction) -> bool:
    """elapsed ≥ ratio × target, exactly (integer microseconds)."""
    return (elapsed // _US) * ratio.denominator >= (target // _US) * ratio.numerator


def evaluate(
    clock: SlaClock,
    now: datetime,
    *,
    calendar: BusinessCalendar | None = None,
    thresholds: EscalationThresholds | None = None,
) -> SlaStatus:
    """Judge ``clock`` at ``now``: state, warn flag, escalation steps due and a Chinese reason."""
    cal = calendar or default_calendar()
    limits = thresholds or load_sla_policy().thresholds
    line = clock._timeline(now)
    elapsed = clock.elapsed(now, cal)
    due = clock.due_at(now, cal)
    ratio = elapsed / clock.target
    over = elapsed - clock.target
    title = clock.title_zh
    steps = 0
    warn = False
    next_at: datetime | None = None
    if line.stopped:
        state = ClockState.MET if elapsed <= clock.target else ClockState.MET_LATE
        reason = (
            f"{title}已按时完成:用时 {format_duration_zh(elapsed)},时限 {format_duration_zh(clock.target)}"
            if state is ClockState.MET
            else f"{title}逾期完成:超时 {format_duration_zh(over)}(用时 {percent_zh(ratio)})"
        )
    else:
        warn = reached(elapsed, clock.target, limits.warn_at)
        steps = sum(1 for r in limits.escalate_at if reached(elapsed, clock.target, r))
        upcoming = [r for r in (limits.warn_at, *limits.escalate_at) if not reached(elapsed, clock.target, r)]
        if upcoming:
            amount = timedelta(microseconds=math.ceil((clock.target // _US) * upcoming[0]))
            next_at = clock.instant_at(max(amount, _US), now, cal)
        used = f"已用 {percent_zh(ratio)}"
        if steps:
            state = ClockState.BREACHED
            level_at = percent_zh(float(limits.escalate_at[steps - 1]))
            reason = (
                f"{title}已超时 {format_duration_zh(over)}({used},于 {format_instant_zh(due, cal)} 到期),"
                f"达到 {level_at} 升级线,应累计升级 {steps} 级"
            )
        elif not line.running:
            state = ClockState.PAUSED
            why = next((p.reason for p in clock.pauses if p.start < line.horizon < (p.end or _FAR)), "")
            reason = (
                f"{title}计时已暂停(等待客户{':' + why if why else ''}),{used},"
                f"剩余 {format_duration_zh(clock.remaining(now, cal))}"
            )
        elif warn:
            state = ClockState.WARNING
            reason = (
                f"{title}即将超时:{used},达到 {percent_zh(float(limits.warn_at))} 预警线,"
                f"剩余 {format_duration_zh(-over)},{format_instant_zh(due, cal)} 到期"
            )
        else:
            state = ClockState.RUNNING
            reason = f"{title}计时中:{used},{format_instant_zh(due, cal)} 到期"
    return SlaStatus(
        kind=clock.kind,
        ref=clock.ref,
        state=state,
        ratio=ratio,
        elapsed=elapsed,
        remaining=clock.target - elapsed,
        target=clock.target,
        basis=clock.basis,
        due_at=due,
        warn=warn,
        escalation_steps_due=steps,
        next_threshold_at=next_at,
        reason=reason,
        source=clock.source,
        as_of=now,
    )
