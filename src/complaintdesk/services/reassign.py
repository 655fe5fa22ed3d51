"""Bulk reassignment: a lead hands the selected complaints, or every open one of an absent agent, to
a colleague in one request.

Each complaint goes through ``handlers.handle`` of the ordinary ``Transfer`` command, so each one is
checked (the target may own it, the lead may assign to them), counted towards the runaround flag and
written to the audit trail exactly as a single transfer is. One refused complaint does not stop the
others: the result lists what moved and why the rest did not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from complaintdesk.domain.errors import ComplaintDeskError, InvalidInput
from complaintdesk.services import owners, permissions, queue
from complaintdesk.services.commands import Transfer
from complaintdesk.services.handlers import handle
from complaintdesk.services.permissions import Permission, Staff
from complaintdesk.services.unit_of_work import UnitOfWork

MAX_SELECTED = 500  # a page's worth of ticked rows; an absent agent's whole queue goes by from_owner
PAGE = 200


@dataclass(frozen=True)
class Reassignment:
    to_owner: str
    reason: str
    numbers: tuple[str, ...] = ()  # the ticked complaints, or
    from_owner: str | None = None  # every open complaint of this owner


@dataclass
class ReassignResult:
    moved: list[str] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)  # number, field, message

    def to_dict(self) -> dict[str, Any]:
        return {"moved": self.moved, "refused": self.refused, "moved_count": len(self.moved)}


def _check(request: Reassignment) -> None:
    if not (request.to_owner or "").strip():
        raise InvalidInput("请选择接手的处理人", field="to_owner")
    if not (request.reason or "").strip():
        raise InvalidInput("请填写转派原因（会写入每张投诉单的审计记录）", field="reason")
    if bool(request.numbers) == bool(request.from_owner):
        raise InvalidInput("请勾选投诉单，或指定要接手其全部投诉的处理人（二选一）", field="numbers")
    if len(request.numbers) > MAX_SELECTED:
        raise InvalidInput(f"一次最多转派 {MAX_SELECTED} 张投诉单", field="numbers")


def _open_of(uow: UnitOfWork, actor: Staff, owner: str) -> list[str]:
    """Every open complaint of ``owner`` the actor may see, page after page."""
    numbers: list[str] = []
    cursor = None
    while True:
        query = queue.QueueQuery(owner=owner, open_only=True, limit=PAGE, cursor=cursor)
        page = queue.list_queue(uow, query, viewer=actor)
        numbers += [s["number"] for s in page.summaries]
        if page.next_cursor is None:
            return numbers
        cursor = page.next_cursor


def reassign(
    uow: UnitOfWork, actor: Staff, request: Reassignment, *, now: datetime | None = None
) -> ReassignResult:
    """Transfer each complaint to ``request.to_owner``; refused as a whole only for who may not
    reassign in bulk or for a request that names neither complaints nor an owner."""
    permissions.require(actor.role, Permission.REASSIGN_IN_BULK)
    _check(request)
    numbers = list(dict.fromkeys(request.numbers)) or _open_of(uow, actor, request.from_owner or "")
    target = request.to_owner.strip()
    with uow.reading():  # an unknown or unassignable colleague refuses the whole request, once
        owners.check_owner(uow, actor.username, target, "to_owner")
    result = ReassignResult()
    for number in numbers:
        try:
            queue.check_visible(uow, actor, number)
            handle(
                uow,
                Transfer(number=number, actor=actor.username, to_owner=target, reason=request.reason),
                now=now,
            )
        except ComplaintDeskError as refusal:
            result.refused.append(
                {"number": number, "field": refusal.field or "", "message": refusal.message}
            )
        else:
            result.moved.append(number)
    return result
