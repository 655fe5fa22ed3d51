"""An import's writes, staged: checked complaints are written in batches of short transactions, each
complaint marked with the import's id so that no read shows it (the queue, lists, a complaint by its
number, search, exports); one last short transaction clears the marks, starts their SLA clocks and
seals their audit events, and the whole file appears at once. On SQLite one transaction holds the
write lock at a time, so the desk goes on between batches: a 50,000-row file in one transaction held
it for minutes, and every login and write waited (issue 17).

What stays all-or-nothing: a row the database refuses, an error or a stop removes what was staged
(``discard``); an import that died with its process is removed by the next import
(``discard_abandoned``). While staged, the complaints' audit events are held in memory and their SLA
clocks kept inactive, so no sweep escalates them and no webhook announces them; the dashboard's
totals may count them a little early, and their customers (found or created by phone) are visible.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import bindparam, delete, insert, select, text, update

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.domain.model import DomainEvent
from complaintdesk.services import reading
from complaintdesk.services.complaints import OpenComplaint, open_within, utcnow
from complaintdesk.services.reading import ReadingKey
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import local_zone
from complaintdesk.storage import orm
from complaintdesk.storage.orm_api import search_documents

if TYPE_CHECKING:
    from complaintdesk.analysis import Analysis

# A batch is written for about BATCH_SECONDS (at most MAX_BATCH rows; an intake writes in 3-4 ms on
# SQLite: customer, number, complaint, three clocks, search entry), then the import pauses for
# PAUSE_SECONDS with no transaction open. SQLite's lock is not fair: a waiting writer polls (at most
# every 100 ms), and an import that began its next batch at once took the lock before the others
# woke, for as long as it ran (measured: a login waited 10 s behind back-to-back batches). The pause
# is longer than that poll, so every waiting writer gets its turn between two batches.
BATCH_SECONDS = 0.15
MAX_BATCH = 100
PAUSE_SECONDS = 0.12
# An import whose run was not touched for this long died with its process; the next import removes it.
ABANDONED_AFTER = timedelta(minutes=10)
_CHUNK = 500  # ids per IN list when publishing or removing
_DELETE_FTS = text("DELETE FROM search_fts WHERE rowid IN :ids").bindparams(bindparam("ids", expanding=True))
log = logging.getLogger(__name__)
T = TypeVar("T")


class RowRefused(Exception):
    """The database side refused one row (numbered as a spreadsheet shows it); nothing stays written."""

    def __init__(self, row: int, error: ComplaintDeskError) -> None:
        super().__init__(error.message)
        self.row = row
        self.error = error


@dataclass
class _Staged:
    run: str
    numbers: list[str] = field(default_factory=list)
    clock_ids: list[int] = field(default_factory=list)
    events: list[tuple[str | None, DomainEvent]] = field(default_factory=list)


def _chunks(values: Sequence[T], size: int = _CHUNK) -> list[list[T]]:
    return [list(values[i : i + size]) for i in range(0, len(values), size)]


def write(
    uow: UnitOfWork,
    commands: Sequence[OpenComplaint],
    *,
    actor: str,
    source: str,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Write the checked ``commands`` (row ``i`` of the file is ``commands[i - 2]``) and show them all
    at once; the numbers given, in file order."""
    discard_abandoned(uow, utcnow())
    staged = _Staged(uuid.uuid4().hex)
    readings: dict[ReadingKey, Analysis] = {}
    try:
        while len(staged.numbers) < len(commands):
            if staged.numbers:
                time.sleep(PAUSE_SECONDS)
            upcoming = commands[len(staged.numbers) : len(staged.numbers) + MAX_BATCH]
            readings = _analyse_ahead(upcoming, readings, now)
            with reading.read_ahead(readings):
                _write_batch(uow, staged, upcoming, actor=actor, source=source, now=now)
            if progress:  # between batches: no transaction is open while a caller's callback runs
                progress(len(staged.numbers), len(commands))
        _publish(uow, staged, actor=actor, source=source, now=now)
    except BaseException:
        try:
            discard(uow, staged.run)
        except Exception:  # the original error matters more; the next import removes what is left
            log.exception("could not remove the rows staged by import %s", staged.run)
        raise
    return staged.numbers


def _analyse_ahead(
    upcoming: Sequence[OpenComplaint], known: dict[ReadingKey, Analysis], now: datetime
) -> dict[ReadingKey, Analysis]:
    """The readings of the next rows' texts, keyed as intake asks for them, made with no transaction open."""
    readings: dict[ReadingKey, Analysis] = {}
    for cmd in upcoming:
        if not cmd.analyse:
            continue
        key: ReadingKey = (cmd.description, (cmd.opened_at or now).astimezone(local_zone()).date())
        readings[key] = known.get(key) or readings.get(key) or reading.read(*key)
    return readings


def _write_batch(
    uow: UnitOfWork,
    staged: _Staged,
    upcoming: Sequence[OpenComplaint],
    *,
    actor: str,
    source: str,
    now: datetime,
) -> None:
    """Write rows of ``upcoming`` for about ``BATCH_SECONDS`` in one transaction, marked as staged."""
    runs = orm.import_runs
    start = len(staged.numbers)
    with uow:
        session = uow.complaints.session
        began = time.monotonic()
        if start == 0:
            session.execute(
                insert(runs).values(id=staged.run, actor=actor, source=source[:255], started_at=now, touched_at=utcnow())
            )
        else:
            session.execute(update(runs).where(runs.c.id == staged.run).values(touched_at=utcnow()))
        numbers: list[str] = []
        for offset, cmd in enumerate(upcoming):
            if numbers and time.monotonic() - began > BATCH_SECONDS:
                break
            try:
                complaint, _ = open_within(uow, cmd, now=now)
            except ComplaintDeskError as exc:
                raise RowRefused(start + offset + 2, exc) from None
            numbers.append(complaint.number)
        uow.flush()
        # Sealed when the import is shown, not now: a webhook must not announce a complaint that may
        # yet be removed, and the chain must not hold events of complaints that never were.
        staged.events.extend(uow.hold_complaint_events())
        c = orm.complaints.c
        session.execute(update(orm.complaints).where(c.number.in_(numbers)).values(import_id=staged.run))
        k = orm.sla_clocks.c
        running = list(session.scalars(select(k.id).where(k.complaint_number.in_(numbers), k.active.is_(True))))
        if running:
            session.execute(update(orm.sla_clocks).where(k.id.in_(running)).values(active=False))
        uow.commit()
    staged.numbers.extend(numbers)
    staged.clock_ids.extend(running)


def _publish(uow: UnitOfWork, staged: _Staged, *, actor: str, source: str, now: datetime) -> None:
    """The one short transaction that shows the whole import."""
    c = orm.complaints.c
    k = orm.sla_clocks.c
    with uow:
        session = uow.complaints.session
        session.execute(update(orm.complaints).where(c.import_id == staged.run).values(import_id=None))
        for ids in _chunks(staged.clock_ids):
            session.execute(update(orm.sla_clocks).where(k.id.in_(ids)).values(active=True))
        session.execute(delete(orm.import_runs).where(orm.import_runs.c.id == staged.run))
        for number, event in staged.events:
            uow.record_event(number, event)
        uow.record_event(None, DomainEvent("imported", actor, now, {"file": source, "rows": len(staged.numbers)}))
        uow.commit()


def discard(uow: UnitOfWork, run: str) -> int:
    """Remove what the import ``run`` staged (its complaints, their clocks and search entries, the
    customers only they had), in short transactions; the number of complaints removed."""
    c = orm.complaints.c
    with uow.reading():
        rows = uow.complaints.session.execute(select(c.id, c.number, c.customer_id).where(c.import_id == run)).all()
    for chunk in _chunks(rows):
        ids = [r.id for r in chunk]
        numbers = [r.number for r in chunk]
        customers = {r.customer_id for r in chunk}
        with uow:
            session = uow.complaints.session
            session.execute(delete(orm.sla_clocks).where(orm.sla_clocks.c.complaint_number.in_(numbers)))
            session.execute(delete(search_documents).where(search_documents.c.complaint_id.in_(ids)))
            if session.get_bind().dialect.name == "sqlite":
                session.execute(_DELETE_FTS, {"ids": ids})
            for table in (orm.messages, orm.attachments, orm.transfers, orm.promises, orm.repeat_links):
                session.execute(delete(table).where(table.c.complaint_id.in_(ids)))
            session.execute(delete(orm.complaints).where(c.id.in_(ids), c.import_id == run))
            # A customer has complaints from the intake that created it: one with none left was new here.
            others = select(c.id).where(c.customer_id == orm.customers.c.id).exists()
            session.execute(delete(orm.customers).where(orm.customers.c.id.in_(customers), ~others))
            uow.commit()
    with uow:
        uow.complaints.session.execute(delete(orm.import_runs).where(orm.import_runs.c.id == run))
        uow.commit()
    return len(rows)


def discard_abandoned(uow: UnitOfWork, now: datetime) -> int:
    """Remove the imports whose process died while staging (untouched for ``ABANDONED_AFTER``)."""
    runs = orm.import_runs.c
    with uow.reading():
        dead = list(uow.complaints.session.scalars(select(runs.id).where(runs.touched_at < now - ABANDONED_AFTER)))
    return sum(discard(uow, run) for run in dead)
