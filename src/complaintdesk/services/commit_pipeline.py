"""What a unit of work's commit writes besides the change itself: the handlers, run in order inside
the change's transaction, so that each of their rows exists exactly when the change does.

The handlers are chosen where the desk is composed (``bootstrap.open_desk``), never by importing a
module: a worker or a script that imports only the service layer and ``bootstrap`` writes the same
audit events, search entries and webhook outbox rows as the API does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from complaintdesk.domain.audit import AuditRecord
from complaintdesk.domain.model import DomainEvent
from complaintdesk.storage.audit_log import AuditLog


@dataclass
class Commit:
    """One commit as its handlers see it; a handler may fill in what later ones read (``records``)."""

    session: Session
    audit: AuditLog
    events: Sequence[tuple[str | None, DomainEvent]]  # the domain events of this commit, in time order
    records: list[AuditRecord] = field(default_factory=list)  # as sealed into the audit chain


CommitHandler = Callable[[Commit], None]
# Installs on a session factory what a handler needs to learn during the transaction (the search
# index: which complaints a flush changed); called once, when the desk is composed.
FactoryTracker = Callable[[sessionmaker[Session]], None]


@dataclass(frozen=True)
class CommitPipeline:
    handlers: tuple[CommitHandler, ...]
    trackers: tuple[FactoryTracker, ...] = ()

    def install(self, factory: sessionmaker[Session]) -> sessionmaker[Session]:
        for track in self.trackers:
            track(factory)
        return factory

    def run(self, commit: Commit) -> None:
        # No savepoint around a handler on purpose: if one cannot write, the change is not committed.
        for handler in self.handlers:
            handler(commit)


def seal_audit_events(commit: Commit) -> None:
    """Append the commit's domain events to the audit chain (tamper-evident, one global order)."""
    commit.records = commit.audit.append(commit.events)
