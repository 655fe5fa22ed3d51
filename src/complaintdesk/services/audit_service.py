"""Audit use-cases: verify the whole chain, read one complaint's trail, read the newest events."""

from __future__ import annotations

from typing import Any

from complaintdesk.domain.audit import AuditRecord, ChainVerdict, verify_chain
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services.unit_of_work import UnitOfWork

MAX_RECENT = 200
READER_ROLES = ("auditor", "admin")  # who may verify the chain and read all of it, on the API and the web


def verify(uow: UnitOfWork) -> ChainVerdict:
    with uow.reading():
        return verify_chain(uow.audit.iter_all())


def _event(record: AuditRecord) -> dict[str, Any]:
    return {
        "seq": record.seq,
        "complaint_number": record.complaint_number,
        "kind": record.kind,
        "actor": record.actor,
        "at": record.at.isoformat(),
        "payload": record.payload,
        "hash": record.hash,
    }


def trail(uow: UnitOfWork, number: str) -> list[dict[str, Any]]:
    with uow.reading():
        uow.complaints.get(number)  # NotFound for an unknown number
        return [_event(r) for r in uow.audit.for_complaint(number)]


def recent(uow: UnitOfWork, *, limit: int = 50, before: int | None = None) -> list[dict[str, Any]]:
    """The newest events of the whole chain (calendar edits, logins, user changes and every complaint's),
    newest first; ``before`` pages back from a sequence number."""
    if not 1 <= limit <= MAX_RECENT:
        raise InvalidInput(f"limit 必须在 1 到 {MAX_RECENT} 之间", field="limit")
    if before is not None and before < 1:
        raise InvalidInput("before 必须是正整数 (事件序号)", field="before")
    with uow.reading():
        return [_event(r) for r in uow.audit.latest(limit, before)]
