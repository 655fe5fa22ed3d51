"""The customer's status page (``/t/{token}``): one unguessable, revocable link per complaint, what the
customer may see through it, and what they may do there (add a message, sign off).

The token is the customer's only credential, so it is 256 random bits, compared by the database's
unique index, and a revoked or unknown token gets the same answer. The page never shows internal
stage names, agents' usernames, notes or the full phone number.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from complaintdesk.domain.errors import InvalidInput, NotFound
from complaintdesk.domain.model import DomainEvent
from complaintdesk.domain.vocab import MessageKind, Stage
from complaintdesk.services import complaints as svc
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage.orm_channels import status_links

LINK_PREFIX = "/t/"
CUSTOMER_AUTHOR = "客户(状态页)"  # author of what the customer writes on the page, and the actor of its events
MESSAGE_LIMIT = 2000
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
# The stages in which the customer is asked to confirm the outcome (Complaint.sign_off's guard).
SIGN_OFF_STAGES = (Stage.ACTING, Stage.THANKING, Stage.FOLLOW_UP)
UNKNOWN_LINK = "链接无效或已失效,请联系客服获取新的链接"


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class StatusLink:
    token: str
    created_at: datetime

    @property
    def path(self) -> str:
        return f"{LINK_PREFIX}{self.token}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "token": self.token, "created_at": self.created_at.isoformat()}


def _active(session: Any, complaint_id: int) -> StatusLink | None:
    t = status_links.c
    row = session.execute(
        select(t.token, t.created_at)
        .where(t.complaint_id == complaint_id, t.revoked_at.is_(None))
        .order_by(t.id.desc())
    ).first()
    return StatusLink(row.token, row.created_at) if row else None


def issue_within(uow: UnitOfWork, number: str, actor: str, now: datetime) -> StatusLink:
    """The complaint's active link, made now if it has none, inside an open unit of work."""
    complaint = uow.complaints.get(number)
    assert complaint.id is not None
    session = uow.users.session
    link = _active(session, complaint.id)
    if link is not None:
        return link
    token = secrets.token_urlsafe(32)
    session.execute(
        insert(status_links).values(complaint_id=complaint.id, token=token, created_by=actor, created_at=now)
    )
    uow.record_event(number, DomainEvent("status_link_issued", actor, now, {}))
    return StatusLink(token, now)


def issue_link(uow: UnitOfWork, number: str, actor: str, *, now: datetime | None = None) -> StatusLink:
    """The link to give the customer: the same one until it is revoked."""
    with uow:
        link = issue_within(uow, number, actor, now or utcnow())
        uow.commit()
    return link


def current_link(uow: UnitOfWork, number: str) -> StatusLink | None:
    with uow.reading():
        complaint = uow.complaints.get(number)
        assert complaint.id is not None
        return _active(uow.users.session, complaint.id)


def revoke_link(uow: UnitOfWork, number: str, actor: str, *, now: datetime | None = None) -> None:
    """Revoke the complaint's link (a leaked or mistyped address); the next issue makes a new one."""
    now = now or utcnow()
    t = status_links.c
    with uow:
        complaint = uow.complaints.get(number)
        done = uow.users.session.execute(
            update(status_links)
            .where(t.complaint_id == complaint.id, t.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            raise NotFound(f"投诉单 {number} 没有有效的客户链接", field="number")
        uow.record_event(number, DomainEvent("status_link_revoked", actor, now, {}))
        uow.commit()


def _number_for(uow: UnitOfWork, token: str) -> str:
    """The complaint number behind a live token; NotFound (one message for every failure) otherwise."""
    if not _TOKEN_SHAPE.match(token or ""):
        raise NotFound(UNKNOWN_LINK, field="token")
    from complaintdesk.storage.orm import complaints as complaints_table

    t, c = status_links.c, complaints_table.c
    with uow.reading():
        number = uow.users.session.execute(
            select(c.number)
            .join(complaints_table, c.id == t.complaint_id)
            .where(t.token == token, t.revoked_at.is_(None))
        ).scalar_one_or_none()
    if number is None:
        raise NotFound(UNKNOWN_LINK, field="token")
    return str(number)


def customer_view(uow: UnitOfWork, token: str) -> dict[str, Any]:
    """What the customer sees: number, stage, promises, the replies and their own messages."""
    number = _number_for(uow, token)
    with uow.reading():
        complaint = uow.complaints.get(number)
        customer = uow.customers.get(complaint.customer_id)
        conversation = [
            {"from_us": m.kind == MessageKind.OUTBOUND, "body": m.body, "at": m.at}
            for m in complaint.messages
            if m.kind in (MessageKind.OUTBOUND, MessageKind.INBOUND)  # notes are internal
        ]
        return {
            "number": complaint.number,
            "title": complaint.title,
            "stage": complaint.stage.value,
            "opened_at": complaint.opened_at,
            "customer_name": customer.name,
            "masked_phone": customer.masked_phone,
            "promises": [
                {"what": p.what, "due_at": p.due_at, "kept": p.kept, "overdue": p.is_overdue(utcnow())}
                for p in complaint.promises
            ],
            "conversation": conversation,
            "signoff": None
            if complaint.signoff_satisfied is None
            else {"satisfied": complaint.signoff_satisfied, "at": complaint.signoff_at},
            "can_sign_off": complaint.stage in SIGN_OFF_STAGES and complaint.signoff_satisfied is None,
        }


def customer_message(uow: UnitOfWork, token: str, body: str, *, now: datetime | None = None) -> None:
    """The customer adds a message to their complaint (an inbound message on the timeline)."""
    text = (body or "").strip()
    if len(text) > MESSAGE_LIMIT:
        raise InvalidInput(f"留言过长(最多 {MESSAGE_LIMIT} 字)", field="body")
    number = _number_for(uow, token)
    svc.add_message(uow, number, MessageKind.INBOUND.value, CUSTOMER_AUTHOR, text, now=now)


def customer_sign_off(
    uow: UnitOfWork, token: str, satisfied: bool, reason: str | None, *, now: datetime | None = None
) -> None:
    """The customer's own sign-off: the workflow's, so 'not satisfied' (a reason required) reopens."""
    if reason is not None and len(reason) > MESSAGE_LIMIT:
        raise InvalidInput(f"原因过长(最多 {MESSAGE_LIMIT} 字)", field="reason")
    number = _number_for(uow, token)
    svc.sign_off(uow, number, satisfied, reason, CUSTOMER_AUTHOR, now=now)


def link_by_complaint_id(session: Any, complaint_id: int) -> str:
    """The active link's path, for the mail the commit being written sends (``mail_outbox``)."""
    link = _active(session, complaint_id)
    if link is None:
        raise NotFound("投诉单没有有效的客户链接", field="token")
    return link.path
