"""``complaints.next_due_at`` — the earliest due time of a complaint's running clocks, which the queue
sorts and counts by — is kept by the database whatever writes the clocks (services, importer, bulk
loads), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update

from complaintdesk.domain.sla import start_clock
from complaintdesk.storage import orm
from complaintdesk.storage.sla_repository import ClockRow
from tests.builders import open_number, write

NOW = datetime.now(UTC).replace(microsecond=0)


def _kept(desk, number):
    with desk.engine.connect() as connection:
        c = orm.complaints.c
        return connection.execute(select(c.next_due_at).where(c.number == number)).scalar_one()


def _earliest_running(desk, number):
    with desk.engine.connect() as connection:
        k = orm.sla_clocks.c
        return connection.execute(
            select(k.due_at).where(k.complaint_number == number, k.active.is_(True)).order_by(k.due_at).limit(1)
        ).scalar()


def test_an_opened_complaint_carries_the_due_time_of_its_earliest_running_clock(desk):
    number = open_number(desk, opened_at=NOW - timedelta(hours=2))
    assert _earliest_running(desk, number) is not None
    assert _kept(desk, number) == _earliest_running(desk, number)


def test_stopping_moving_adding_and_deleting_clocks_keeps_the_next_due_time(desk):
    number = open_number(desk, opened_at=NOW)
    k = orm.sla_clocks.c
    sooner = NOW + timedelta(minutes=5)
    clock = ClockRow.new(number, start_clock("resolution", NOW), sooner, NOW).values()
    write(desk, insert(orm.sla_clocks).values(clock))
    assert _kept(desk, number) == sooner
    write(desk, update(orm.sla_clocks).where(k.complaint_number == number, k.due_at == sooner)
          .values(due_at=sooner + timedelta(days=30)))  # fmt: skip
    assert _kept(desk, number) == _earliest_running(desk, number) < sooner + timedelta(days=30)
    write(desk, update(orm.sla_clocks).where(k.complaint_number == number).values(active=False))
    assert _kept(desk, number) is None
    write(desk, update(orm.sla_clocks).where(k.complaint_number == number, k.due_at > NOW + timedelta(days=29))
          .values(active=True))  # fmt: skip
    assert _kept(desk, number) == sooner + timedelta(days=30)
    write(desk, delete(orm.sla_clocks).where(k.complaint_number == number))
    assert _kept(desk, number) is None


def test_a_complaint_written_after_its_clocks_takes_their_due_time(desk):
    """A bulk load may write the clocks first: the complaint's own insert reads them."""
    number = open_number(desk, opened_at=NOW)
    due = NOW + timedelta(hours=7)
    write(desk, insert(orm.sla_clocks).values(ClockRow.new("BX-000000001", start_clock("resolution", NOW), due, NOW).values()))
    with desk.engine.connect() as connection:
        row = dict(connection.execute(select(orm.complaints).where(orm.complaints.c.number == number)).mappings().one())
    row.update(id=None, number="BX-000000001", next_due_at=None)
    del row["id"]
    write(desk, insert(orm.complaints).values(row))
    assert _kept(desk, "BX-000000001") == due
