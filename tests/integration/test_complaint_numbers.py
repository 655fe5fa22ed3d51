"""Complaint numbers: unique and increasing per day; on PostgreSQL drawn outside the intake's
transaction, so an intake that fails after the draw leaves a gap (SQLite leaves none)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from complaintdesk.services import complaints as svc
from complaintdesk.services import sla_service
from complaintdesk.services.bootstrap import Desk

EAST8 = timezone(timedelta(hours=8))


def _cmd(phone: str, at: datetime) -> svc.OpenComplaint:
    return svc.OpenComplaint(
        customer_name="赵先生", phone=phone, title="宽带停机", description="宽带停机两天了。", actor="li_agent", opened_at=at
    )


def _open(desk: Desk, phone: str, at: datetime) -> str:
    return str(svc.open_complaint(desk.uow(), _cmd(phone, at))["number"])


def test_numbers_count_per_day_of_intake_in_beijing_time(desk: Desk) -> None:
    late = datetime(2026, 11, 23, 23, 50, tzinfo=EAST8)
    assert _open(desk, "13900000001", late) == "TS-20261123-000001"
    assert _open(desk, "13900000002", late) == "TS-20261123-000002"
    # 16:30 UTC on the 23rd is 00:30 on the 24th in Beijing: a new day, counting from one.
    assert _open(desk, "13900000003", datetime(2026, 11, 23, 16, 30, tzinfo=UTC)) == "TS-20261124-000001"


def test_an_intake_that_fails_after_the_draw_stores_nothing_and_the_next_number_follows(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = datetime(2026, 11, 23, 10, 0, tzinfo=EAST8)
    assert _open(desk, "13900000001", at) == "TS-20261123-000001"

    def fail(*_: object, **__: object) -> None:
        raise RuntimeError("database went away mid-intake")

    with monkeypatch.context() as patch:
        patch.setattr(sla_service, "intake_clocks", fail)
        with pytest.raises(RuntimeError):
            _open(desk, "13900000002", at)
    with desk.uow() as uow:
        assert uow.complaints.count() == 1
    following = _open(desk, "13900000003", at)
    if desk.engine.dialect.name == "postgresql":
        assert following == "TS-20261123-000003"  # 000002 was drawn by the failed intake: a gap
    else:
        assert following == "TS-20261123-000002"  # drawn inside the rolled-back transaction


def test_on_postgresql_the_first_draw_of_a_unit_of_work_uses_its_own_connection_and_later_ones_another(
    desk: Desk,
) -> None:
    if desk.engine.dialect.name != "postgresql":
        pytest.skip("SQLite draws inside the intake's transaction")
    at = datetime(2026, 11, 23, 10, 0, tzinfo=EAST8)
    checkouts: list[object] = []

    def count(*args: object) -> None:
        checkouts.append(args)

    event.listen(desk.engine.pool, "checkout", count)
    try:
        assert _open(desk, "13900000001", at) == "TS-20261123-000001"
        assert len(checkouts) == 1  # the draw ran on the intake's connection, before its BEGIN
        checkouts.clear()
        with desk.uow() as uow:
            first, _ = svc.open_within(uow, _cmd("13900000002", at), now=at)
            second, _ = svc.open_within(uow, _cmd("13900000003", at), now=at)
            uow.commit()
        assert len(checkouts) == 2  # inside the transaction the second draw commits on another connection
    finally:
        event.remove(desk.engine.pool, "checkout", count)
    assert (first.number, second.number) == ("TS-20261123-000002", "TS-20261123-000003")
    with desk.uow() as uow:
        assert uow.complaints.count() == 3
