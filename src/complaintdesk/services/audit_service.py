"""Audit use-cases: verify the whole chain against its signed checkpoints, sign a checkpoint of its
head, read one complaint's trail, read the newest events."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from complaintdesk.domain.audit import AuditRecord, ChainBreak, ChainVerdict, Checkpoint, verify_chain
from complaintdesk.domain.errors import IntegrityError, InvalidInput
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage.audit_checkpoints import CheckpointFile, CheckpointStore

MAX_RECENT = 200


def _with_bad_lines(verdict: ChainVerdict, stored: CheckpointFile) -> ChainVerdict:
    if not stored.bad:
        return verdict
    extra = tuple(ChainBreak(b.seq, b.reason) for b in stored.bad)
    return dataclasses.replace(
        verdict, ok=False, breaks=verdict.breaks + extra, break_count=verdict.break_count + len(extra)
    )


def verify(uow: UnitOfWork, store: CheckpointStore | None = None) -> ChainVerdict:
    """The whole chain: every broken link or edited event, and every signed checkpoint it no longer
    agrees with (a deleted tail, a rewritten chain), or a checkpoint line that is not genuine."""
    stored = (store or CheckpointStore.from_settings()).read()
    with uow.reading():
        verdict = verify_chain(uow.audit.iter_all(), stored.checkpoints)
    return _with_bad_lines(verdict, stored)


@dataclasses.dataclass(frozen=True)
class CheckpointResult:
    checkpoint: Checkpoint | None  # None: the chain is empty
    written: bool  # False: the head had not moved since the newest checkpoint
    checked: int  # events verified since the previous checkpoint

    def to_dict(self) -> dict[str, Any]:
        c = self.checkpoint
        return {
            "seq": c.seq if c else None,
            "hash": c.hash if c else None,
            "at": c.at if c else None,
            "written": self.written,
            "checked": self.checked,
        }


def checkpoint(uow: UnitOfWork, store: CheckpointStore | None = None, *, now: datetime | None = None) -> CheckpointResult:
    """Sign the chain's head, after verifying the events since the newest checkpoint.

    A checkpoint vouches for everything before it, so a chain that does not verify from the last
    checkpoint is never signed (``IntegrityError`` naming the first break). Reading the head takes no
    lock: every committed event's predecessors are committed (appends are serialised), so the head
    read is a whole prefix, and writers go on appending meanwhile."""
    store = store or CheckpointStore.from_settings()
    stored = store.read()
    latest = stored.latest
    with uow.reading():
        if latest is None:
            verdict = verify_chain(uow.audit.iter_all())
        else:
            records = uow.audit.iter_all(after=latest.seq - 1)
            verdict = verify_chain(records, [latest], start_seq=latest.seq, start_prev=None)
    verdict = _with_bad_lines(verdict, stored)
    if not verdict.ok:
        raise IntegrityError(
            f"审计链校验失败，未签名检查点：事件 #{verdict.broken_seq}: {verdict.reason}", field="audit"
        )
    head = verdict.head
    if head is None:
        return CheckpointResult(latest, False, 0)
    if latest is not None and latest.seq == head[0]:
        return CheckpointResult(latest, False, verdict.checked)
    at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    return CheckpointResult(store.append(head[0], head[1], at), True, verdict.checked)


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
        raise InvalidInput("before 必须是正整数（事件序号）", field="before")
    with uow.reading():
        return [_event(r) for r in uow.audit.latest(limit, before)]
