"""Stored SLA clocks: one row per clock, the clock itself as JSON (domain.sla.SlaClock.to_dict())."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import orjson
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from complaintdesk.domain.sla import SlaClock
from complaintdesk.storage import driver_sql, orm, statements


@dataclass
class ClockRow:
    complaint_number: str
    clock: SlaClock
    active: bool
    due_at: datetime
    steps_applied: int
    warned: bool
    updated_at: datetime
    id: int | None = None

    @staticmethod
    def new(number: str, clock: SlaClock, due_at: datetime, now: datetime) -> ClockRow:
        return ClockRow(number, clock, clock.stopped_at is None, due_at, 0, False, now)

    def values(self) -> dict[str, Any]:
        return {
            "complaint_number": self.complaint_number,
            "kind": self.clock.kind.value,
            "ref": self.clock.ref,
            "clock": self.clock.to_dict(),
            "active": self.active,
            "due_at": self.due_at,
            "steps_applied": self.steps_applied,
            "warned": self.warned,
            "updated_at": self.updated_at,
        }


def json_values(row: ClockRow) -> dict[str, Any]:
    """``row.values()`` as JSON data (times as UTC ISO strings), for a statement that takes its rows as
    one JSON array (``statements.intake_insert_postgresql``)."""
    values = row.values()
    values["due_at"] = row.due_at.astimezone(UTC).isoformat()
    values["updated_at"] = row.updated_at.astimezone(UTC).isoformat()
    return values


def insert_clocks(session: Session, rows: Sequence[ClockRow]) -> None:
    """Insert new clocks in one statement (their ids are only needed once read back)."""
    if rows:
        session.execute(insert(orm.sla_clocks), [row.values() for row in rows])


@cache
def _update_clock() -> Any:
    """One clock's row rewritten, built once: a statement with the values inlined is walked anew for
    its cache key on every call (see storage.statements), which cost more than the round trip."""
    t = orm.sla_clocks
    columns = [c.key for c in t.c if c.key != "id"]
    return update(t).where(t.c.id == bindparam("clock_id")).values({name: bindparam(name) for name in columns})


# session.info key: (the transaction, {complaint number: its clock rows}) read along with complaints
# (``ComplaintRepository.get``), handed out once by ``SlaClockRepository.for_complaint``.
PRELOADED_CLOCKS_KEY = "complaintdesk.clocks.preloaded"


def _instant(value: str) -> datetime:
    """A time from the JSON of a row: ISO text, with its offset on PostgreSQL, naive UTC on SQLite."""
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def preload(session: Session, number: str, data: Any) -> None:
    """Keep the clock rows read with a complaint (``statements.complaint_by_number``'s ``clocks``,
    a JSON array or null, built by the database: never NaN, which orjson would refuse) for this
    transaction's next ``for_complaint(number)``."""
    items = orjson.loads(data) if isinstance(data, str) else (data or [])
    rows = [
        ClockRow(
            complaint_number=number,
            clock=SlaClock.from_dict(orjson.loads(item["clock"]) if isinstance(item["clock"], str) else item["clock"]),
            active=bool(item["active"]),
            due_at=_instant(item["due_at"]),
            steps_applied=int(item["steps_applied"]),
            warned=bool(item["warned"]),
            updated_at=_instant(item["updated_at"]),
            id=int(item["id"]),
        )
        for item in sorted(items, key=lambda item: int(item["id"]))
    ]
    transaction = session.get_transaction()
    held: tuple[Any, dict[str, list[ClockRow]]] | None = session.info.get(PRELOADED_CLOCKS_KEY)
    if held is None or held[0] is not transaction:
        held = (transaction, {})
        session.info[PRELOADED_CLOCKS_KEY] = held
    held[1][number] = rows


def _row(mapping: Any) -> ClockRow:
    return ClockRow(
        complaint_number=mapping["complaint_number"],
        clock=SlaClock.from_dict(mapping["clock"]),
        active=bool(mapping["active"]),
        due_at=mapping["due_at"],
        steps_applied=int(mapping["steps_applied"]),
        warned=bool(mapping["warned"]),
        updated_at=mapping["updated_at"],
        id=mapping["id"],
    )


class SlaClockRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *rows: ClockRow) -> None:
        """Insert new clocks in one statement (their ids are only needed once read back). A new
        complaint's first clocks go with it instead: ``ComplaintRepository.add(complaint, clocks)``."""
        self._forget(row.complaint_number for row in rows)
        insert_clocks(self.session, rows)

    def save(self, row: ClockRow) -> None:
        self._forget((row.complaint_number,))
        driver_sql.write(self.session, _update_clock(), {**row.values(), "clock_id": row.id})

    def _forget(self, numbers: Iterable[str]) -> None:
        held = self.session.info.get(PRELOADED_CLOCKS_KEY)
        if held is not None:
            for number in numbers:
                held[1].pop(number, None)

    def for_complaint(self, number: str) -> list[ClockRow]:
        """The complaint's clocks in id order: those read with the complaint in this transaction if
        nothing has written them since, else read now."""
        held = self.session.info.get(PRELOADED_CLOCKS_KEY)
        if held is not None and held[0] is self.session.get_transaction():
            preloaded: list[ClockRow] | None = held[1].pop(number, None)
            if preloaded is not None:
                return preloaded
        rows = self.session.execute(statements.clocks_of_complaint(), {"number": number}).all()
        return [_row(r._mapping) for r in rows]

    def claim_active(self, limit: int) -> list[ClockRow]:
        """Active clocks, locked for this transaction; rows another sweeper holds are skipped."""
        t = orm.sla_clocks
        # Written as ix_sla_clocks_active_due's predicate, so that the sweep reads that index.
        query = select(t).where(t.c.active).order_by(t.c.due_at).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [_row(r._mapping) for r in self.session.execute(query).all()]

    def due_for(self, numbers: list[str]) -> dict[str, list[ClockRow]]:
        t = orm.sla_clocks
        result: dict[str, list[ClockRow]] = {n: [] for n in numbers}
        if not numbers:
            return result
        rows = self.session.execute(select(t).where(t.c.complaint_number.in_(numbers)).order_by(t.c.id)).all()
        for r in rows:
            result[r.complaint_number].append(_row(r._mapping))
        return result
