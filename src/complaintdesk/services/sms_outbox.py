"""SMS to customers: a durable outbox written with the reply that sends it, delivered by a worker.

A reply sent by SMS (``outbound.reply_to_customer``) adds the timeline message and, in the same
transaction, its outbox row: the whole text as the customer will read it (data/sms.yaml, the provider's
sign in front, each template variable cut to the provider's limit) and its segment count. A customer
who opted out gets no SMS: the row is written ``skipped`` with the reason, so the record says why.
``deliver_due`` sends due rows (claimed with SKIP LOCKED and a lease, like the mail outbox): queued →
sent, or retried with backoff, or failed; a customer who opted out meanwhile is skipped then.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from string import Formatter
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from complaintdesk.channels.sms import (
    PARAM_NAMES,
    SmsConfig,
    SmsProvider,
    SmsRequest,
    SmsResult,
    count_segments,
    error_text,
    is_mobile,
    parse_sms_url,
    template_params,
)
from complaintdesk.channels.sms_providers import make_provider
from complaintdesk.domain.errors import ConfigurationError, InvalidInput
from complaintdesk.domain.model import Complaint, DomainEvent
from complaintdesk.domain.phones import mask_phone
from complaintdesk.domain.vocab import Channel, MessageKind
from complaintdesk.services import mail_outbox, status_links
from complaintdesk.services.delivery_attempts import BASE_BACKOFF as BASE_BACKOFF
from complaintdesk.services.delivery_attempts import LEASE, outcome_values
from complaintdesk.services.delivery_attempts import MAX_ATTEMPTS as MAX_ATTEMPTS
from complaintdesk.services.delivery_attempts import MAX_BACKOFF as MAX_BACKOFF
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import get_settings
from complaintdesk.storage.orm import complaints as complaints_table
from complaintdesk.storage.orm import customers as customers_table
from complaintdesk.storage.orm_sms import sms_opt_outs, sms_outbox
from complaintdesk.yamldata import load_yaml, shipped_text

log = logging.getLogger(__name__)

QUEUED_EVENT = "sms_queued"
MAX_SEGMENTS = 8  # longer is refused: providers cap a long SMS near 500 characters
OPTED_OUT = "客户已退订短信，未发送"
_LINK_SHAPE = "/t/" + "x" * 43  # a preview's stand-in for the status link: same length, no token made


@lru_cache(maxsize=1)
def templates() -> dict[str, str]:
    data = load_yaml(shipped_text("complaintdesk.data", "sms.yaml"))
    if not isinstance(data.get("reply"), str):
        raise ConfigurationError("data/sms.yaml：需要 reply（短信正文模板）", field="reply")
    for purpose, text in data.items():
        names = {name for _, name, _, _ in Formatter().parse(str(text)) if name}
        if not names <= set(PARAM_NAMES):
            raise ConfigurationError(
                f"data/sms.yaml: {purpose} 只能使用 {', '.join(PARAM_NAMES)}", field=str(purpose)
            )
    return {str(k): str(v) for k, v in data.items()}


def configured() -> SmsConfig | None:
    """The provider of ``COMPLAINTDESK_SMS_URL``, or None while it is unset (SMS waits queued)."""
    url = get_settings().sms_url
    return parse_sms_url(url) if url else None


def render(config: SmsConfig | None, values: dict[str, str], purpose: str = "reply") -> tuple[str, dict[str, str]]:
    """The text the customer reads and the variables the provider fills, each cut as the provider cuts it."""
    if config is None:
        params = {name: values.get(name, "") for name in PARAM_NAMES}
        sign = ""
    else:
        params = template_params(config, values)
        sign = f"【{config.sign}】" if config.sign else ""
    shown = {name: params.get(name, values.get(name, "")) for name in PARAM_NAMES}
    return sign + templates()[purpose].format(**shown), params


# -- customers: phone, opt-out --------------------------------------------------------------------------------


def _customer(session: Session, customer_id: int) -> Any:
    cu = customers_table.c
    return session.execute(select(cu.id, cu.name, cu.phone).where(cu.id == customer_id)).one()


def opt_out_reason(session: Session, customer_id: int) -> str | None:
    t = sms_opt_outs.c
    return session.execute(select(t.reason).where(t.customer_id == customer_id)).scalar_one_or_none()


def set_opt_out(
    uow: UnitOfWork, number: str, opted_out: bool, reason: str, actor: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """Record that the complaint's customer wants no SMS (or wants them again): set by an agent, who
    heard it on a call, or by the customer's 退订 reply."""
    now = now or datetime.now(UTC)
    clean = (reason or "").strip()
    if opted_out and not clean:
        raise InvalidInput("请写明退订原因（如：客户来电要求不再接收短信）", field="reason")
    if len(clean) > 200:
        raise InvalidInput("原因过长（最多 200 字）", field="reason")
    with uow:
        complaint = uow.complaints.get(number)
        session = uow.users.session
        session.execute(delete(sms_opt_outs).where(sms_opt_outs.c.customer_id == complaint.customer_id))
        if opted_out:
            session.execute(
                insert(sms_opt_outs).values(
                    customer_id=complaint.customer_id, reason=clean, source="agent", created_by=actor, created_at=now
                )
            )
        kind = "sms_opted_out" if opted_out else "sms_opted_in"
        uow.record_event(number, DomainEvent(kind, actor, now, {"reason": clean} if opted_out else {}))
        uow.commit()
    return {"number": number, "sms_opted_out": opted_out, "reason": clean if opted_out else None}


# -- queueing: inside the reply's unit of work ------------------------------------------------------------------


def _values(complaint: Complaint, name: str, body: str, link: str) -> dict[str, str]:
    return {
        "name": name,
        "number": complaint.number,
        "title": complaint.title,
        "body": body,
        "link": get_settings().public_url.rstrip("/") + link,
    }


def phone_of(uow: UnitOfWork, complaint: Complaint) -> str:
    return str(_customer(uow.users.session, complaint.customer_id).phone or "")


def default_channel(uow: UnitOfWork, complaint: Complaint) -> str | None:
    """The customer's own channel for a reply (``outbound``): mail for a complaint that came by e-mail or
    a customer with a recorded address, else SMS for a mobile number, else none."""
    if complaint.channel == Channel.EMAIL:
        return "email"
    if mail_outbox.customer_address(uow.users.session, complaint.customer_id) is not None:
        return "email"
    return "sms" if is_mobile(phone_of(uow, complaint)) else None


def reply_by_sms(uow: UnitOfWork, actor: str, body: str, now: datetime, complaint: Complaint) -> dict[str, Any]:
    """Inside the reply's change: the timeline message and its SMS row, in one commit. Returns what the
    request answers: where it goes (masked), its segments and whether it is queued or skipped."""
    session = uow.users.session
    customer = _customer(session, complaint.customer_id)
    config = configured()
    # Counted before anything is written: a reply too long for one SMS sequence is refused whole.
    text, _ = render(config, _values(complaint, customer.name, body, _LINK_SHAPE))
    if count_segments(text).segments > MAX_SEGMENTS:
        raise InvalidInput(f"短信过长：超过 {MAX_SEGMENTS} 条，请精简回复", field="body")
    message = complaint.add_message(MessageKind.OUTBOUND, actor, body, now)
    uow.flush()  # the message's id, which the outbox row points to
    link = status_links.issue_within(uow, complaint.number, actor, now)  # every SMS carries the link
    text, params = render(config, _values(complaint, customer.name, body, link.path))
    segments = count_segments(text)
    reason = opt_out_reason(session, complaint.customer_id)
    status = "skipped" if reason else "queued"
    session.execute(
        insert(sms_outbox).values(
            complaint_number=complaint.number,
            message_id=message.id,
            purpose="reply",
            to_phone=customer.phone,
            body=text,
            params=json.dumps(params, ensure_ascii=False),
            segments=segments.segments,
            status=status,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            last_error=f"{OPTED_OUT}({reason})" if reason else None,
        )
    )
    to = mask_phone(customer.phone)
    # The audit trail keeps the masked number and the count, never the text's link token.
    payload = {"to": to, "segments": segments.segments, "status": status, "message_id": message.id}
    uow.record_event(complaint.number, DomainEvent(QUEUED_EVENT, actor, now, payload))
    return {"channel": "sms", "to": to, "status": status, "reason": reason, **segments.to_dict()}


def preview(uow: UnitOfWork, number: str, body: str) -> dict[str, Any]:
    """What a reply would cost before it is sent: the text, its characters and segments, and whether
    the customer can be reached by SMS at all. Writes nothing (the link is a stand-in of its length)."""
    with uow.reading():
        complaint = uow.complaints.get(number)
        session = uow.users.session
        customer = _customer(session, complaint.customer_id)
        reason = opt_out_reason(session, complaint.customer_id)
        text, _ = render(configured(), _values(complaint, customer.name, body, _LINK_SHAPE))
    return {
        "number": number,
        "text": text,
        **count_segments(text).to_dict(),
        "max_segments": MAX_SEGMENTS,
        "reachable": is_mobile(customer.phone),
        "sms_opted_out": reason is not None,
        "opt_out_reason": reason,
    }


def panel(uow: UnitOfWork, number: str) -> dict[str, Any]:
    """What the complaint page needs: the SMS and their status, the opt-out, and the reply box's
    counter — the text around the reply (``before`` + reply + ``after``) and the provider's cut of it,
    from which the page counts the segments as the agent types (``count_segments``, in app.js)."""
    listed = sms_of(uow, number)
    with uow.reading():
        complaint = uow.complaints.get(number)
        session = uow.users.session
        customer = _customer(session, complaint.customer_id)
        config = configured()
        text, _ = render(config, _values(complaint, customer.name, "\x00", _LINK_SHAPE))
        by_default = default_channel(uow, complaint) == "sms"  # what the page's tick sends by
    before, _, after = text.partition("\x00")
    counter = {
        "before": before,
        "after": after,
        "max_param": config.max_param if config and "body" in config.params else 0,
        "max_segments": MAX_SEGMENTS,
        "reachable": is_mobile(customer.phone),
        "by_default": by_default,
    }
    return {**listed, "counter": counter}


# -- what the desk shows --------------------------------------------------------------------------------------


def _row_view(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "message_id": r.message_id,
        "purpose": r.purpose,
        "to": mask_phone(r.to_phone),
        "text": r.body,
        "segments": r.segments,
        "status": r.status,
        "attempts": r.attempts,
        "next_attempt_at": r.next_attempt_at.isoformat() if r.status == "queued" else None,
        "sent_at": r.sent_at.isoformat() if r.sent_at else None,
        "provider_id": r.provider_id,
        "last_error": r.last_error,
        "created_at": r.created_at.isoformat(),
    }


def sms_of(uow: UnitOfWork, number: str) -> dict[str, Any]:
    """The complaint's SMS with each one's delivery status (oldest first), and the customer's opt-out."""
    t = sms_outbox.c
    with uow.reading():
        complaint = uow.complaints.get(number)  # NotFound for an unknown number
        session = uow.users.session
        rows = session.execute(select(sms_outbox).where(t.complaint_number == number).order_by(t.id)).all()
        reason = opt_out_reason(session, complaint.customer_id)
    return {"number": number, "sms_opted_out": reason is not None, "opt_out_reason": reason, "messages": [_row_view(r) for r in rows]}


# -- delivery -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsRun:
    claimed: int
    sent: int
    retrying: int
    failed: int
    skipped: int

    def to_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("claimed", "sent", "retrying", "failed", "skipped")}


def _claim(uow: UnitOfWork, now: datetime, batch: int) -> list[Any]:
    t, c, o = sms_outbox.c, complaints_table.c, sms_opt_outs.c
    with uow:
        session = uow.users.session
        rows = session.execute(
            select(sms_outbox, o.reason.label("opt_out"))
            .join(complaints_table, c.number == t.complaint_number)
            .outerjoin(sms_opt_outs, o.customer_id == c.customer_id)
            .where(t.status == "queued", t.next_attempt_at <= now)
            .order_by(t.id)
            .limit(batch)
            .with_for_update(of=sms_outbox, skip_locked=True)
        ).all()
        if rows:
            session.execute(update(sms_outbox).where(t.id.in_([r.id for r in rows])).values(next_attempt_at=now + LEASE))
        session.commit()
    return list(rows)


def _record(uow: UnitOfWork, row: Any, result: SmsResult | None, now: datetime) -> str:
    values: dict[str, Any]
    if result is None:  # the customer opted out after the reply was queued
        values = {"status": "skipped", "last_error": f"{OPTED_OUT}({row.opt_out})"}
    else:
        values = outcome_values(
            row.attempts, ok=result.ok, retry=result.retry, error=result.error, now=now, provider_id=result.provider_id
        )
    with uow:
        uow.users.session.execute(update(sms_outbox).where(sms_outbox.c.id == row.id).values(**values))
        uow.users.session.commit()
    return str(values.get("status", "retrying"))


def deliver_due(
    uow_factory: Callable[[], UnitOfWork], provider: SmsProvider, *, now: datetime | None = None, batch: int = 20
) -> SmsRun:
    """Send one batch of due SMS. No transaction is open while the provider answers."""
    now = now or datetime.now(UTC)
    rows = _claim(uow_factory(), now, batch)
    outcome = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    for row in rows:
        result: SmsResult | None = None
        if row.opt_out is None:
            request = SmsRequest(row.to_phone, row.body, json.loads(row.params), reference=f"sms-{row.id}")
            try:
                result = provider.send(request)
            except Exception as exc:  # a broken adapter must not strand the claimed rows
                result = SmsResult(False, error_text(exc))
        outcome[_record(uow_factory(), row, result, now)] += 1
    return SmsRun(len(rows), **outcome)


def deliver_configured(uow_factory: Callable[[], UnitOfWork], *, batch: int = 20) -> SmsRun | None:
    """One batch through the configured provider; None when ``COMPLAINTDESK_SMS_URL`` is unset."""
    config = configured()
    if config is None:
        return None
    return deliver_due(uow_factory, make_provider(config), batch=batch)
