"""A complaint read by number is put into the session by hand (``storage.row_loading``), its row read as
plain columns (``driver_sql.fetch``): it must be the object the ORM's own loading gives, on SQLite and on
PostgreSQL — same values, same types, persistent and clean, child collections loading on use, and the
identity map still winning over a second read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select

from complaintdesk.domain.model import Complaint, Customer
from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import driver_sql, orm
from complaintdesk.storage.repository import ComplaintRepository
from complaintdesk.storage.statements import COMPLAINT_COLUMNS, CUSTOMER_COLUMNS
from tests.builders import open_number


def _columns(instance: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def test_a_complaint_read_by_hand_is_the_one_the_orm_loads(desk: Desk) -> None:
    number = open_number(desk)
    with desk.session_factory() as session:
        by_orm = session.scalars(select(Complaint).where(orm.complaints.c.number == number)).one()
        expected = _columns(by_orm, COMPLAINT_COLUMNS)
        customer = session.get(Customer, by_orm.customer_id)
        expected_customer = _columns(customer, CUSTOMER_COLUMNS)
    with desk.session_factory() as session:
        complaint = ComplaintRepository(session).get(number, with_clocks=True)
        loaded = _columns(complaint, COMPLAINT_COLUMNS)
        assert loaded == expected
        assert {k: type(v) for k, v in loaded.items()} == {k: type(v) for k, v in expected.items()}
        assert _columns(session.get(Customer, complaint.customer_id), CUSTOMER_COLUMNS) == expected_customer
        state = inspect(complaint)
        assert state.persistent and not session.dirty and not state.committed_state
        assert complaint.messages == [] and complaint.repeat_links == []  # empty collections, loaded


def test_a_second_read_in_one_session_gives_the_same_object_with_its_changes(desk: Desk) -> None:
    number = open_number(desk)
    with desk.session_factory() as session:
        repository = ComplaintRepository(session)
        first = repository.get(number)
        first.owner = "someone-else"
        again = repository.get(number, with_clocks=True)
        assert again is first and again.owner == "someone-else"
        session.expire(first)  # expired: the next read fills it from the row, as the ORM's would
        assert repository.get(number) is first and first.owner != "someone-else"


def test_a_change_to_a_complaint_read_by_hand_is_written_with_its_version(desk: Desk) -> None:
    number = open_number(desk)
    with desk.session_factory() as session:
        complaint = ComplaintRepository(session).get(number)
        version = complaint.version
        complaint.title = "改过的标题"
        session.commit()
    with desk.session_factory() as session:
        row = session.execute(select(orm.complaints.c.title, orm.complaints.c.version).where(
            orm.complaints.c.number == number)).one()
    assert row == ("改过的标题", version + 1)


def test_fetched_rows_carry_the_values_sqlalchemy_returns(desk: Desk) -> None:
    open_number(desk)
    c = orm.complaints.c
    statement = select(c.number, c.channel, c.stage, c.demands, c.opened_at, c.analysis).order_by(c.id)
    with desk.session_factory() as session:
        expected = [tuple(row) for row in session.execute(statement)]
        fetched = driver_sql.fetch(session, statement, {})
    assert [tuple(row) for row in fetched] == expected
    assert fetched[0].stage == expected[0][2] and fetched[0].opened_at.tzinfo is not None


def _fields(at: Any) -> dict[str, Any]:
    from complaintdesk.domain.vocab import Channel

    return {
        "number": "TS-20261201-000001", "customer_id": 1, "channel": Channel.PHONE, "title": "宽带停机",
        "description": "欠费不到30天就停机", "opened_at": at, "opened_by": "li_agent", "demands": ["refund"],
    }  # fmt: skip


def test_a_complaint_built_past_the_instrumentation_is_the_one_its_constructor_makes(desk: Desk) -> None:
    from datetime import UTC, datetime

    from complaintdesk.storage import row_loading

    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    built, made = row_loading.built(Complaint, **_fields(at)), Complaint(**_fields(at))
    names = tuple(inspect(Complaint).attrs.keys())
    assert _columns(built, names) == _columns(made, names)
    assert built.pending_events == made.pending_events and type(built) is Complaint
    state = inspect(built)
    assert state.transient and not state.committed_state
    assert type(built.messages) is type(made.messages)  # instrumented: an appended child is tracked
    with desk.session_factory() as session:  # and an ORM flush writes it, children included
        session.add(Customer("王女士", "13812345678", "regular", created_at=at))
        session.flush()
        built.customer_id = session.scalars(select(Customer.id)).one()  # type: ignore[arg-type]
        built.link_repeat("TS-20261130-000009", 0.9, "同一问题", "li_agent", at)
        session.add(built)
        session.commit()
        stored = session.scalars(select(Complaint).where(orm.complaints.c.number == built.number)).one()
        assert stored.demands == ["refund"] and len(stored.repeat_links) == 1 and stored.version == 1


def test_a_customer_built_past_the_instrumentation_is_validated_as_its_constructor_validates() -> None:
    from datetime import UTC, datetime

    import pytest

    from complaintdesk.domain.errors import InvalidInput
    from complaintdesk.storage import row_loading

    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    built = row_loading.built(Customer, " 王女士 ", "138 1234 5678", "key_account", created_at=at)
    made = Customer(" 王女士 ", "138 1234 5678", "key_account", created_at=at)
    assert _columns(built, CUSTOMER_COLUMNS) == _columns(made, CUSTOMER_COLUMNS) and inspect(built).transient
    with pytest.raises(InvalidInput):
        row_loading.built(Customer, " ", "13812345678", created_at=at)


def test_a_built_complaints_empty_collections_are_the_ones_set_committed_value_leaves(desk: Desk) -> None:
    """``built`` makes each empty collection itself rather than by ``set_committed_value``: the state it
    leaves must be the same — instrumented, adapted to this object, no history, nothing committed,
    expired or pending — and an item appended later must be tracked as on the ORM's own collection."""
    from datetime import UTC, datetime

    from sqlalchemy.orm.attributes import set_committed_value

    from complaintdesk.domain.vocab import MessageKind
    from complaintdesk.storage import row_loading

    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    built = row_loading.built(Complaint, **_fields(at))
    reference = inspect(Complaint).class_manager.new_instance()
    names = [r.key for r in inspect(Complaint).relationships if r.uselist]
    assert len(names) == 6
    for name in names:
        set_committed_value(reference, name, [])
    made, expected = inspect(built), inspect(reference)
    for name in names:
        collection, reference_collection = getattr(built, name), getattr(reference, name)
        assert collection == [] and type(collection) is type(reference_collection)
        assert collection._sa_adapter.owner_state is made and collection._sa_adapter.attr is made.manager[name].impl
        assert made.attrs[name].history == expected.attrs[name].history
    assert made.committed_state == expected.committed_state == {}
    assert made.expired_attributes == expected.expired_attributes and not made.expired
    assert made.callables == expected.callables and made.modified == expected.modified
    built.add_message(MessageKind.NOTE, "li_agent", "已致电客户", at)
    added = made.attrs["messages"].history.added
    assert len(added) == 1 and added[0] is built.messages[0] and made.modified
