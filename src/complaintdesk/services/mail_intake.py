"""Mail in: a new mail opens a complaint (channel e-mail, analysed like any intake) and is answered
with an acknowledgement carrying the number and the status-page link; a reply threads into its
complaint; a machine's mail (auto-reply, bounce, list) is recorded and left alone — never a complaint,
never an answer, so two systems cannot mail each other forever. Each mail is taken in by one unit of
work, recorded by its Message-ID: a second delivery of it changes nothing.

Threading: In-Reply-To/References naming one of our mails (or an earlier mail of the complaint), else
the complaint number in the subject — but only from an address known for that complaint's customer,
since numbers are easy to guess and a stranger must not write into someone else's complaint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select

from complaintdesk.channels.mail_compose import NUMBER_IN_SUBJECT
from complaintdesk.channels.mail_parse import InboundMail, MailFile, parse
from complaintdesk.domain.errors import Conflict, InvalidInput, NotFound
from complaintdesk.domain.model import Complaint, Customer
from complaintdesk.domain.vocab import Channel, MessageKind, Segment
from complaintdesk.services import attachments, mail_outbox, sla_service
from complaintdesk.services import complaints as svc
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage.orm_channels import customer_emails, inbound_mails
from complaintdesk.storage.orm_channels import mail_outbox as outbox_table

log = logging.getLogger(__name__)

ACTOR = "mail"  # the actor of what the mail channel does on its own
EMPTY_BODY = "（邮件没有正文）"


@dataclass(frozen=True)
class Intake:
    outcome: str  # opened | threaded | ignored | duplicate
    number: str | None = None
    reason: str | None = None


def _seen(uow: UnitOfWork, message_id: str) -> Intake | None:
    row = uow.users.session.execute(
        select(inbound_mails.c.complaint_number).where(inbound_mails.c.rfc_message_id == message_id)
    ).first()
    return Intake("duplicate", row.complaint_number, "already taken in") if row else None


def _record(uow: UnitOfWork, mail: InboundMail, outcome: str, number: str | None, reason: str | None, now: datetime) -> None:
    uow.users.session.execute(
        insert(inbound_mails).values(
            rfc_message_id=mail.message_id,
            complaint_number=number,
            outcome=outcome,
            reason=(reason or "")[:200] or None,
            received_at=now,
        )
    )


def _thread_of(uow: UnitOfWork, mail: InboundMail) -> str | None:
    session = uow.users.session
    ids = mail.in_reply_to + mail.references
    if ids:
        ours = session.execute(
            select(outbox_table.c.complaint_number).where(outbox_table.c.rfc_message_id.in_(ids)).limit(1)
        ).scalar_one_or_none()
        if ours is None:
            ours = session.execute(
                select(inbound_mails.c.complaint_number)
                .where(inbound_mails.c.rfc_message_id.in_(ids), inbound_mails.c.complaint_number.is_not(None))
                .limit(1)
            ).scalar_one_or_none()
        if ours is not None:
            return str(ours)
    found = NUMBER_IN_SUBJECT.search(mail.subject)
    if found is None:
        return None
    try:
        complaint = uow.complaints.get(found.group(1))
    except NotFound:
        return None
    owner = session.execute(
        select(customer_emails.c.customer_id).where(customer_emails.c.address == mail.sender)
    ).scalar_one_or_none()
    return complaint.number if owner == complaint.customer_id else None


def _attach(uow: UnitOfWork, complaint: Complaint, files: list[MailFile], now: datetime) -> list[str]:
    """Store the files within today's limits; the others are named in a note, with why."""
    refused = []
    for f in files:
        try:
            kind, digest = attachments.check_file(f.filename, f.content, f.content_type)
        except InvalidInput as exc:
            refused.append(f"{f.filename}:{exc.message}")
            continue
        uow.blobs.put(digest, f.content)
        complaint.add_attachment(f.filename[:255], kind, len(f.content), digest, ACTOR, now)
    if refused:
        complaint.add_message(MessageKind.NOTE, ACTOR, "邮件附件未保存：" + ";".join(refused), now)
    return refused


def _customer(uow: UnitOfWork, mail: InboundMail, now: datetime) -> Customer:
    known = uow.users.session.execute(
        select(customer_emails.c.customer_id).where(customer_emails.c.address == mail.sender)
    ).scalar_one_or_none()
    if known is not None:
        return uow.customers.get(known)
    shown = mail.sender_name or mail.sender.split("@")[0]
    # Customers are told apart by phone and name; one who wrote without a phone keeps the address in
    # the name, so two of one name stay two (the phone is asked for, never assumed).
    return Customer(f"{shown}({mail.sender})"[:100], "", Segment.REGULAR, created_at=now, phone_unknown=True)


def _open(uow: UnitOfWork, mail: InboundMail, now: datetime) -> str:
    customer = _customer(uow, mail, now)
    text = mail.text or mail.subject
    title = (mail.subject or (text.splitlines()[0] if text else ""))[:200]
    cmd = svc.OpenComplaint(
        customer_name=customer.name,
        phone=customer.phone,
        title=title or "（无标题邮件）",
        description=text or EMPTY_BODY,
        channel=Channel.EMAIL.value,
        actor=ACTOR,
        opened_at=now,
        route=True,  # data/routing.yaml: to a team or an agent; without a matching rule, owned by `mail`
    )
    complaint, customer = svc.open_within(uow, cmd, now=now, customer=customer)
    assert customer.id is not None
    mail_outbox.remember_address(uow.users.session, customer.id, mail.sender, now)
    _attach(uow, complaint, mail.files, now)
    uow.flush()
    mail_outbox.queue_within(uow, complaint.number, "acknowledgement", mail.sender, ACTOR, now)
    return complaint.number


def _thread(uow: UnitOfWork, number: str, mail: InboundMail, now: datetime) -> None:
    complaint = uow.complaints.get(number)
    author = (mail.sender_name or mail.sender)[:100]
    complaint.add_message(MessageKind.INBOUND, author, mail.text or EMPTY_BODY, now)
    _attach(uow, complaint, mail.files, now)
    sla_service.on_complaint_changed(uow, complaint, now)


def take_in(
    uow_factory: Callable[[], UnitOfWork], raw: bytes, envelope_from: str | None = None, *, now: datetime | None = None
) -> Intake:
    """One mail, taken in whole or not at all. Errors other than bad content propagate: the SMTP
    listener then answers 451 and the sending server delivers the mail again later."""
    mail = parse(raw, envelope_from)
    now = now or datetime.now(UTC)
    try:
        return _take_in(uow_factory(), mail, now)
    except Conflict:  # the same mail delivered twice at once: the other delivery recorded it
        with uow_factory().reading() as uow:
            seen = _seen(uow, mail.message_id)
        if seen is None:
            raise
        return seen
    except InvalidInput as exc:  # content no complaint can be made of: recorded, not retried forever
        with uow_factory() as uow:
            if _seen(uow, mail.message_id) is None:
                _record(uow, mail, "ignored", None, exc.message, now)
                uow.commit()
        return Intake("ignored", None, exc.message)


def _take_in(uow: UnitOfWork, mail: InboundMail, now: datetime) -> Intake:
    with uow:
        seen = _seen(uow, mail.message_id)
        if seen is not None:
            return seen
        if mail.automatic is not None:
            _record(uow, mail, "ignored", None, mail.automatic, now)
            uow.commit()
            log.info("mail %s ignored: %s", mail.message_id, mail.automatic)
            return Intake("ignored", None, mail.automatic)
        number = _thread_of(uow, mail)
        if number is not None:
            _thread(uow, number, mail, now)
            outcome = "threaded"
        else:
            number = _open(uow, mail, now)
            outcome = "opened"
        _record(uow, mail, outcome, number, None, now)
        uow.commit()
        return Intake(outcome, number)

