"""Webhooks: subscriptions per event type, a durable outbox, signed deliveries with retries.

Events enter the outbox in the same transaction as the change that caused them: ``queue_deliveries``,
a commit handler (``commit_pipeline``), reads the audit events that commit seals. So an event exists
exactly when its change does — a receiver or a sender that is down only delays it. Senders claim due
rows with ``FOR UPDATE SKIP LOCKED``, so any number of workers can run without sending one event twice.

The active subscriptions are remembered per process and engine for ``SUBSCRIPTION_CACHE_SECONDS``, so
an ordinary write does not pay a query for them. This module's own changes (``subscribe``,
``unsubscribe``) forget them at once in this process; other processes see a change within that time,
and senders skip events of a subscription that is no longer active when they are sent.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, inspect, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from complaintdesk.domain.audit import AuditRecord
from complaintdesk.domain.errors import InvalidInput, NotFound
from complaintdesk.domain.model import DomainEvent
from complaintdesk.services import webhook_targets
from complaintdesk.services.commit_pipeline import Commit
from complaintdesk.services.unit_of_work import UnitOfWork

# The wire protocol lives in webhook_protocol; re-exported (``X as X``) for callers of this module.
from complaintdesk.services.webhook_protocol import BASE_BACKOFF as BASE_BACKOFF
from complaintdesk.services.webhook_protocol import EVENTS as EVENTS
from complaintdesk.services.webhook_protocol import MAX_ATTEMPTS as MAX_ATTEMPTS
from complaintdesk.services.webhook_protocol import MAX_BACKOFF as MAX_BACKOFF
from complaintdesk.services.webhook_protocol import SIGNATURE_HEADER as SIGNATURE_HEADER
from complaintdesk.services.webhook_protocol import backoff as backoff
from complaintdesk.services.webhook_protocol import events_for as events_for
from complaintdesk.services.webhook_protocol import sign as sign
from complaintdesk.services.webhook_protocol import verify as verify
from complaintdesk.storage.orm_api import webhook_deliveries, webhook_outbox, webhook_subscriptions

log = logging.getLogger(__name__)

# How long a process reuses the active subscriptions it read; its own changes forget them at once.
SUBSCRIPTION_CACHE_SECONDS = 2.0
INACTIVE_ERROR = "subscription no longer active"
ERROR_TEXT_LIMIT = 200

# (status code or None when unreachable, error text or None)
Sender = Callable[[str, bytes, dict[str, str]], tuple[int | None, str | None]]



# -- subscriptions ---------------------------------------------------------------------------------------


def _check(url: str, events: Iterable[str]) -> list[str]:
    if not url.startswith(("https://", "http://")) or len(url) > 500 or "\x00" in url:
        raise InvalidInput("url 必须是 http:// 或 https:// 开头、不超过 500 字符的地址", field="url")
    webhook_targets.check(url)
    chosen = sorted(set(events))
    unknown = [e for e in chosen if e not in EVENTS]
    if not chosen or unknown:
        raise InvalidInput(f"events 可选：{', '.join(EVENTS)}", field="events")
    return chosen


def subscribe(uow: UnitOfWork, url: str, events: Iterable[str], actor: str) -> dict[str, Any]:
    """A new subscription; its signing secret is returned here, once."""
    chosen = _check(url, events)
    now = datetime.now(UTC)
    secret = secrets.token_hex(32)
    with uow:
        session = uow.users.session
        new_id = session.execute(
            insert(webhook_subscriptions)
            .values(url=url, secret=secret, events=chosen, active=True, created_by=actor, created_at=now)
            .returning(webhook_subscriptions.c.id)
        ).scalar_one()
        uow.record_event(None, DomainEvent("webhook_subscribed", actor, now, {"id": new_id, "url": url}))
        uow.commit()
    clear_subscription_cache()
    return {"id": new_id, "url": url, "events": chosen, "active": True, "secret": secret}


def list_subscriptions(uow: UnitOfWork) -> list[dict[str, Any]]:
    t = webhook_subscriptions.c
    with uow.reading():
        rows = uow.users.session.execute(select(webhook_subscriptions).order_by(t.id)).all()
    return [
        {"id": r.id, "url": r.url, "events": r.events, "active": r.active, "created_by": r.created_by}
        for r in rows
    ]


def unsubscribe(uow: UnitOfWork, subscription_id: int, actor: str) -> None:
    t = webhook_subscriptions.c
    now = datetime.now(UTC)
    with uow:
        done = uow.users.session.execute(
            update(webhook_subscriptions).where(t.id == subscription_id).values(active=False)
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            raise NotFound(f"订阅 {subscription_id} 不存在", field="id")
        uow.record_event(None, DomainEvent("webhook_unsubscribed", actor, now, {"id": subscription_id}))
        uow.commit()
    clear_subscription_cache()


def deliveries(uow: UnitOfWork, subscription_id: int, limit: int = 100) -> list[dict[str, Any]]:
    o, d = webhook_outbox.c, webhook_deliveries.c
    with uow.reading():
        rows = uow.users.session.execute(
            select(o.id, o.event, o.status, o.attempts, o.next_attempt_at, o.last_error, o.delivered_at)
            .where(o.subscription_id == subscription_id)
            .order_by(o.id.desc())
            .limit(limit)
        ).all()
        attempts = uow.users.session.execute(
            select(webhook_deliveries).where(d.outbox_id.in_([r.id for r in rows])).order_by(d.id)
        ).all()
    log_by_id: dict[int, list[dict[str, Any]]] = {}
    for a in attempts:
        log_by_id.setdefault(a.outbox_id, []).append(
            {"attempt": a.attempt, "status_code": a.status_code, "error": a.error, "at": a.at.isoformat()}
        )
    return [
        {
            "id": r.id,
            "event": r.event,
            "status": r.status,
            "attempts": r.attempts,
            "next_attempt_at": r.next_attempt_at.isoformat(),
            "delivered_at": r.delivered_at.isoformat() if r.delivered_at else None,
            "last_error": r.last_error,
            "log": log_by_id.get(r.id, []),
        }
        for r in rows
    ]


# -- the outbox: written with the change --------------------------------------------------------------


def _has_outbox(session: Session) -> bool:
    # Cached per engine object (not per URL: two in-memory SQLite databases share one URL).
    engine = session.get_bind().engine
    if engine not in _OUTBOX_PRESENT:
        _OUTBOX_PRESENT[engine] = "webhook_outbox" in inspect(session.connection()).get_table_names()
    return _OUTBOX_PRESENT[engine]


_OUTBOX_PRESENT: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()

# (id, events) of the active subscriptions
_Subscribers = tuple[tuple[int, frozenset[str]], ...]
# engine -> (monotonic time of the read, what it found); per engine object, like _OUTBOX_PRESENT
_ACTIVE: weakref.WeakKeyDictionary[Engine, tuple[float, _Subscribers]] = weakref.WeakKeyDictionary()
_active_lock = threading.Lock()
_active_generation = 0  # bumped by every clear: a read that raced a change is not kept


def clear_subscription_cache() -> None:
    """Forget the active subscriptions of every engine; the next write in this process reads them."""
    global _active_generation
    with _active_lock:
        _active_generation += 1
        _ACTIVE.clear()


def _active_subscriptions(session: Session) -> _Subscribers:
    engine = session.get_bind().engine
    began = time.monotonic()
    with _active_lock:
        cached = _ACTIVE.get(engine)
        generation = _active_generation
    if cached is not None and began - cached[0] < SUBSCRIPTION_CACHE_SECONDS:
        return cached[1]
    t = webhook_subscriptions.c
    found = tuple(
        (r.id, frozenset(r.events or ()))
        for r in session.execute(select(t.id, t.events).where(t.active.is_(True)).order_by(t.id))
    )
    with _active_lock:
        if generation == _active_generation:
            _ACTIVE[engine] = (began, found)
    return found


def queue_deliveries(commit: Commit) -> None:
    """Commit handler, after the audit events are sealed: an outbox row for every sealed event a
    subscription wants, in the change's own transaction."""
    session = commit.session
    if not commit.records or not _has_outbox(session):
        return
    wanted = [(r, events_for(r.kind, r.payload or {})) for r in commit.records]
    if not any(names for _, names in wanted):
        return
    subs = _active_subscriptions(session)
    if not subs:
        return
    now = datetime.now(UTC)
    rows = []
    for record, names in wanted:
        for name in names:
            for sub_id, sub_events in subs:
                if name in sub_events:
                    rows.append(
                        {
                            "subscription_id": sub_id,
                            "event": name,
                            "payload": _payload(record, name),
                            "status": "pending",
                            "attempts": 0,
                            "next_attempt_at": now,
                            "created_at": now,
                        }
                    )
    if rows:
        # No savepoint on purpose: if the event cannot be queued, the change is not committed either.
        session.execute(insert(webhook_outbox), rows)


def _payload(record: AuditRecord, name: str) -> dict[str, Any]:
    return {
        "event": name,
        "complaint_number": record.complaint_number,
        "actor": record.actor,
        "at": record.at.isoformat(),
        "audit_seq": record.seq,
        "data": record.payload or {},
    }


# -- delivery ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryRun:
    claimed: int
    delivered: int
    failed: int
    dead: int
    skipped: int = 0  # claimed, not sent: the subscription is no longer active (the event is marked dead)

    def to_dict(self) -> dict[str, int]:
        return {
            "claimed": self.claimed,
            "delivered": self.delivered,
            "failed": self.failed,
            "dead": self.dead,
            "skipped": self.skipped,
        }


def http_sender(timeout: float = 5.0, transport: Any = None) -> Sender:
    """POST with httpx; ``transport`` lets tests (or a proxy setup) replace the network."""
    import httpx

    client = httpx.Client(timeout=timeout, follow_redirects=False, transport=transport)

    def send(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str | None]:
        try:
            response = client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"[:ERROR_TEXT_LIMIT]
        # Only the status, never the receiver's body: the delivery log must not become a way to read
        # what an internal service answers.
        return response.status_code, None if response.is_success else f"HTTP {response.status_code}"

    return send


LEASE = timedelta(minutes=5)  # a claimed event is invisible to other senders this long


def _claim(uow: UnitOfWork, now: datetime, batch: int) -> tuple[list[Any], int]:
    """Take due events: row locks (SKIP LOCKED) only for the claim; then a lease keeps them ours.

    Events of a subscription that is no longer active are not sent: they are marked dead here (another
    process may have queued one from its short-lived copy of the subscriptions). Returns the events to
    send and how many were skipped.
    """
    o, s = webhook_outbox.c, webhook_subscriptions.c
    with uow:
        session = uow.users.session
        rows = session.execute(
            select(webhook_outbox, s.url, s.secret, s.active.label("subscription_active"))
            .join(webhook_subscriptions, s.id == o.subscription_id)
            .where(o.status == "pending", o.next_attempt_at <= now)
            .order_by(o.id)
            .limit(batch)
            .with_for_update(of=webhook_outbox, skip_locked=True)
        ).all()
        live = [r for r in rows if r.subscription_active]
        gone = [r.id for r in rows if not r.subscription_active]
        if live:
            session.execute(
                update(webhook_outbox)
                .where(o.id.in_([r.id for r in live]))
                .values(next_attempt_at=now + LEASE)
            )
        if gone:
            session.execute(
                update(webhook_outbox).where(o.id.in_(gone)).values(status="dead", last_error=INACTIVE_ERROR)
            )
        session.commit()
        return live, len(gone)


def _record(
    uow: UnitOfWork, row: Any, status: int | None, error: str | None, took: int, now: datetime
) -> str:
    attempt = row.attempts + 1
    values: dict[str, Any] = {"attempts": attempt}
    if status is not None and 200 <= status < 300:
        values.update(status="delivered", delivered_at=now, last_error=None)
    elif attempt >= MAX_ATTEMPTS:
        values.update(status="dead", last_error=error or f"HTTP {status}")
    else:
        values.update(next_attempt_at=now + backoff(attempt), last_error=error or f"HTTP {status}")
    with uow:
        session = uow.users.session
        session.execute(
            insert(webhook_deliveries).values(
                outbox_id=row.id, attempt=attempt, status_code=status, error=error, duration_ms=took, at=now
            )
        )
        session.execute(update(webhook_outbox).where(webhook_outbox.c.id == row.id).values(**values))
        session.commit()
    return str(values.get("status", "failed"))


def deliver_due(
    uow_factory: Callable[[], UnitOfWork], sender: Sender, *, now: datetime | None = None, batch: int = 20
) -> DeliveryRun:
    """Send one batch of due events, each signed; failures are retried later with backoff.

    No transaction is held open while a receiver answers, so slow receivers never block writers.
    """
    now = now or datetime.now(UTC)
    rows, skipped = _claim(uow_factory(), now, batch)
    outcome = {"delivered": 0, "failed": 0, "dead": 0}
    for row in rows:
        body = json.dumps(
            {"id": row.id, "event": row.event, **row.payload}, ensure_ascii=False, sort_keys=True
        ).encode("utf-8")
        timestamp = str(int(now.timestamp()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Complaintdesk-Event": row.event,
            "X-Complaintdesk-Delivery": str(row.id),
            "X-Complaintdesk-Timestamp": timestamp,
            SIGNATURE_HEADER: sign(row.secret, timestamp, body),
        }
        began = time.perf_counter()
        refused = webhook_targets.refusal(row.url)
        status: int | None
        error: str | None
        try:
            if refused is not None:
                status, error = None, refused
            else:
                status, error = sender(row.url, body, headers)
        except Exception as exc:  # a broken sender must not strand the claimed rows
            status, error = None, f"{type(exc).__name__}: {exc}"[:ERROR_TEXT_LIMIT]
        took = int((time.perf_counter() - began) * 1000)
        outcome[_record(uow_factory(), row, status, error, took, now)] += 1
    return DeliveryRun(len(rows) + skipped, outcome["delivered"], outcome["failed"], outcome["dead"], skipped)

