"""One handler per workflow command, in one table, and ``handle`` to run any of them.

A handler checks what it can before the transaction (the stage's name, a due time in the future,
the facts' shape) and returns the change to make; ``handle`` loads the complaint at the command's
version, makes the change, restarts the SLA clocks it touches and commits, all in one unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from complaintdesk.domain.errors import InvalidInput, StaleWrite, WorkflowViolation
from complaintdesk.domain.json_input import check_json
from complaintdesk.domain.model import Complaint
from complaintdesk.domain.tasks import TaskOutcome
from complaintdesk.domain.vocab import MessageKind, Stage, parse_enum
from complaintdesk.domain.workflow import check_transition, next_stage
from complaintdesk.services import (
    approvals,
    callbacks,
    outbound,
    owners,
    permissions,
    proposals,
    sla_service,
    staff,
    time_bounds,
)
from complaintdesk.services.commands import (
    AddMessage,
    Command,
    CompleteFollowUp,
    Decide,
    Escalate,
    MakePromise,
    Move,
    Propose,
    RecordFacts,
    RecordTaskOutcome,
    Reopen,
    ReplyAndMove,
    ResolvePromise,
    ScheduleFollowUp,
    SignOff,
    Transfer,
)
from complaintdesk.services.complaints import change, utcnow
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import local_zone

APPEND_ATTEMPTS = 3  # an append that lost a race re-reads the complaint and appends again

Change = Callable[[Complaint], object]


def _move(uow: UnitOfWork, cmd: Move, now: datetime) -> Change:
    stage = parse_enum(Stage, cmd.stage, "stage")
    return lambda c: c.move_to(stage, cmd.actor, now, waiver_reason=cmd.waiver_reason)


def _propose(uow: UnitOfWork, cmd: Propose, now: datetime) -> Change:
    def propose(c: Complaint) -> None:
        account = uow.users.get(cmd.actor) if cmd.role is None else None
        proposals.authorise(permissions.proposer_role(cmd.role, account), cmd.solution, cmd.offer)
        c.propose(proposals.with_offer(cmd.solution, cmd.offer), cmd.actor, now)

    return propose


def _add_message(uow: UnitOfWork, cmd: AddMessage, now: datetime) -> Change:
    kind = parse_enum(MessageKind, cmd.kind, "kind")
    if cmd.send_to_customer:
        return outbound.CustomerReply(uow, kind, cmd.actor, cmd.body, now, cmd.via)
    return lambda c: c.add_message(kind, cmd.actor, cmd.body, now)


def _transfer(uow: UnitOfWork, cmd: Transfer, now: datetime) -> Change:
    target = (cmd.to_owner or "").strip()

    def transfer(c: Complaint) -> None:
        if target and target != c.owner:  # the domain names an empty or unchanged owner itself
            owners.check_owner(uow, cmd.actor, target, "to_owner")
        c.transfer(target, cmd.reason, cmd.actor, now)

    return transfer


def _escalation_person(uow: UnitOfWork, c: Complaint, cmd: Escalate, level: int) -> str | None:
    """Who takes the escalation: the named person, who must hold a role of that level; unnamed, at
    level 1 the owner's team lead. A process without an account may leave it unnamed."""
    if level not in permissions.ESCALATION_ROLES:
        return None  # the domain refuses the level itself, naming it
    wanted = (cmd.to_user or "").strip()
    if wanted:
        user = uow.users.get(wanted)
        if user is None or not permissions.may_take_escalation(user, level):
            raise InvalidInput(f"{wanted} 不能接手 {level} 级升级：请从该层级的人员中选择", field="to_user")
        return wanted
    lead = staff.team_lead_of(uow, c.owner) if level == 1 and c.owner else None
    if lead:
        return lead
    if uow.users.get(cmd.actor) is None:
        return None
    raise InvalidInput(f"升级到 {level} 级须指定接手的人（to_user）", field="to_user")


def _escalate(uow: UnitOfWork, cmd: Escalate, now: datetime) -> Change:
    def escalate(c: Complaint) -> None:
        level = c.escalation_level + 1 if cmd.to_level is None else cmd.to_level
        person = _escalation_person(uow, c, cmd, level) if isinstance(level, int) else None
        c.escalate(cmd.actor, now, cmd.reason, to_level=cmd.to_level, to_user=person)

    return escalate


def _decide(uow: UnitOfWork, cmd: Decide, now: datetime) -> Change:
    return lambda c: approvals.decide(uow, cmd, c, now)


def _make_promise(uow: UnitOfWork, cmd: MakePromise, now: datetime) -> Change:
    time_bounds.check_due(cmd.due_at, now, "due_at", "承诺时间")

    def promise(c: Complaint) -> None:
        c.make_promise(cmd.what, cmd.due_at, cmd.actor, now, callback=callbacks.is_callback(cmd.what))
        sla_service.start_promise_clock(uow, c, c.promises[-1], now)

    return promise


def _resolve_promise(uow: UnitOfWork, cmd: ResolvePromise, now: datetime) -> Change:
    return lambda c: c.resolve_promise(cmd.index, cmd.kept, cmd.actor, now)


def _sign_off(uow: UnitOfWork, cmd: SignOff, now: datetime) -> Change:
    return lambda c: c.sign_off(cmd.satisfied, cmd.reason, cmd.actor, now)


def _schedule_follow_up(uow: UnitOfWork, cmd: ScheduleFollowUp, now: datetime) -> Change:
    time_bounds.check_due(cmd.due, now, "due", "回访时间")
    return lambda c: c.schedule_follow_up(cmd.due, cmd.actor, now)


def _complete_follow_up(uow: UnitOfWork, cmd: CompleteFollowUp, now: datetime) -> Change:
    return lambda c: c.complete_follow_up(cmd.outcome, cmd.actor, now)


def _record_task_outcome(uow: UnitOfWork, cmd: RecordTaskOutcome, now: datetime) -> Change:
    outcome = parse_enum(TaskOutcome, cmd.outcome, "outcome")
    return lambda c: c.record_task_outcome(cmd.task_id, outcome, cmd.actor, now)


def _reopen(uow: UnitOfWork, cmd: Reopen, now: datetime) -> Change:
    return lambda c: c.reopen(cmd.reason, cmd.actor, now)


def _record_facts(uow: UnitOfWork, cmd: RecordFacts, now: datetime) -> Change:
    if not isinstance(cmd.facts, dict) or not cmd.facts:
        raise InvalidInput("facts 必须是非空的 JSON 对象", field="facts")
    check_json(cmd.facts, "facts")  # NaN, 1e400 or deep nesting: refused naming the path, never stored
    from complaintdesk.policy import parse_facts

    parse_facts(cmd.facts, today=now.astimezone(local_zone()).date())
    return lambda c: c.record_facts(cmd.facts, cmd.actor, now)


def _after(c: Complaint, cmd: ReplyAndMove) -> SimpleNamespace:
    """The complaint as the move will find it once what came with the reply is recorded."""
    return SimpleNamespace(
        stage=c.stage,
        proposal=(cmd.solution or "").strip() or c.proposal,
        signoff_satisfied=True if cmd.satisfied else c.signoff_satisfied,
        waiver_reason=c.waiver_reason,
        follow_up_due=cmd.follow_up_due or c.follow_up_due,
    )


def _reply_and_move(uow: UnitOfWork, cmd: ReplyAndMove, now: datetime) -> Change:
    """The reply, then what the next stage's guard asks for, then the move: one change, so a refused move
    sends no reply (and the page keeps what was typed)."""
    target = parse_enum(Stage, cmd.stage, "stage") if cmd.stage else None
    n, actor = cmd.number, cmd.actor
    steps: list[Change] = []
    if (cmd.body or "").strip():
        reply = AddMessage(number=n, actor=actor, kind=cmd.kind, body=cmd.body, send_to_customer=cmd.send_to_customer)
        steps.append(_add_message(uow, reply, now))
    if (cmd.solution or "").strip():
        proposal = Propose(number=n, actor=actor, solution=cmd.solution or "", offer=cmd.offer, role=cmd.role)
        steps.append(_propose(uow, proposal, now))
    if cmd.follow_up_due is not None:
        steps.append(_schedule_follow_up(uow, ScheduleFollowUp(number=n, actor=actor, due=cmd.follow_up_due), now))
    if cmd.satisfied is not None:
        signoff = SignOff(number=n, actor=actor, satisfied=cmd.satisfied, reason=cmd.signoff_reason)
        steps.append(_sign_off(uow, signoff, now))

    def reply_and_move(c: Complaint) -> None:
        stage = target or next_stage(c.stage)
        if stage is None:
            raise WorkflowViolation("投诉已结案，只能通过重开继续处理", field="stage")
        if cmd.satisfied is not False:  # refused before anything is written, naming what is missing
            check_transition(_after(c, cmd), stage)
        for step in steps:
            step(c)
        if cmd.satisfied is False and c.stage == Stage.REOPENED:
            return  # the customer is not satisfied: the sign-off reopened the complaint, back to work
        c.move_to(stage, cmd.actor, now)

    return reply_and_move


# Each handler takes its own command type; the table is what ``handle`` dispatches on.
HANDLERS: dict[type[Command], Callable[[UnitOfWork, Any, datetime], Change]] = {
    Move: _move,
    Propose: _propose,
    AddMessage: _add_message,
    Transfer: _transfer,
    Escalate: _escalate,
    MakePromise: _make_promise,
    ResolvePromise: _resolve_promise,
    SignOff: _sign_off,
    ScheduleFollowUp: _schedule_follow_up,
    CompleteFollowUp: _complete_follow_up,
    RecordTaskOutcome: _record_task_outcome,
    Reopen: _reopen,
    RecordFacts: _record_facts,
    Decide: _decide,
    ReplyAndMove: _reply_and_move,
}


def _gated(uow: UnitOfWork, command: Command, now: datetime, action: Change, asked: dict[str, Any]) -> Change:
    """An escalation beyond one level or an unsigned close by an agent or team lead becomes a request
    to their lead (``asked``), and the complaint is left as it is."""

    def gated(c: Complaint) -> object:
        asking = command
        if isinstance(command, Escalate):  # the person is checked now, not only once it is approved
            level = c.escalation_level + 1 if command.to_level is None else command.to_level
            asking = replace(command, to_user=_escalation_person(uow, c, command, level))
        need = approvals.needed(uow, asking)
        if need is None:
            return action(c)
        asked.update(approvals.request(uow, asking, need, now))
        return None

    return gated


def handle(uow: UnitOfWork, command: Command, *, now: datetime | None = None) -> dict[str, Any]:
    """Run ``command`` in one unit of work; the complaint's detail after it."""
    now = now or utcnow()
    action = HANDLERS[type(command)](uow, command, now)
    if isinstance(command, Escalate | Move):
        asked: dict[str, Any] = {}
        view = change(
            uow, command.number, command.expected_version, _gated(uow, command, now, action, asked), now
        )
        return {**view, "approval_request": asked} if asked else view
    if not isinstance(command, AddMessage):
        return change(uow, command.number, command.expected_version, action, now)
    # An append conflicts with no other change (the thread is the same whatever came before it): an
    # agent's reply is not refused because a lead added a note meanwhile; it re-reads and appends.
    for attempt in range(APPEND_ATTEMPTS):
        try:
            view = change(uow, command.number, None, action, now)
            delivery = getattr(action, "delivery", None)  # a reply sent to the customer: where it went
            return {**view, "delivery": delivery} if delivery else view
        except StaleWrite:
            if attempt == APPEND_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
