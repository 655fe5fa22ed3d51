"""Statements psycopg sends itself (``storage.driver_sql``) behave as SQLAlchemy's own: same
transaction, seen by the engine's listeners, errors in SQLAlchemy's classes."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DataError, OperationalError

from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import driver_sql
from complaintdesk.storage.db import as_busy


@pytest.fixture
def pg_desk(desk: Desk) -> Desk:
    if desk.engine.dialect.name != "postgresql":
        pytest.skip("driver statements are PostgreSQL's")
    return desk


def test_a_driver_statement_runs_in_the_sessions_transaction_and_rolls_back_with_it(pg_desk: Desk) -> None:
    with pg_desk.session_factory() as session:
        session.execute(text("CREATE TEMP TABLE scratch (n int)"))
        session.commit()
        session.execute(text("INSERT INTO scratch VALUES (1)"))
        assert driver_sql.fetch_all(session, "SELECT count(*) FROM scratch WHERE n = %(n)s", {"n": 1}) == [(1,)]
        driver_sql.fetch_all(session, "INSERT INTO scratch VALUES (%(n)s) RETURNING n", {"n": 2})
        session.rollback()
        assert session.execute(text("SELECT count(*) FROM scratch")).scalar_one() == 0


def test_a_driver_statement_is_seen_by_the_engines_statement_listeners(pg_desk: Desk) -> None:
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(pg_desk.engine, "before_cursor_execute", note)
    try:
        with pg_desk.session_factory() as session:
            driver_sql.fetch_all(session, "SELECT %(n)s::int", {"n": 7})
    finally:
        event.remove(pg_desk.engine, "before_cursor_execute", note)
    assert seen == ["SELECT %(n)s::int"]


def test_a_driver_error_is_raised_as_sqlalchemys_exception(pg_desk: Desk) -> None:
    with pg_desk.session_factory() as session, pytest.raises(DataError):
        driver_sql.fetch_all(session, "SELECT 1 / %(zero)s::int", {"zero": 0})


def test_a_lock_wait_that_runs_out_is_the_busy_error(pg_desk: Desk) -> None:
    with pg_desk.session_factory() as holder, pg_desk.session_factory() as waiter:
        holder.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        waiter.execute(text("SET LOCAL lock_timeout = '50ms'"))
        with pytest.raises(OperationalError) as raised:
            driver_sql.fetch_all(waiter, "SELECT pg_advisory_xact_lock(%(key)s)", {"key": 4242})
        assert as_busy(raised.value) is not None
