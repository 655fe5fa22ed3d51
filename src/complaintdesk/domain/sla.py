"""SLA clocks: acceptance, first response, resolution, follow-up and one per promise.

A clock is an immutable value: ``pause``/``resume``/``stop`` return a new clock, so the service
layer stores whatever it likes (``to_dict``/``from_dict``) and every question is asked "as of"
an instant: ``elapsed(now)``, ``due_at(now)``, ``state(now)``, ``evaluate(clock, now)``. Pauses
recorded after ``now`` are ignored, so replaying history gives the answers the sweep gave then.

Thresholds are inclusive and exact: a clock "reaches 75%" when elapsed ≥ 3/4 of its target,
compared in whole microseconds, never in floats. A clock stopped at exactly its due instant is
met on time.

This module is the public entry point: the arithmetic lives in ``sla_time``, the clock value in
``sla_clock`` and the targets in ``sla_policy``, all re-exported here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from complaintdesk.domain.calendar import BusinessCalendar, default_calendar
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.sla_clock import US, ClockState, Pause, SlaClock, reached
from complaintdesk.domain.sla_format import format_duration_zh, format_instant_zh, percent_zh
from complaintdesk.domain.sla_policy import (
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
    "new_escalation_steps",
    "open_clocks",
    "policy_from_mapping",
    "promise_clock",
    "start_clock",
    "time_between",
    "working_day_length",
]


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
        raise InvalidInput("承诺的到期时间必须晚于做出承诺的时间（按所选计时方式）", field="due_at")
    return SlaClock(
        kind=ClockKind.PROMISE, started_at=made_at, target=target, basis=basis_, ref=ref, label=label
    )


def open_clocks(
    received_at: datetime,
    *,
    segment: Segment | str = Segment.REGULAR,
    policy: SlaPolicy | None = None,
    calendar: BusinessCalendar | None = None,
    ref: str = "",
) -> tuple[SlaClock, SlaClock, SlaClock]:
    """The acceptance, first-response and resolution clocks of a complaint received at ``received_at``."""
    kinds = (ClockKind.ACCEPTANCE, ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)
    first, second, third = (
        start_clock(kind, received_at, segment=segment, policy=policy, calendar=calendar, ref=ref)
        for kind in kinds
    )
    return first, second, third


def new_escalation_steps(status: SlaStatus, already_applied: int) -> int:
    """Levels to escalate now: thresholds reached minus those a previous sweep already acted on."""
    if already_applied < 0:
        raise InvalidInput("已执行的升级次数不能为负数", field="already_applied")
    return max(0, status.escalation_steps_due - already_applied)


@dataclass(frozen=True)
class SlaStatus:
    """One clock judged at one instant: what the sweep acts on and what the agent sees."""

    kind: ClockKind
    ref: str
    title: str  # e.g. 承诺「48 小时内上门」
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
            "title": self.title,
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


def evaluate(
    clock: SlaClock,
    now: datetime,
    *,
    calendar: BusinessCalendar | None = None,
    thresholds: EscalationThresholds | None = None,
) -> SlaStatus:
    """Judge ``clock`` at ``now``: state, warn flag, escalation steps due and a Chinese reason.

    ``escalation_steps_due`` counts the escalate thresholds reached (0 once the clock is stopped);
    the caller compares it with the steps it already applied, so a sweep never escalates twice.
    """
    cal = calendar or default_calendar()
    limits = thresholds or load_sla_policy().thresholds
    state = clock.state(now, cal, limits)
    elapsed = clock.elapsed(now, cal)
    due = clock.due_at(now, cal)
    ratio = elapsed / clock.target
    over = elapsed - clock.target
    stopped = state in (ClockState.MET, ClockState.MET_LATE)
    warn = not stopped and reached(elapsed, clock.target, limits.warn_at)
    steps = 0 if stopped else sum(1 for r in limits.escalate_at if reached(elapsed, clock.target, r))
    next_at: datetime | None = None
    upcoming = [r for r in (limits.warn_at, *limits.escalate_at) if not reached(elapsed, clock.target, r)]
    if upcoming and not stopped:
        # ceil: the first whole microsecond at which `reached` turns true
        amount = timedelta(microseconds=math.ceil((clock.target // US) * upcoming[0]))
        next_at = clock.instant_at(max(amount, US), now, cal)
    return SlaStatus(
        kind=clock.kind,
        ref=clock.ref,
        title=clock.title_zh,
        state=state,
        ratio=ratio,
        elapsed=elapsed,
        remaining=-over,
        target=clock.target,
        basis=clock.basis,
        due_at=due,
        warn=warn,
        escalation_steps_due=steps,
        next_threshold_at=next_at,
        reason=_reason_zh(clock, state, now, cal, limits, elapsed, due, steps),
        source=clock.source,
        as_of=now,
    )


def _reason_zh(
    clock: SlaClock,
    state: ClockState,
    now: datetime,
    cal: BusinessCalendar,
    limits: EscalationThresholds,
    elapsed: timedelta,
    due: datetime,
    steps: int,
) -> str:
    title = clock.title_zh
    over = elapsed - clock.target
    used = f"已用 {percent_zh(elapsed / clock.target)}"
    due_text = format_instant_zh(due, cal)
    if state is ClockState.MET:
        return f"{title}已按时完成：用时 {format_duration_zh(elapsed)}，时限 {format_duration_zh(clock.target)}"
    if state is ClockState.MET_LATE:
        return f"{title}逾期完成：超时 {format_duration_zh(over)}({used})"
    if state is ClockState.BREACHED:
        level_at = percent_zh(float(limits.escalate_at[steps - 1]))
        return (
            f"{title}已超时 {format_duration_zh(over)}（{used}，于 {due_text} 到期），"
            f"达到 {level_at} 升级线，应累计升级 {steps} 级"
        )
    if state is ClockState.PAUSED:
        why = clock.pause_reason_at(now)
        return (
            f"{title}计时已暂停（等待客户{':' + why if why else ''}），{used}，剩余 {format_duration_zh(-over)}"
        )
    if state is ClockState.WARNING:
        return (
            f"{title}即将超时：{used}，达到 {percent_zh(float(limits.warn_at))} 预警线，"
            f"剩余 {format_duration_zh(-over)},{due_text} 到期"
        )
    return f"{title}计时中：{used},{due_text} 到期"
