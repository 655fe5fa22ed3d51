"""SLA clocks of stored complaints: start and stop them as the complaint moves, pause while waiting
on the customer, and sweep — warn at 75%, report a breach at 100% and again at 150% — exactly once
per threshold, even with several sweepers running (rows are claimed with SKIP LOCKED).

A breach no longer raises the escalation level by itself: a timer jumping levels silently made 12 of 14
demo complaints red and escalated 2-4 levels with nobody told. It tells the owner and their team lead
(``sla_breach``, in their inboxes: ``services.notifications``), and a person escalates, naming who takes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from complaintdesk.domain.calendar import BusinessCalendar
from complaintdesk.domain.errors import InvalidInput, WorkflowViolation
from complaintdesk.domain.model import Complaint, DomainEvent, Promise
from complaintdesk.domain.sla import (
    ClockKind,
    SlaClock,
    SlaPolicy,
    SlaStatus,
    evaluate,
    promise_clock,
    start_clock,
)
from complaintdesk.domain.sla_policy import load_sla_policy
from complaintdesk.domain.vocab import Segment, Stage
from complaintdesk.services import calendar_service
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage.sla_repository import ClockRow

_RESOLVED_STAGES = (Stage.THANKING, Stage.FOLLOW_UP, Stage.CLOSED)


@lru_cache(maxsize=1)
def _policy() -> SlaPolicy:
    return load_sla_policy()


def _calendar(uow: UnitOfWork) -> BusinessCalendar:
    return calendar_service.cached_calendar(uow)


def warm_up(uow: UnitOfWork) -> None:
    """Load the SLA policy and the working calendar ahead of the first intake."""
    _policy()
    with uow.reading():
        _calendar(uow)


def _row(uow: UnitOfWork, number: str, clock: SlaClock, now: datetime) -> ClockRow:
    return ClockRow.new(number, clock, clock.due_at(now, _calendar(uow)), now)


def _new(uow: UnitOfWork, number: str, clock: SlaClock, now: datetime) -> None:
    uow.clocks.add(_row(uow, number, clock, now))


_INTAKE_KINDS = (ClockKind.ACCEPTANCE, ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)


def intake_clocks(uow: UnitOfWork, number: str, segment: Segment, at: datetime) -> list[ClockRow]:
    """A new complaint's acceptance, first-response and resolution clocks, to be stored with it
    (``uow.complaints.add(complaint, clocks)``). The policy and the calendar are looked up once for the
    three (the calendar's cache reads the clock each time it is asked)."""
    policy, calendar = _policy(), _calendar(uow)
    rows = []
    for kind in _INTAKE_KINDS:
        clock = start_clock(kind, at, segment=segment, policy=policy, calendar=calendar)
        rows.append(ClockRow.new(number, clock, clock.due_at(at, calendar), at))
    return rows


def start_promise_clock(uow: UnitOfWork, complaint: Complaint, promise: Promise, now: datetime) -> None:
    ref = f"promise-{len(complaint.promises)}"
    _new(
        uow,
        complaint.number,
        promise_clock(promise.made_at, promise.due_at, ref=ref, label=promise.what),
        now,
    )


def _stop(uow: UnitOfWork, row: ClockRow, at: datetime, now: datetime) -> None:
    clock = row.clock
    if clock.is_paused:
        clock = clock.resume(at)
    row.clock = clock.stop(max(at, clock.started_at))
    row.active = False
    row.updated_at = now
    uow.clocks.save(row)


def on_complaint_changed(uow: UnitOfWork, complaint: Complaint, now: datetime) -> None:
    """Stop the clocks whose work is done; start resolution and follow-up clocks when due."""
    rows = uow.clocks.for_complaint(complaint.number)
    active = [r for r in rows if r.active]
    stage = Stage(complaint.stage)
    for row in active:
        kind = row.clock.kind
        if kind == ClockKind.ACCEPTANCE and (stage != Stage.ACCEPTED or complaint.first_response_at):
            _stop(uow, row, complaint.first_response_at or now, now)
        elif kind == ClockKind.FIRST_RESPONSE and complaint.first_response_at is not None:
            _stop(uow, row, complaint.first_response_at, now)
        elif kind == ClockKind.RESOLUTION and stage in _RESOLVED_STAGES:
            _stop(uow, row, now, now)
        elif kind == ClockKind.FOLLOW_UP and complaint.follow_up_done_at is not None:
            _stop(uow, row, complaint.follow_up_done_at, now)
        elif kind == ClockKind.PROMISE and row.clock.ref.startswith("promise-"):
            index = int(row.clock.ref.split("-", 1)[1]) - 1
            if 0 <= index < len(complaint.promises) and complaint.promises[index].kept is not None:
                _stop(uow, row, complaint.promises[index].resolved_at or now, now)
    kinds_active = {r.clock.kind for r in active if r.active}
    needs_resolution = stage == Stage.REOPENED and ClockKind.RESOLUTION not in kinds_active
    needs_follow_up = (
        stage == Stage.CLOSED
        and complaint.follow_up_done_at is None
        and not any(r.clock.kind == ClockKind.FOLLOW_UP for r in rows)
    )
    # The customer's segment only matters for a clock about to start: no read on ordinary moves.
    for kind, wanted in ((ClockKind.RESOLUTION, needs_resolution), (ClockKind.FOLLOW_UP, needs_follow_up)):
        if wanted:
            segment = uow.customers.get(complaint.customer_id).segment
            clock = start_clock(kind, now, segment=segment, policy=_policy(), calendar=_calendar(uow))
            _new(uow, complaint.number, clock, now)


def pause(uow: UnitOfWork, number: str, reason: str, actor: str, *, now: datetime | None = None) -> int:
    """Waiting on the customer: every running clock of the complaint stands still until resumed."""
    now = now or datetime.now(UTC)
    if not (reason or "").strip():
        raise InvalidInput("暂停原因不能为空（例如：等待客户提供发票）", field="reason")
    with uow:
        complaint = uow.complaints.get(number, with_clocks=True)
        running = [r for r in uow.clocks.for_complaint(number) if r.active and not r.clock.is_paused]
        if not running:
            raise WorkflowViolation("没有正在计时的 SLA 时钟可以暂停", field="sla")
        for row in running:
            row.clock = row.clock.pause(now, reason)
            row.updated_at = now
            uow.clocks.save(row)
        complaint.pending_events.append(
            DomainEvent("sla_paused", actor, now, {"reason": reason, "clocks": len(running)})
        )
        uow.commit()
        return len(running)


def resume(uow: UnitOfWork, number: str, actor: str, *, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    with uow:
        complaint = uow.complaints.get(number, with_clocks=True)
        paused = [r for r in uow.clocks.for_complaint(number) if r.active and r.clock.is_paused]
        if not paused:
            raise WorkflowViolation("没有处于暂停状态的 SLA 时钟", field="sla")
        for row in paused:
            row.clock = row.clock.resume(now)
            row.due_at = row.clock.due_at(now, _calendar(uow))
            row.updated_at = now
            uow.clocks.save(row)
        complaint.pending_events.append(DomainEvent("sla_resumed", actor, now, {"clocks": len(paused)}))
        uow.commit()
        return len(paused)


def statuses(uow: UnitOfWork, number: str, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every clock of a complaint judged now (for the complaint page and `complaint show`)."""
    now = now or datetime.now(UTC)
    with uow.reading():
        uow.complaints.get(number, with_clocks=True)
        return [
            {
                **evaluate(r.clock, now, calendar=_calendar(uow), thresholds=_policy().thresholds).to_dict(),
                "label": r.clock.title_zh,
                "steps_applied": r.steps_applied,
            }
            for r in uow.clocks.for_complaint(number)
        ]


def active_statuses(uow: UnitOfWork, numbers: list[str], now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Inside an open unit of work: the running clocks of many complaints judged now, in one query
    (the queue's countdowns), by complaint number."""
    judged: dict[str, list[dict[str, Any]]] = {}
    for number, rows in uow.clocks.due_for(numbers).items():
        judged[number] = [
            {
                **evaluate(r.clock, now, calendar=_calendar(uow), thresholds=_policy().thresholds).to_dict(),
                "label": r.clock.title_zh,
            }
            for r in rows
            if r.active
        ]
    return judged


@dataclass
class SweepResult:
    checked: int = 0
    warnings: int = 0
    breaches: int = 0
    actions: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"检查 {self.checked} 个时钟，预警 {self.warnings} 次，超时通报 {self.breaches} 次"

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "warnings": self.warnings,
            "breaches": self.breaches,
            "actions": self.actions,
        }


def _action_due(row: ClockRow, status: SlaStatus) -> bool:
    """A warning not yet given or an escalation step not yet applied: only then is the complaint read."""
    return (status.warn and not row.warned) or status.escalation_steps_due > row.steps_applied


def sweep(uow: UnitOfWork, *, now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Judge every active clock; act once per threshold crossed. Safe to run from several workers.

    Clocks are judged from their rows alone; a complaint is loaded only for a clock with an action due,
    so a sweep in which nothing is due reads no complaint at all.
    """
    now = now or datetime.now(UTC)
    result = SweepResult()
    with uow:
        rows = uow.clocks.claim_active(limit=batch)
        for row in rows:
            result.checked += 1
            status = evaluate(row.clock, now, calendar=_calendar(uow), thresholds=_policy().thresholds)
            if not _action_due(row, status):
                continue
            complaint = uow.complaints.get(row.complaint_number)
            changed = False
            if status.warn and not row.warned:
                row.warned = True
                changed = True
                result.warnings += 1
                complaint.pending_events.append(
                    DomainEvent(
                        "sla_warning", "sla", now, {"clock": row.clock.kind.value, "reason": status.reason}
                    )
                )
                result.actions.append(f"{complaint.number} 预警：{status.reason}")
            while status.escalation_steps_due > row.steps_applied:
                row.steps_applied += 1
                changed = True
                result.breaches += 1
                complaint.pending_events.append(
                    DomainEvent(
                        "sla_breach",
                        "sla",
                        now,
                        {"clock": row.clock.kind.value, "reason": status.reason, "step": row.steps_applied},
                    )
                )
                result.actions.append(f"{complaint.number} 超时通报处理人和班组长：{status.reason}")
            if changed:
                row.updated_at = now
                uow.clocks.save(row)
        uow.commit()
    return result
