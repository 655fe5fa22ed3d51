"""The status-page links of complaints: one unguessable, revocable link per complaint.

The token is the customer's only credential: 256 random bits (``secrets.token_urlsafe(32)``), found
through the database's unique index. A revoked link stays revoked; the next issue makes a new one.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from complaintdesk.domain.errors import NotFound
from complaintdesk.domain.model import DomainEvent
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage.orm import complaints as complaints_table
from complaintdesk.storage.orm_channels import status_links

LINK_PREFIX = "/t/"
UNKNOWN_LINK = "链接无效或已失效，请联系客服获取新的链接"
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{40,64}$")


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
        link = issue_within(uow, number, actor, now or datetime.now(UTC))
        uow.commit()
    return link


def current_link(uow: UnitOfWork, number: str) -> StatusLink | None:
    with uow.reading():
        complaint = uow.complaints.get(number)
        assert complaint.id is not None
        return _active(uow.users.session, complaint.id)


def link_by_complaint_id(session: Any, complaint_id: int) -> str:
    """The active link's path, for the mail the commit being written sends (``mail_outbox``)."""
    link = _active(session, complaint_id)
    if link is None:
        raise NotFound("投诉单没有有效的客户链接", field="token")
    return link.path


def revoke_link(uow: UnitOfWork, number: str, actor: str, *, now: datetime | None = None) -> None:
    """Revoke the complaint's link (a leaked or mistyped address); the next issue makes a new one."""
    now = now or datetime.now(UTC)
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


def number_for(uow: UnitOfWork, token: str) -> str:
    """The complaint number behind a live token; NotFound (one message for every failure) otherwise."""
    if not _TOKEN_SHAPE.match(token or ""):
        raise NotFound(UNKNOWN_LINK, field="token")
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
