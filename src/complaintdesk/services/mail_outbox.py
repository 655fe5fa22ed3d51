"""Mail to customers: a durable outbox, written with the change that sends it, delivered by a worker.

A use-case that sends mail records a ``mail_queued`` event; ``queue_mails``, a commit handler
(``bootstrap.commit_pipeline``), turns each into an outbox row in the same transaction — so a reply
marked "send to customer" exists exactly when its mail does, and no request ever waits for SMTP. The
handler composes the text from the committed state (data/mail.yaml): the status-page token goes into
the mail, never into the audit trail. ``deliver_due`` sends due rows (claimed with SKIP LOCKED and a
lease, like the webhook outbox): queued → sent, or retried with backoff, or failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from functools import lru_cache
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from complaintdesk.channels.mail_compose import compose, new_message_id
from complaintdesk.channels.smtp import SendResult
from complaintdesk.domain.errors import ConfigurationError, InvalidInput
from complaintdesk.domain.model import Complaint, DomainEvent
from complaintdesk.domain.vocab import MessageKind
from complaintdesk.services import status_links
from complaintdesk.services.commit_pipeline import Commit
from complaintdesk.services.delivery_attempts import BASE_BACKOFF as BASE_BACKOFF
from complaintdesk.services.delivery_attempts import LEASE, outcome_values
from complaintdesk.services.delivery_attempts import MAX_ATTEMPTS as MAX_ATTEMPTS
from complaintdesk.services.delivery_attempts import MAX_BACKOFF as MAX_BACKOFF
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import get_settings
from complaintdesk.storage.orm import complaints as complaints_table
from complaintdesk.storage.orm import customers as customers_table
from complaintdesk.storage.orm import messages as messages_table
from complaintdesk.storage.orm_channels import customer_emails, inbound_mails, mail_outbox
from complaintdesk.yamldata import load_yaml, shipped_text

log = logging.getLogger(__name__)

QUEUED_EVENT = "mail_queued"

MailSender = Callable[[EmailMessage], SendResult]


@lru_cache(maxsize=1)
def templates() -> dict[str, dict[str, str]]:
    data = load_yaml(shipped_text("complaintdesk.data", "mail.yaml"))
    for purpose in ("acknowledgement", "reply"):
        if not isinstance(data.get(purpose), dict) or not {"subject", "body"} <= set(data[purpose]):
            raise ConfigurationError(f"data/mail.yaml: {purpose} 需要 subject 和 body", field=purpose)
    return {k: {"subject": str(v["subject"]), "body": str(v["body"])} for k, v in data.items()}


# -- customers' addresses -----------------------------------------------------------------------------


def normalise_address(address: str) -> str:
    text = (address or "").strip().lower()
    if len(text) > 254 or text.count("@") != 1 or not all(text.split("@")) or any(c in text for c in " <>\r\n"):
        raise InvalidInput(f"邮箱地址 {address!r} 无效", field="email")
    return text


def customer_address(session: Session, customer_id: int) -> str | None:
    t = customer_emails.c
    return session.execute(
        select(t.address).where(t.customer_id == customer_id).order_by(t.created_at.desc()).limit(1)
    ).scalar_one_or_none()


def remember_address(session: Session, customer_id: int, address: str, now: datetime) -> None:
    """Record that this customer writes from ``address`` (kept if already known)."""
    known = session.execute(
        select(customer_emails.c.customer_id).where(customer_emails.c.address == address)
    ).scalar_one_or_none()
    if known is None:
        session.execute(insert(customer_emails).values(address=address, customer_id=customer_id, created_at=now))


# -- queueing: inside the sending use-case, then the commit handler -------------------------------------


def queue_within(
    uow: UnitOfWork,
    number: str,
    purpose: str,
    to: str,
    actor: str,
    now: datetime,
    *,
    message_id: int | None = None,
) -> None:
    """Ask for a mail to the customer in the open unit of work; its row is written at the commit."""
    status_links.issue_within(uow, number, actor, now)  # every mail carries the status-page link
    payload: dict[str, Any] = {"purpose": purpose, "to": to, "message_id": message_id}
    uow.record_event(number, DomainEvent(QUEUED_EVENT, actor, now, payload))


def reply_by_mail(uow: UnitOfWork, kind: MessageKind, actor: str, body: str, now: datetime) -> Callable[[Complaint], None]:
    """The change of an agent's reply marked "send to customer" (``handlers``): the message on the
    timeline and its mail to the customer's address, in one commit. Refused, with nothing written,
    for a note or for a customer without a known address."""
    if kind != MessageKind.OUTBOUND:
        raise InvalidInput("只有回复（outbound）可以发送给客户，备注和来电记录不会发出", field="send_to_customer")

    def reply(complaint: Complaint) -> None:
        to = customer_address(uow.users.session, complaint.customer_id)
        if to is None:
            raise InvalidInput("该客户没有登记邮箱地址，无法发送邮件", field="send_to_customer")
        message = complaint.add_message(MessageKind.OUTBOUND, actor, body, now)
        uow.flush()  # the message's id, which the outbox row points to
        queue_within(uow, complaint.number, "reply", to, actor, now, message_id=message.id)

    return reply


def _context(session: Session, number: str) -> dict[str, Any]:
    c, cu = complaints_table.c, customers_table.c
    row = session.execute(
        select(c.id, c.title, c.customer_id, cu.name).join(customers_table, cu.id == c.customer_id).where(c.number == number)
    ).one()
    # A customer known only by address is named "名字(address)" (mail_intake): greet the name alone.
    head, cut, tail = str(row.name).rpartition("(")
    return {"id": row.id, "title": row.title, "name": head if cut and "@" in tail else row.name}


def _last_inbound_id(session: Session, number: str) -> str | None:
    t = inbound_mails.c
    return session.execute(
        select(t.rfc_message_id)
        .where(t.complaint_number == number, t.outcome != "ignored")
        .order_by(t.received_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def queue_mails(commit: Commit) -> None:
    """Commit handler: an outbox row for every ``mail_queued`` event of this commit."""
    wanted = [(n, e) for n, e in commit.events if e.kind == QUEUED_EVENT and n is not None]
    if not wanted:
        return
    session, settings = commit.session, get_settings()
    rows = []
    for number, event in wanted:
        assert number is not None
        purpose = str(event.payload["purpose"])
        ctx = _context(session, number)
        link = status_links.link_by_complaint_id(session, ctx["id"])
        body = ""
        if event.payload.get("message_id") is not None:
            body = session.execute(
                select(messages_table.c.body).where(messages_table.c.id == event.payload["message_id"])
            ).scalar_one()
        values = {
            "number": number,
            "title": ctx["title"],
            "name": ctx["name"],
            "link": settings.public_url.rstrip("/") + link,
            "body": body,
        }
        text = templates()[purpose]
        rows.append(
            {
                "complaint_number": number,
                "message_id": event.payload.get("message_id"),
                "purpose": purpose,
                "to_addr": event.payload["to"],
                "subject": text["subject"].format(**values)[:300],
                "body": text["body"].format(**values),
                "rfc_message_id": new_message_id(number, settings.mail_from),
                "in_reply_to": _last_inbound_id(session, number),
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": event.at,
                "created_at": event.at,
            }
        )
    # No savepoint on purpose: if the mail cannot be queued, the change is not committed either.
    session.execute(insert(mail_outbox), rows)


# -- what the desk shows --------------------------------------------------------------------------------


def _row_view(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "message_id": r.message_id,
        "purpose": r.purpose,
        "to": r.to_addr,
        "subject": r.subject,
        "status": r.status,
        "attempts": r.attempts,
        "next_attempt_at": r.next_attempt_at.isoformat() if r.status == "queued" else None,
        "sent_at": r.sent_at.isoformat() if r.sent_at else None,
        "last_error": r.last_error,
        "created_at": r.created_at.isoformat(),
    }


def mails_of(uow: UnitOfWork, number: str) -> list[dict[str, Any]]:
    """The complaint's outgoing mail and each one's delivery status, oldest first."""
    t = mail_outbox.c
    with uow.reading():
        uow.complaints.get(number)  # NotFound for an unknown number
        rows = uow.users.session.execute(select(mail_outbox).where(t.complaint_number == number).order_by(t.id)).all()
    return [_row_view(r) for r in rows]


# -- delivery -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailRun:
    claimed: int
    sent: int
    retrying: int
    failed: int

    def to_dict(self) -> dict[str, int]:
        return {"claimed": self.claimed, "sent": self.sent, "retrying": self.retrying, "failed": self.failed}


def _claim(uow: UnitOfWork, now: datetime, batch: int) -> list[Any]:
    t = mail_outbox.c
    with uow:
        session = uow.users.session
        rows = session.execute(
            select(mail_outbox)
            .where(t.status == "queued", t.next_attempt_at <= now)
            .order_by(t.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        if rows:
            session.execute(
                update(mail_outbox).where(t.id.in_([r.id for r in rows])).values(next_attempt_at=now + LEASE)
            )
        session.commit()
    return list(rows)


def _record(uow: UnitOfWork, row: Any, result: SendResult, now: datetime) -> str:
    values = outcome_values(row.attempts, ok=result.ok, retry=result.retry, error=result.error, now=now)
    with uow:
        uow.users.session.execute(update(mail_outbox).where(mail_outbox.c.id == row.id).values(**values))
        uow.users.session.commit()
    return str(values.get("status", "retrying"))


def to_message(row: Any) -> EmailMessage:
    return compose(
        mail_from=get_settings().mail_from,
        to=row.to_addr,
        subject=row.subject,
        body=row.body,
        message_id=row.rfc_message_id,
        at=row.created_at,
        in_reply_to=row.in_reply_to,
        automatic=row.purpose == "acknowledgement",
    )


def deliver_due(
    uow_factory: Callable[[], UnitOfWork],
    sender: MailSender,
    *,
    now: datetime | None = None,
    batch: int = 20,
) -> MailRun:
    """Send one batch of due mail. No transaction is open while the mail server answers."""
    now = now or datetime.now(UTC)
    rows = _claim(uow_factory(), now, batch)
    outcome = {"sent": 0, "retrying": 0, "failed": 0}
    for row in rows:
        try:
            result = sender(to_message(row))
        except Exception as exc:  # a broken sender must not strand the claimed rows
            result = SendResult(False, f"{type(exc).__name__}: {exc}"[:300])
        outcome[_record(uow_factory(), row, result, now)] += 1
    return MailRun(len(rows), outcome["sent"], outcome["retrying"], outcome["failed"])


def smtp_sender() -> Any:
    """The configured SMTP sender, or None while ``COMPLAINTDESK_SMTP_URL`` is unset (mail waits)."""
    from complaintdesk.channels.smtp import SmtpSender, parse_smtp_url

    url = get_settings().smtp_url
    return SmtpSender(parse_smtp_url(url)) if url else None


def deliver_with_smtp(uow_factory: Callable[[], UnitOfWork], *, batch: int = 20) -> MailRun | None:
    """One batch over one SMTP connection; None when no SMTP server is configured."""
    sender = smtp_sender()
    if sender is None:
        return None
    with sender.session():
        return deliver_due(uow_factory, sender, batch=batch)


def add_customer_address(uow: UnitOfWork, number: str, address: str, actor: str, *, now: datetime | None = None) -> str:
    """Record the e-mail address of a complaint's customer (replies can then be mailed to it)."""
    now = now or datetime.now(UTC)
    clean = normalise_address(address)
    with uow:
        complaint = uow.complaints.get(number)
        remember_address(uow.users.session, complaint.customer_id, clean, now)
        uow.record_event(number, DomainEvent("customer_email_added", actor, now, {"email": clean}))
        uow.commit()
    return clean
