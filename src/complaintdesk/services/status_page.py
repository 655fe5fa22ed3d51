"""The customer's status page (``/t/{token}``): what the customer may see through their link
(``status_links``), and what they may do there — add a message, upload a file, sign off.

The page never shows internal stage names, agents' usernames, notes or the full phone number.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.vocab import MessageKind, Stage
from complaintdesk.services import attachments, commands
from complaintdesk.services.handlers import handle
from complaintdesk.services.status_links import number_for
from complaintdesk.services.unit_of_work import UnitOfWork

CUSTOMER_AUTHOR = "客户（状态页）"  # author of what the customer writes on the page, and the actor of its events
MESSAGE_LIMIT = 2000
# The stages in which the customer is asked to confirm the outcome (Complaint.sign_off's guard).
SIGN_OFF_STAGES = (Stage.ACTING, Stage.THANKING, Stage.FOLLOW_UP)


def customer_view(uow: UnitOfWork, token: str) -> dict[str, Any]:
    """What the customer sees: number, stage, promises, the replies and their own messages."""
    number = number_for(uow, token)
    now = datetime.now(UTC)
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
                {"what": p.what, "due_at": p.due_at, "kept": p.kept, "overdue": p.is_overdue(now)}
                for p in complaint.promises
            ],
            "conversation": conversation,
            "files": [{"filename": a.filename, "at": a.at} for a in complaint.attachments if a.from_customer],
            "signoff": None
            if complaint.signoff_satisfied is None
            else {"satisfied": complaint.signoff_satisfied, "at": complaint.signoff_at},
            "can_sign_off": complaint.stage in SIGN_OFF_STAGES and complaint.signoff_satisfied is None,
        }


def customer_message(uow: UnitOfWork, token: str, body: str, *, now: datetime | None = None) -> None:
    """The customer adds a message to their complaint (an inbound message on the timeline)."""
    text = (body or "").strip()
    if len(text) > MESSAGE_LIMIT:
        raise InvalidInput(f"留言过长（最多 {MESSAGE_LIMIT} 字）", field="body")
    number = number_for(uow, token)
    command = commands.AddMessage(number=number, kind=MessageKind.INBOUND.value, body=text, actor=CUSTOMER_AUTHOR)
    handle(uow, command, now=now)


def customer_sign_off(
    uow: UnitOfWork, token: str, satisfied: bool, reason: str | None, *, now: datetime | None = None
) -> None:
    """The customer's own sign-off: the workflow's, so 'not satisfied' (a reason required) reopens."""
    if reason is not None and len(reason) > MESSAGE_LIMIT:
        raise InvalidInput(f"原因过长（最多 {MESSAGE_LIMIT} 字）", field="reason")
    number = number_for(uow, token)
    handle(uow, commands.SignOff(number=number, satisfied=satisfied, reason=reason, actor=CUSTOMER_AUTHOR), now=now)


def customer_upload(
    uow: UnitOfWork, token: str, filename: str, content: bytes, content_type: str | None,
    *, now: datetime | None = None,
) -> None:  # fmt: skip
    """A file the customer sends from their page: an attachment of the complaint marked as theirs,
    within the agents' limits (size and types: ``attachments.check_file``)."""
    number = number_for(uow, token)
    attachments.add_attachment(
        uow, number, attachments.safe_filename(filename), content, CUSTOMER_AUTHOR,
        content_type=content_type, now=now, from_customer=True,
    )  # fmt: skip
