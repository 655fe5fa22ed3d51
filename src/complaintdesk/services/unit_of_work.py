"""Unit of work: one transaction per use-case; its commit runs the commit pipeline (audit events,
search index, webhook outbox: ``commit_pipeline``) inside that transaction."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, Protocol, Self

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError as SAIntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from complaintdesk.domain.errors import Conflict, StaleWrite
from complaintdesk.domain.model import DomainEvent
from complaintdesk.services.commit_pipeline import Commit, CommitPipeline
from complaintdesk.storage.audit_log import AuditLog
from complaintdesk.storage.calendar_repository import CalendarRepository
from complaintdesk.storage.db import as_busy, read_only_engine, single_read
from complaintdesk.storage.repository import (
    BlobStore,
    ComplaintRepository,
    CustomerRepository,
    UserRepository,
)
from complaintdesk.storage.sla_repository import SlaClockRepository


class UnitOfWork(Protocol):
    complaints: ComplaintRepository
    customers: CustomerRepository
    audit: AuditLog
    users: UserRepository
    clocks: SlaClockRepository
    blobs: BlobStore
    calendar: CalendarRepository

    def __enter__(self) -> Self: ...
    def reading(self) -> Self: ...
    def single_read(self) -> AbstractContextManager[Connection]: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def flush(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def record_event(self, complaint_number: str | None, event: DomainEvent) -> None: ...
    def hold_complaint_events(self) -> list[tuple[str | None, DomainEvent]]: ...


class SqlAlchemyUnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session], pipeline: CommitPipeline) -> None:
        self.session_factory = session_factory
        self.pipeline = pipeline
        self._extra_events: list[tuple[str | None, DomainEvent]] = []
        self._read_only = False

    def reading(self) -> Self:
        """Enter as a read-only unit of work (``with uow.reading():``): on SQLite its transaction reads
        a snapshot and takes no write lock, so a long read never stops a writer. It cannot commit."""
        self._read_only = True
        return self

    def single_read(self) -> AbstractContextManager[Connection]:
        """A connection for a use-case that is one read (``with uow.single_read() as connection:``),
        outside this unit of work's session: see ``storage.db.single_read``."""
        return single_read(self.session_factory.kw["bind"])

    def __enter__(self) -> Self:
        self.session = _idle_session(self.session_factory, self._read_only)
        self.complaints = ComplaintRepository(self.session)
        self.customers = CustomerRepository(self.session)
        self.audit = AuditLog(self.session)
        self.users = UserRepository(self.session)
        self.clocks = SlaClockRepository(self.session)
        self.blobs = BlobStore(self.session)
        self.calendar = CalendarRepository(self.session)
        self._extra_events = []
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # Anything not committed explicitly is rolled back: a use-case lands whole or not at all.
        read_only, self._read_only = self._read_only, False
        self.session.rollback()
        self.session.close()
        _keep_idle(self.session_factory, read_only, self.session)
        busy = as_busy(exc) if exc is not None else None
        if busy is not None:
            raise busy from exc

    def record_event(self, complaint_number: str | None, event: DomainEvent) -> None:
        """Events that belong to no complaint (imports, calendar edits, user changes)."""
        self._extra_events.append((complaint_number, event))

    def hold_complaint_events(self) -> list[tuple[str | None, DomainEvent]]:
        """Take the complaints' pending events out of this commit (an import seals them later, when
        it shows its complaints; see ``import_staging``)."""
        items: list[tuple[str | None, DomainEvent]] = []
        for complaint in self.complaints.seen:
            items.extend((complaint.number, ev) for ev in complaint.pending_events)
            complaint.pending_events.clear()
        return items

    def _collect_events(self) -> list[tuple[str | None, DomainEvent]]:
        items: list[tuple[str | None, DomainEvent]] = []
        for complaint in self.complaints.seen:
            pending = complaint.pending_events
            items.extend((complaint.number, ev) for ev in pending)
            pending.clear()
        items.extend(self._extra_events)
        self._extra_events = []
        items.sort(key=lambda item: item[1].at)
        return items

    def flush(self) -> None:
        """Write pending changes without committing (versions are assigned; a stale one fails here)."""
        try:
            self.session.flush()
        except StaleDataError as exc:
            self.session.rollback()
            raise StaleWrite("该投诉已被他人修改，请刷新后重试", field="version") from exc

    def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        try:
            self.session.flush()
            self.pipeline.run(Commit(self.session, self.audit, self._collect_events()))
            self.session.commit()
        except StaleDataError as exc:
            self.session.rollback()
            raise StaleWrite("该投诉已被他人修改，请刷新后重试", field="version") from exc
        except SAIntegrityError as exc:
            self.session.rollback()
            raise Conflict(f"数据冲突：{exc.orig}", field=None) from exc

    def rollback(self) -> None:
        self.session.rollback()


# -- sessions used again: one closed session per thread and kind, kept on its factory ---------------------
#
# A closed Session is as good as a new one for the next unit of work (its identity map, new and deleted
# objects and transaction are all reset by ``close``), but making one was about a fifth of an empty unit of
# work: the constructor, and the session-level event listeners (the search index's, the column updates')
# joined anew on each new session's first use of each event. What a closed session still carries, its
# ``info``, is cleared before it is used again. Kept per thread (a session serves one thread at a time) and
# on the factory itself, so it lives exactly as long as the desk: a session kept module-wide would keep a
# dead desk's engine, and its pool's connections, alive.

_IDLE_KEY = "_complaintdesk_idle_sessions"


def _slots(factory: sessionmaker[Session]) -> Any:
    slots = factory.__dict__.get(_IDLE_KEY)
    if slots is None:
        slots = factory.__dict__.setdefault(_IDLE_KEY, threading.local())
    return slots


def _idle_session(factory: sessionmaker[Session], read_only: bool) -> Session:
    """This thread's closed session of this kind if it has one (taken, so a unit of work opened inside
    another gets a new one), else a new session (a read-only one on the reader engine, see ``reading``)."""
    slots = _slots(factory)
    name = "reader" if read_only else "writer"
    session: Session | None = getattr(slots, name, None)
    if session is not None:
        setattr(slots, name, None)
        return session
    if read_only:
        return factory(bind=read_only_engine(factory.kw["bind"]))
    return factory()


def _keep_idle(factory: sessionmaker[Session], read_only: bool, session: Session) -> None:
    """Keep a session just closed for this thread's next unit of work of its kind (reached only when its
    rollback and close succeeded), unless one is kept already."""
    session.info.clear()
    slots = _slots(factory)
    name = "reader" if read_only else "writer"
    if getattr(slots, name, None) is None:
        setattr(slots, name, session)
