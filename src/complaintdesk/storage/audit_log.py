"""The audit chain's repository: appends sealed events at the chain's end (on PostgreSQL by one
database function, migration 0006) and reads the chain back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.domain.audit import GENESIS_HASH, AuditRecord, canonical_json, hash_head, seal, storable
from complaintdesk.domain.model import DomainEvent
from complaintdesk.storage import driver_sql, orm, statements


class AuditLog:
    """Appends sealed events to the single global chain and reads it back in order."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, items: Sequence[tuple[str | None, DomainEvent]]) -> list[AuditRecord]:
        """Seal and store events at the chain's end; the sealed records are returned (the commit
        pipeline hands them on to the webhook outbox)."""
        if not items:
            return []
        if self.session.get_bind().dialect.name == "postgresql":
            records = self._append_in_database(items)
        else:
            records = self._append_here(items)
        return records

    def _append_in_database(self, items: Sequence[tuple[str | None, DomainEvent]]) -> list[AuditRecord]:
        # The lock is taken, the links hashed and the rows inserted by one function (migration 0006),
        # so the lock is held for one round trip and the commit; see there.
        stored = [storable(ev.payload) for _, ev in items]
        events = [
            {
                "head": hash_head(number, ev.kind, ev.actor, ev.at, payload),
                "number": number,
                "kind": ev.kind,
                "actor": ev.actor,
                "at": ev.at.astimezone(UTC).isoformat(),
                "payload": payload,
            }
            for (number, ev), payload in zip(items, stored, strict=True)
        ]
        params = {"key": statements.AUDIT_LOCK_KEY, "events": canonical_json(events)}
        sealed = driver_sql.fetch_all(self.session, statements.AUDIT_APPEND_POSTGRESQL, params)
        return [
            AuditRecord(seq, number, ev.kind, ev.actor, ev.at, payload, prev, digest)
            for (number, ev), payload, (seq, prev, digest) in zip(items, stored, sealed, strict=True)
        ]

    def _append_here(self, items: Sequence[tuple[str | None, DomainEvent]]) -> list[AuditRecord]:
        # SQLite: the writer already holds the database lock since BEGIN IMMEDIATE. Both statements are
        # sent by sqlite3 itself (driver_sql: SQLAlchemy's execution was most of an append's cost).
        tail, _ = driver_sql.execute(self.session, statements.audit_tail_sqlite(), {})
        seq, prev = (tail[0][0], tail[0][1]) if tail else (0, GENESIS_HASH)
        records = []
        for number, ev in items:
            seq += 1
            record = seal(seq, prev, number, ev.kind, ev.actor, ev.at, ev.payload)
            records.append(record)
            prev = record.hash
        driver_sql.execute_many(self.session, statements.audit_insert(), [_row(r) for r in records])
        return records

    def iter_all(self, batch: int = 2000, *, after: int = 0) -> Iterator[AuditRecord]:
        """The chain in order, from the event after ``after``."""
        t = orm.audit_events
        while True:
            rows = self.session.execute(select(t).where(t.c.seq > after).order_by(t.c.seq).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield _record(row._mapping)
            after = rows[-1].seq

    def latest(self, limit: int, before: int | None = None) -> list[AuditRecord]:
        """The newest ``limit`` events, newest first; with ``before``, those older than that sequence."""
        t = orm.audit_events
        query = select(t).order_by(t.c.seq.desc()).limit(limit)
        if before is not None:
            query = query.where(t.c.seq < before)
        return [_record(row._mapping) for row in self.session.execute(query).all()]

    def for_complaint(self, number: str) -> list[AuditRecord]:
        t = orm.audit_events
        rows = self.session.execute(select(t).where(t.c.complaint_number == number).order_by(t.c.seq)).all()
        return [_record(row._mapping) for row in rows]


def _row(record: AuditRecord) -> dict[str, Any]:
    return {
        "seq": record.seq,
        "complaint_number": record.complaint_number,
        "kind": record.kind,
        "actor": record.actor,
        "at": record.at,
        "payload": record.payload,
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }


def _record(row: Any) -> AuditRecord:
    return AuditRecord(
        seq=row["seq"],
        complaint_number=row["complaint_number"],
        kind=row["kind"],
        actor=row["actor"],
        at=row["at"],
        payload=row["payload"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )
