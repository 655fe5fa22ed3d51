"""Wiring: settings → engine → session factory → units of work. One place, used by CLI, API and tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from complaintdesk.services.unit_of_work import SqlAlchemyUnitOfWork
from complaintdesk.settings import Settings, get_settings
from complaintdesk.storage.db import make_engine, make_session_factory, migrate


@dataclass
class Desk:
    """A running complaintdesk: its database and a factory of units of work."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.session_factory)


def open_desk(
    database_url: str | None = None, *, settings: Settings | None = None, create: bool = True
) -> Desk:
    settings = settings or get_settings()
    engine = make_engine(database_url or settings.resolved_database_url())
    if create:
        migrate(engine)
    return Desk(settings, engine, make_session_factory(engine))
