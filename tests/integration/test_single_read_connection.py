"""A transaction that is one read runs without BEGIN/ROLLBACK on PostgreSQL, and the connection goes
back to the pool ready for ordinary transactions."""

from __future__ import annotations

from sqlalchemy import text

from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage.db import single_read_connection


def test_a_lone_read_opens_no_transaction_on_postgresql_and_leaves_the_pool_transactional(desk: Desk) -> None:
    with desk.session_factory() as session:
        connection = single_read_connection(session)
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
        raw = connection.connection.dbapi_connection
        if desk.engine.dialect.name == "postgresql":
            import psycopg

            assert raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE  # type: ignore[union-attr]
        else:
            assert raw.in_transaction  # type: ignore[union-attr]  # SQLite keeps BEGIN IMMEDIATE
    # The connection went back with its isolation restored: the next ordinary session is transactional.
    with desk.session_factory() as session:
        session.execute(text("SELECT 1"))
        raw = session.connection().connection.dbapi_connection
        if desk.engine.dialect.name == "postgresql":
            import psycopg

            assert raw.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS  # type: ignore[union-attr]
        else:
            assert raw.in_transaction  # type: ignore[union-attr]
