"""What needs a lead's approval before it happens: an escalation beyond one level, and closing a
complaint without the customer's satisfied sign-off, when an agent or a team lead asks
(``services.permissions`` says who must ask and who may decide).

Asking changes nothing on the complaint: it writes a request (and an audit event, and a notification in
the approver's inbox). Approving carries the original command out, in the same transaction that marks
the request decided; declining only marks it. Both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from complaintdesk.domain.errors import InvalidInput, NotFound, PermissionDenied, WorkflowViolation
from complaintdesk.domain.model import Complaint, DomainEvent
from complaintdesk.domain.users import User
from complaintdesk.domain.vocab import Role, Stage
from complaintdesk.services import permissions, staff
from complaintdesk.services.commands import Command, Decide, Escalate, Move
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage import orm

PENDING, APPROVED, DECLINED = "pending", "approved", "declined"


@dataclass(frozen=True)
class Needed:
    kind: str  # escalate | close
    payload: dict[str, Any]  # what to carry out once approved
    reason: str


def needed(uow: UnitOfWork, command: Command) -> Needed | None:
    """Inside an open unit of work: the approval ``command`` needs before it may run, or None.

    A process acting without an account (the CLI's operator, the demo) asks nobody."""
    if not isinstance(command, Escalate | Move):
        return None
    if isinstance(command, Move) and command.stage != Stage.CLOSED.value:
        return None  # only closing can need a lead: every other move asks nobody (and reads no account)
    actor = uow.users.get(command.actor)
    if actor is None:
        return None
    complaint = uow.complaints.get(command.number)
    if isinstance(command, Escalate):
        target = complaint.escalation_level + 1 if command.to_level is None else command.to_level
        if not permissions.escalation_needs_approval(actor.role, complaint.escalation_level, target):
            return None
        payload = {"to_level": target, "to_user": command.to_user, "reason": command.reason}
        return Needed("escalate", payload, command.reason)
    if command.stage != Stage.CLOSED.value or complaint.signoff_satisfied is True:
        return None
    if not permissions.unsigned_close_needs_approval(actor.role):
        return None
    waiver = (command.waiver_reason or "").strip()
    if not waiver:
        return None  # the workflow's own guard refuses it, naming waiver_reason
    return Needed("close", {"waiver_reason": waiver}, waiver)


def _approver(uow: UnitOfWork, requester: User) -> str:
    """The requester's team lead when they are an agent and their team has an active one; else the
    first active manager."""
    if requester.role == Role.AGENT:
        lead = staff.team_lead_of(uow, requester.username)
        lead_user = uow.users.get(lead) if lead else None
        if lead_user is not None and lead_user.active and lead_user.username != requester.username:
            return lead_user.username
    managers = [u for u in uow.users.all() if u.active and u.role == Role.MANAGER]
    if not managers:
        raise WorkflowViolation("没有可以审批的班组长或经理，请先设置班组负责人", field="approval")
    return managers[0].username


def request(uow: UnitOfWork, command: Command, need: Needed, now: datetime) -> dict[str, Any]:
    """Inside an open unit of work: record the request; the complaint is not changed."""
    requester = uow.users.get(command.actor)
    assert requester is not None  # ``needed`` returns None for an actor without an account
    t = orm.approval_requests
    open_same = uow.users.session.execute(
        select(t.c.id).where(
            t.c.complaint_number == command.number, t.c.kind == need.kind, t.c.status == PENDING
        )
    ).first()
    if open_same is not None:
        raise WorkflowViolation(f"该投诉已有待审批的申请 #{open_same.id}，请等候审批结果", field="approval")
    approver = _approver(uow, requester)
    request_id = uow.users.session.execute(
        insert(t)
        .values(
            complaint_number=command.number,
            kind=need.kind,
            requested_by=command.actor,
            approver=approver,
            payload=need.payload,
            status=PENDING,
            requested_at=now,
        )
        .returning(t.c.id)
    ).scalar_one()
    uow.record_event(
        command.number,
        DomainEvent(
            "approval_requested", command.actor, now,
            {"request_id": request_id, "request_kind": need.kind, "approver": approver, "reason": need.reason,
             **need.payload},
        ),
    )  # fmt: skip
    return {"id": request_id, "kind": need.kind, "status": PENDING, "approver": approver, **need.payload}


def _row(uow: UnitOfWork, request_id: int) -> Any:
    row = uow.users.session.execute(
        select(orm.approval_requests).where(orm.approval_requests.c.id == request_id)
    ).first()
    if row is None:
        raise NotFound(f"审批申请 {request_id} 不存在", field="request_id")
    return row


def decide(uow: UnitOfWork, cmd: Decide, complaint: Complaint, now: datetime) -> None:
    """Inside the complaint's unit of work: mark the request decided and, approved, carry it out."""
    row = _row(uow, cmd.request_id)
    if row.complaint_number != complaint.number:
        raise InvalidInput(f"审批申请 {cmd.request_id} 不属于投诉单 {complaint.number}", field="request_id")
    if row.status != PENDING:
        raise WorkflowViolation(f"审批申请 {cmd.request_id} 已经处理过了（{row.status}）", field="request_id")
    decider = uow.users.get(cmd.actor)
    if decider is None or not (
        decider.username == row.approver
        or decider.role in permissions.roles_with(permissions.Permission.READ_STAFF)
    ):
        raise PermissionDenied(f"审批申请 {cmd.request_id} 应由 {row.approver} 审批", field="request_id")
    if decider.username == row.requested_by:
        raise PermissionDenied("不能审批自己提出的申请", field="request_id")
    if cmd.approve:
        payload = row.payload or {}
        if row.kind == "escalate":
            complaint.escalate(
                row.requested_by, now, str(payload.get("reason") or ""),
                to_level=payload.get("to_level"), to_user=payload.get("to_user"),
            )  # fmt: skip
        else:
            complaint.move_to(Stage.CLOSED, row.requested_by, now, waiver_reason=payload.get("waiver_reason"))
    uow.users.session.execute(
        update(orm.approval_requests)
        .where(orm.approval_requests.c.id == cmd.request_id)
        .values(status=APPROVED if cmd.approve else DECLINED, decided_by=cmd.actor, decided_at=now,
                decision_note=(cmd.note or "").strip()[:1000] or None)
    )  # fmt: skip
    uow.record_event(
        complaint.number,
        DomainEvent(
            "approval_decided", cmd.actor, now,
            {"request_id": cmd.request_id, "request_kind": row.kind, "approved": cmd.approve,
             "requested_by": row.requested_by, "note": cmd.note},
        ),
    )  # fmt: skip


def _view(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "complaint_number": row.complaint_number, "kind": row.kind,
        "requested_by": row.requested_by, "approver": row.approver, "payload": row.payload,
        "status": row.status, "requested_at": row.requested_at.isoformat(), "decided_by": row.decided_by,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None, "note": row.decision_note,
    }  # fmt: skip


def list_requests(uow: UnitOfWork, *, approver: str | None = None, number: str | None = None,
                  pending_only: bool = True) -> list[dict[str, Any]]:  # fmt: skip
    """Requests waiting for ``approver`` (or about complaint ``number``), oldest first."""
    t = orm.approval_requests.c
    query = select(orm.approval_requests).order_by(t.id)
    if approver is not None:
        query = query.where(t.approver == approver)
    if number is not None:
        query = query.where(t.complaint_number == number)
    if pending_only:
        query = query.where(t.status == PENDING)
    with uow.reading():
        return [_view(r) for r in uow.users.session.execute(query.limit(200)).all()]


def get_request(uow: UnitOfWork, request_id: int) -> dict[str, Any]:
    with uow.reading():
        return _view(_row(uow, request_id))


def escalation_candidates(uow: UnitOfWork, level: int) -> list[User]:
    """The people who may take an escalation to ``level`` (the escalation form's picker)."""
    with uow.reading():
        return [u for u in uow.users.all() if permissions.may_take_escalation(u, level)]
