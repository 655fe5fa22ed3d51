"""Wiring: settings → engine → session factory and commit pipeline → units of work. One place, used by
the CLI, the API and web workspace, the workers and the tests: nothing is wired by importing a module."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, configure_mappers, sessionmaker

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.services import mail_outbox, notifications, search_index, webhooks
from complaintdesk.services.commit_pipeline import CommitPipeline, seal_audit_events
from complaintdesk.services.unit_of_work import SqlAlchemyUnitOfWork
from complaintdesk.settings import Settings, get_settings
from complaintdesk.storage.db import as_busy, maintenance_warnings, make_engine, make_session_factory, migrate

log = logging.getLogger(__name__)


def commit_pipeline() -> CommitPipeline:
    """What every commit writes with its change, in this order:

    1. the search entries of the complaints whose text changed — first, because on PostgreSQL sealing
       the audit events takes the chain's lock until the commit, and the index work need not be
       serialised behind it;
    2. the audit events, sealed at the chain's end;
    3. the webhook outbox rows for the sealed events that an active subscription wants;
    4. the mail outbox rows of the mail the change sends the customer (``mail_queued`` events).
    5. the in-app notifications of the people the events concern (assignment, transfer, escalation,
       SLA, mention, customer reply, approvals).
    """
    return CommitPipeline(
        handlers=(
            search_index.write_changed,
            seal_audit_events,
            webhooks.queue_deliveries,
            mail_outbox.queue_mails,
            notifications.write_notifications,
        ),
        trackers=(search_index.track_changes,),
    )


@dataclass
class Desk:
    """A running complaintdesk: its database and a factory of units of work."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    pipeline: CommitPipeline  # its trackers installed on session_factory (``open_desk``)

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.session_factory, self.pipeline)

    def maintenance_warnings(self) -> list[str]:
        """What the database's settings will cost as the data grows (said when a server starts)."""
        return maintenance_warnings(self.engine)

    def warm_up_storage(self) -> None:
        """Do now what a server worker's first requests would otherwise pay for: measured in a fresh
        worker, the first queue read took 35-40 ms and the first intake 80-130 ms (ORM mapper set-up,
        parsing the holiday calendar, compiling statements) where later ones take 3 and 8."""
        from complaintdesk.services import queue, sla_service

        configure_mappers()
        try:
            sla_service.warm_up(self.uow())
            queue.list_queue(self.uow(), queue.QueueQuery(limit=20), viewer=None)
        except SQLAlchemyError as exc:
            # Only a head start, like the pool below: the requests will meet the error, not the start.
            log.warning("could not warm up the storage caches: %s", exc)

    def open_connections(self, count: int) -> None:
        """Fill the connection pool up to ``count`` before the first requests need them (a server
        worker's first burst otherwise waits for new database backends to start). PostgreSQL only:
        SQLite opens a file, not a backend."""
        if self.engine.dialect.name != "postgresql":
            return
        held = []
        try:
            for _ in range(count):
                held.append(self.engine.connect())
        except SQLAlchemyError as exc:
            # Only a head start: a database that is not reachable yet fails the requests, not the start.
            log.warning("could not open %d database connections ahead of requests: %s", count, exc)
        finally:
            for connection in held:
                connection.close()


def open_desk(
    database_url: str | None = None, *, settings: Settings | None = None, create: bool = True
) -> Desk:
    settings = settings or get_settings()
    url = database_url or settings.resolved_database_url()
    try:
        engine = make_engine(url)
        if create:
            migrate(engine)
    except (OSError, SQLAlchemyError) as exc:
        busy = as_busy(exc)
        if busy is not None:  # locked by other work: worth a retry, not a configuration problem
            raise busy from None
        shown = make_url(url).render_as_string(hide_password=True) if "://" in url else url
        reason = getattr(exc, "orig", None) or exc
        raise ConfigurationError(f"无法打开数据库 {shown}: {reason}", field="database_url") from None
    from complaintdesk.services.analysis_training import use_centre_model

    use_centre_model()  # a centre's retrained analysis model, when it has one
    pipeline = commit_pipeline()
    factory = pipeline.install(make_session_factory(engine))
    return Desk(settings, engine, factory, pipeline)
