"""A use-case that is one read gets a connection without an ORM session: on PostgreSQL it runs without
BEGIN/ROLLBACK, on SQLite in a deferred transaction that leaves the write lock to writers; the
connection goes back to the pool ready for ordinary transactions, and a busy database is said so."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from complaintdesk.domain.errors import DatabaseBusy
from complaintdesk.services.bootstrap import Desk


def test_a_lone_read_opens_no_transaction_on_postgresql_and_leaves_the_pool_transactional(desk: Desk) -> None:
    with desk.uow().single_read() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
        raw = connection.connection.dbapi_connection
        if desk.engine.dialect.name == "postgresql":
            import psycopg

            assert raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE  # type: ignore[union-attr]
        else:
            assert raw.in_transaction  # type: ignore[union-attr]  # SQLite reads in a transaction
    # The connection went back with its isolation restored: the next ordinary session is transactional.
    with desk.session_factory() as session:
        session.execute(text("SELECT 1"))
        raw = session.connection().connection.dbapi_connection
        if desk.engine.dialect.name == "postgresql":
            import psycopg

            assert raw.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS  # type: ignore[union-attr]
        else:
            assert raw.in_transaction  # type: ignore[union-attr]


def test_a_lone_read_on_sqlite_does_not_hold_the_write_lock(desk: Desk) -> None:
    if desk.engine.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's")
    with desk.uow().single_read() as connection:
        connection.execute(text("SELECT count(*) FROM complaints")).scalar_one()
        with desk.session_factory() as writer:  # BEGIN IMMEDIATE: would wait for a reader holding the lock
            writer.execute(text("UPDATE complaints SET version = version WHERE 1 = 0"))
            writer.commit()


def test_a_busy_database_during_a_lone_read_is_said_busy(desk: Desk) -> None:
    with pytest.raises(DatabaseBusy), desk.uow().single_read():
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))


def test_any_other_error_during_a_lone_read_is_left_as_it_is(desk: Desk) -> None:
    with pytest.raises(ZeroDivisionError), desk.uow().single_read():
        _ = 1 / 0


def test_a_connection_lost_during_a_lone_read_is_not_pooled_and_the_next_read_works(desk: Desk) -> None:
    if desk.engine.dialect.name != "postgresql":
        pytest.skip("the autocommit switch is PostgreSQL's")
    with desk.uow().single_read() as connection:
        lost = connection.connection.dbapi_connection
        lost.close()  # type: ignore[union-attr]  # as if the server went away mid-read
    with desk.uow().single_read() as connection:
        assert connection.connection.dbapi_connection is not lost
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
    with desk.session_factory() as session:
        session.execute(text("SELECT 1"))
        raw = session.connection().connection.dbapi_connection
        assert raw is not lost
        import psycopg

        assert raw.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS  # type: ignore[union-attr]
