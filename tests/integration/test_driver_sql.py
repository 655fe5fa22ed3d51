"""Statements the driver sends itself (``storage.driver_sql``: psycopg, and sqlite3 for Core statements
on SQLite) behave as SQLAlchemy's own: same transaction, seen by the engine's listeners, errors in
SQLAlchemy's classes, and a Core statement's values bound as SQLAlchemy binds them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, event, insert, select, text, update
from sqlalchemy.exc import DataError, OperationalError

from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import driver_sql, orm
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


def test_a_core_statement_sent_by_the_driver_writes_what_sqlalchemy_would(desk: Desk) -> None:
    """JSON through the engine's serializer, times and text as SQLAlchemy binds them: the row written by
    ``driver_sql.execute`` reads back the same as the one SQLAlchemy writes with the same values."""
    table = orm.sla_clocks
    columns = [c for c in table.c if c.key != "id"]
    statement = insert(table).values({c.key: bindparam(c.key) for c in columns}).returning(table.c.id)
    at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    values = {
        "complaint_number": "TS-20260301-000001", "kind": "custom", "ref": "r", "clock": {"说明": "甲", "n": [1, 2.5, None]},
        "active": True, "due_at": at, "steps_applied": 2, "warned": False, "updated_at": at,
    }  # fmt: skip
    with desk.session_factory() as session:
        ((by_driver,),), count = driver_sql.execute(session, statement, values)
        by_sqlalchemy = session.execute(statement, values).scalar_one()
        rows = {r.id: r for r in session.execute(select(table).where(table.c.id.in_([by_driver, by_sqlalchemy])))}
        session.rollback()
    assert count == 1
    driver_row, sqlalchemy_row = rows[by_driver], rows[by_sqlalchemy]
    assert {k: v for k, v in driver_row._mapping.items() if k != "id"} == {
        k: v for k, v in sqlalchemy_row._mapping.items() if k != "id"
    }
    assert driver_row.clock == values["clock"] and driver_row.due_at == at


def test_a_core_update_sent_by_the_driver_reports_its_row_count(desk: Desk) -> None:
    table = orm.sla_clocks
    statement = update(table).where(table.c.complaint_number == bindparam("number")).values(warned=bindparam("warned"))
    with desk.session_factory() as session:
        assert driver_sql.execute(session, statement, {"number": "TS-00000000-000000", "warned": True}) == ([], 0)


def test_a_statement_with_expanding_parameters_is_refused(desk: Desk) -> None:
    table = orm.sla_clocks
    statement = select(table.c.id).where(table.c.complaint_number.in_(bindparam("numbers", expanding=True)))
    with desk.session_factory() as session, pytest.raises(ValueError):
        driver_sql.execute(session, statement, {"numbers": ["a"]})


def test_after_a_driver_error_and_a_rollback_the_next_statement_runs_on_the_same_connection(pg_desk: Desk) -> None:
    """The pooled connection keeps one psycopg cursor for these statements: an error leaves it usable."""
    with pg_desk.session_factory() as session:
        with pytest.raises(DataError):
            driver_sql.fetch_all(session, "SELECT 1 / %(zero)s::int", {"zero": 0})
        session.rollback()
        assert driver_sql.fetch_all(session, "SELECT %(n)s::int + 1", {"n": 1}) == [(2,)]
        assert driver_sql.fetch_all(session, "SELECT %(a)s::text, %(b)s::int", {"a": "甲", "b": 3}) == [("甲", 3)]


def _clock_rows(n: int) -> list[dict[str, object]]:
    at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    return [
        {"complaint_number": f"TS-20260301-{i:06d}", "kind": "custom", "ref": "r", "clock": {"说明": "甲", "n": [i]},
         "active": i % 2 == 0, "due_at": at, "steps_applied": i, "warned": False, "updated_at": at}
        for i in range(n)
    ]  # fmt: skip


def test_rows_written_by_the_drivers_executemany_read_back_as_sqlalchemys(desk: Desk) -> None:
    from complaintdesk.storage import statements

    table, seen = orm.sla_clocks, []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(desk.engine, "before_cursor_execute", note)
    try:
        with desk.session_factory() as session:
            driver_sql.execute_many(session, statements.clocks_insert(), _clock_rows(3))
            rows = session.execute(select(table).order_by(table.c.complaint_number)).all()
            session.rollback()
    finally:
        event.remove(desk.engine, "before_cursor_execute", note)
    assert sum(s.startswith("INSERT") for s in seen) == 1  # the executemany seen once
    assert [{k: v for k, v in r._mapping.items() if k != "id"} for r in rows] == _clock_rows(3)


def test_a_sqlite_driver_error_is_raised_as_sqlalchemys_exception(desk: Desk) -> None:
    from sqlalchemy.exc import IntegrityError

    if desk.engine.dialect.name != "sqlite":
        pytest.skip("sqlite3's errors")
    table = orm.customers
    statement = insert(table).values({c.key: bindparam(c.key) for c in table.c})
    row = {"id": 1, "name": "王", "phone": "13812345678", "segment": "regular", "created_at": datetime.now(UTC)}
    with desk.session_factory() as session, pytest.raises(IntegrityError):
        driver_sql.execute(session, statement, row)
        driver_sql.execute(session, statement, row)


def test_an_audit_append_by_the_driver_reads_back_as_a_sealed_chain_on_both_databases(desk: Desk) -> None:
    from complaintdesk.domain.audit import verify_chain
    from complaintdesk.domain.model import DomainEvent
    from complaintdesk.storage.audit_log import AuditLog

    at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    events = [("TS-20260301-000001", DomainEvent("noted", "王", at, {"说明": "甲", "n": [i], "x": 1.5})) for i in range(3)]
    with desk.session_factory() as session:
        log = AuditLog(session)
        first = log.append(events[:1])
        rest = log.append(events[1:])
        stored = list(log.iter_all())
        session.rollback()
    assert stored[-3:] == first + rest  # values, times and payloads as sealed
    assert [r.seq for r in stored[-3:]] == [stored[-3].seq, stored[-3].seq + 1, stored[-3].seq + 2]
    assert verify_chain(stored).ok


def _broadband_complaint(desk: Desk, at: datetime) -> str:
    """One complaint opened through the service (no analysis): its number."""
    from complaintdesk.services import complaints as svc

    command = svc.OpenComplaint(
        customer_name="王女士", phone="13812345678", title="宽带被停机", description="交了费还是停机，要求退款",
        actor="agent", opened_at=at, analyse=False,
    )  # fmt: skip
    return str(svc.open_complaint(desk.uow(), command, now=at)["number"])


def test_a_search_entry_written_by_the_driver_is_stored_once_and_replaced_in_place(desk: Desk) -> None:
    from complaintdesk.domain.model import Complaint
    from complaintdesk.services import search_index
    from complaintdesk.storage.orm_api import search_documents

    at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    number = _broadband_complaint(desk, at)
    d = search_documents.c
    with desk.session_factory() as session:
        complaint = session.scalars(select(Complaint).where(orm.complaints.c.number == number)).one()
        conn, version = session.connection(), complaint.version
        written = [conn.execute(select(d.number, d.version, d.content)).all()]
        assert search_index.write_documents(conn, [complaint], at) == 1  # a second write replaces the first
        written.append(conn.execute(select(d.number, d.version, d.content)).all())
        if desk.engine.dialect.name == "sqlite":
            found = text("SELECT rowid FROM search_fts WHERE search_fts MATCH :q")
            assert conn.execute(found, {"q": '"退款"'}).scalars().all() == [complaint.id]
        session.rollback()
    assert written[0] == written[1] and len(written[0]) == 1
    assert written[0][0][:2] == (number, version) and "要求退款" in written[0][0][2]


def test_a_select_fetched_by_the_driver_on_a_session_reads_as_sqlalchemys_rows(desk: Desk) -> None:
    from complaintdesk.storage import statements

    at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    number = _broadband_complaint(desk, at)
    customer = {"phone": "13812345678", "name": "王女士"}
    for statement, params in (
        (statements.complaint_by_number(desk.engine.dialect.name), {"number": number}),
        (statements.customer_by_phone_and_name(), customer),
    ):
        with desk.session_factory() as session:
            fetched = driver_sql.fetch(session, statement, params)
            expected = session.execute(statement, params).all()
            session.rollback()
        assert [tuple(row) for row in fetched] == [tuple(row) for row in expected] and len(fetched) == 1
    assert fetched[0]._asdict() == expected[0]._asdict()  # the customer's row, by name
