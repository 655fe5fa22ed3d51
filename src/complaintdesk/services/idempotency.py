"""Idempotency-Key: a POST that creates runs once per key; a retry gets the stored response back.

The key is reserved (status 0) in its own transaction before the work runs, so two concurrent
retries cannot both create: the second sees the reservation and is told to retry later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from complaintdesk.domain.errors import ComplaintDeskError, Conflict, InvalidInput
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage.orm_api import idempotency_records

MAX_KEY = 128
_IN_PROGRESS = 0


@dataclass(frozen=True)
class Outcome:
    status_code: int
    body: Any
    replayed: bool


def request_fingerprint(method: str, path: str, payload: Any) -> str:
    canonical = json.dumps([method, path, payload], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def run_once(
    uow_factory: Callable[[], UnitOfWork],
    username: str,
    key: str | None,
    method: str,
    path: str,
    fingerprint: str,
    work: Callable[[], tuple[int, Any]],
) -> Outcome:
    """Run ``work`` (returning status and JSON body) unless this key already ran; then replay it."""
    if key is None:
        status, body = work()
        return Outcome(status, body, False)
    if not key.strip() or len(key) > MAX_KEY:
        raise InvalidInput(f"Idempotency-Key 必须是 1 到 {MAX_KEY} 个字符", field="Idempotency-Key")
    t = idempotency_records
    now = datetime.now(UTC)
    try:
        with uow_factory() as uow:
            uow.users.session.execute(
                insert(t).values(
                    username=username,
                    key=key,
                    method=method,
                    path=path,
                    request_hash=fingerprint,
                    status_code=_IN_PROGRESS,
                    body={},
                    created_at=now,
                )
            )
            uow.users.session.commit()
    except SAIntegrityError:
        return _replay(uow_factory, username, key, fingerprint)
    try:
        status, body = work()
    except ComplaintDeskError:
        _release(uow_factory, username, key)  # a refused request may be retried with the same key
        raise
    except Exception:
        _release(uow_factory, username, key)
        raise
    with uow_factory() as uow:
        uow.users.session.execute(
            update(t).where(t.c.username == username, t.c.key == key).values(status_code=status, body=body)
        )
        uow.users.session.commit()
    return Outcome(status, body, False)


def _replay(uow_factory: Callable[[], UnitOfWork], username: str, key: str, fingerprint: str) -> Outcome:
    t = idempotency_records
    with uow_factory() as uow:
        row = uow.users.session.execute(select(t).where(t.c.username == username, t.c.key == key)).first()
    if row is None:
        raise Conflict("同一 Idempotency-Key 的请求刚刚失败，请重试", field="Idempotency-Key")
    if row.request_hash != fingerprint:
        raise InvalidInput("该 Idempotency-Key 已用于另一个不同的请求", field="Idempotency-Key")
    if row.status_code == _IN_PROGRESS:
        raise Conflict("同一 Idempotency-Key 的请求正在处理，请稍后重试", field="Idempotency-Key")
    return Outcome(row.status_code, row.body, True)


def _release(uow_factory: Callable[[], UnitOfWork], username: str, key: str) -> None:
    t = idempotency_records
    with uow_factory() as uow:
        uow.users.session.execute(delete(t).where(t.c.username == username, t.c.key == key))
        uow.users.session.commit()
