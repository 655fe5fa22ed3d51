"""What ``driver_sql`` now keeps between statements — the session's connection for its transaction, each
statement's binding plan — answers as ``Session.connection()`` and ``construct_params`` answered, on both
databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError, InvalidRequestError, PendingRollbackError

from complaintdesk.domain.model import Customer
from complaintdesk.domain.vocab import Segment
from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import driver_sql, orm, statements

AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def _add(session: object, name: str, phone: str) -> int:
    values = {"name": name, "phone": phone, "segment": Segment.REGULAR, "created_at": AT}
    ((new_id,),), _ = driver_sql.execute(session, statements.customer_insert(), values)  # type: ignore[arg-type]
    return int(new_id)


def _names(desk: Desk) -> set[str]:
    with desk.engine.connect() as conn:
        return set(conn.scalars(select(orm.customers.c.name)))


def test_a_driver_statement_after_a_commit_runs_in_the_next_transaction_and_rolls_back_alone(desk: Desk) -> None:
    with desk.session_factory() as session:
        _add(session, "甲", "13800000001")
        session.commit()
        _add(session, "乙", "13800000002")
        session.rollback()
        _add(session, "丙", "13800000003")
        session.commit()
    assert _names(desk) == {"甲", "丙"}


def test_a_driver_statement_after_a_failed_flush_is_refused_as_the_session_refuses_it(desk: Desk) -> None:
    with desk.session_factory() as session:
        first = _add(session, "甲", "13800000001")
        twin = Customer("乙", "13800000002", Segment.REGULAR, created_at=AT)
        twin.id = first  # the same key: the flush fails and the transaction must be rolled back first
        session.add(twin)
        with pytest.raises(IntegrityError):
            session.flush()
        with pytest.raises(PendingRollbackError):
            _add(session, "丙", "13800000003")
        session.rollback()
        _add(session, "丁", "13800000004")
        session.commit()
    assert _names(desk) == {"丁"}


def test_a_statement_binds_its_own_values_and_a_missing_one_is_sqlalchemys_error(desk: Desk) -> None:
    t = orm.customers
    statement = select(func.count()).where(t.c.segment == Segment.REGULAR).where(t.c.phone == bindparam("phone"))
    with desk.session_factory() as session:
        _add(session, "甲", "13800000001")
        assert driver_sql.execute(session, statement, {"phone": "13800000001"})[0] == [(1,)]
        assert driver_sql.execute(session, statement, {"phone": "13800000009"})[0] == [(0,)]
        with pytest.raises(InvalidRequestError, match="phone"):
            driver_sql.execute(session, statement, {"name": "甲"})
        session.rollback()
