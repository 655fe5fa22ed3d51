"""How an intake is written: a complaint without child rows is inserted by one statement and joins the
session as if loaded (on PostgreSQL the same statement writes its clocks and search entry); the
customer is found or created by one statement on PostgreSQL. Whatever the
path, the rows, the search entry, the version check and the audit chain come out as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from complaintdesk.domain.errors import StaleWrite
from complaintdesk.domain.vocab import MessageKind, Segment, Stage
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services import search, sla_service
from complaintdesk.services.audit_service import verify
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _cmd(phone: str, description: str, name: str = "钱女士") -> svc.OpenComplaint:
    return svc.OpenComplaint(
        customer_name=name, phone=phone, title="宽带停机", description=description, actor="li_agent",
        opened_at=AT, detect_repeats=False,
    )  # fmt: skip


def test_two_intakes_of_one_customer_in_one_unit_of_work_share_the_customer_and_both_are_indexed(
    desk: Desk,
) -> None:
    with desk.uow() as uow:
        first, first_customer = svc.open_within(uow, _cmd("13900000001", "宽带欠费停机不合理"), now=AT)
        second, second_customer = svc.open_within(uow, _cmd("13900000001", "电视盒子无法开机"), now=AT)
        assert first_customer is second_customer
        uow.commit()
    with desk.uow() as uow:
        assert len(uow.customers.all()) == 1
        assert uow.complaints.count() == 2
    assert [h.summary["number"] for h in search.search_text(desk.uow(), "停机不合理")] == [first.number]
    assert [h.summary["number"] for h in search.search_text(desk.uow(), "电视盒子")] == [second.number]


def test_a_complaint_changed_after_intake_in_the_same_unit_of_work_is_written_once_with_its_change(
    desk: Desk,
) -> None:
    with desk.uow() as uow:
        complaint, _ = svc.open_within(uow, _cmd("13900000002", "宽带停机三天"), now=AT)
        complaint.add_message(MessageKind.INBOUND, "钱女士", "补充:路由器指示灯全灭", AT)
        complaint.move_to(Stage.CALMING, "li_agent", AT)
        uow.commit()
    detail = svc.get_complaint(desk.uow(), complaint.number)
    assert detail["stage"] == Stage.CALMING.value
    assert detail["version"] == 2  # one insert, then one versioned update
    assert [m["body"] for m in detail["messages"]] == ["补充:路由器指示灯全灭"]
    assert [h.summary["number"] for h in search.search_text(desk.uow(), "指示灯全灭")] == [complaint.number]


def test_a_stale_move_after_an_intake_is_refused_by_the_version_check(desk: Desk) -> None:
    number = svc.open_complaint(desk.uow(), _cmd("13900000003", "宽带停机"), now=AT)["number"]
    assert (
        handle(
            desk.uow(),
            cmds.Move(number=number, stage="calming", actor="li_agent", expected_version=1),
            now=AT,
        )["version"]
        == 2
    )
    with pytest.raises(StaleWrite):
        handle(
            desk.uow(),
            cmds.Move(number=number, stage="clarifying", actor="li_agent", expected_version=1),
            now=AT,
        )


def test_an_existing_customer_found_at_intake_keeps_their_stored_name_segment_and_id(desk: Desk) -> None:
    first = svc.open_complaint(desk.uow(), _cmd("13900000004", "第一次投诉"), now=AT)
    again = svc.open_complaint(desk.uow(), _cmd("13900000004", "第二次投诉"), now=AT)
    assert again["customer"]["id"] == first["customer"]["id"]
    assert again["customer"]["name"] == "钱女士"
    other = svc.open_complaint(desk.uow(), _cmd("13900000004", "家人代投诉", name="钱先生"), now=AT)
    assert other["customer"]["id"] != first["customer"]["id"]  # same phone, another name: another customer


def test_the_audit_chain_verifies_after_direct_intakes(desk: Desk) -> None:
    for i in range(3):
        svc.open_complaint(desk.uow(), _cmd(f"1390000001{i}", f"宽带停机第{i}次"), now=AT)
    verdict = verify(desk.uow())
    assert verdict.ok and verdict.checked >= 3 * 2  # opened + analysed per intake


def test_an_intakes_clocks_are_stored_as_computed_with_their_due_times_in_utc(desk: Desk) -> None:
    with desk.uow() as uow:
        expected = sla_service.intake_clocks(uow, "TS-X", Segment.KEY_ACCOUNT, AT)
    cmd = replace(_cmd("13900000020", "宽带停机"), segment=Segment.KEY_ACCOUNT.value)
    number = svc.open_complaint(desk.uow(), cmd, now=AT)["number"]
    with desk.uow() as uow:
        stored = uow.clocks.for_complaint(number)
    assert [(r.clock.to_dict(), r.due_at, r.active, r.updated_at) for r in stored] == [
        (r.clock.to_dict(), r.due_at, r.active, r.updated_at) for r in expected
    ]
    assert all(r.due_at.utcoffset() == timedelta(0) for r in stored)


def test_an_intake_on_postgresql_writes_complaint_clocks_and_search_entry_in_one_statement(desk: Desk) -> None:
    if desk.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writes them one statement each (one writer holds the database anyway)")
    writes: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "WITH")):
            writes.append(statement)

    event.listen(desk.engine, "before_cursor_execute", record)
    try:
        number = svc.open_complaint(desk.uow(), _cmd("13900000021", "宽带欠费停机不合理"), now=AT)["number"]
    finally:
        event.remove(desk.engine, "before_cursor_execute", record)
    intake = [s for s in writes if "INSERT INTO complaints" in s]
    assert len(intake) == 1
    assert "INSERT INTO sla_clocks" in intake[0] and "INSERT INTO search_documents" in intake[0]
    assert not [s for s in writes if s is not intake[0] and ("sla_clocks" in s or "search_documents" in s)]
    with desk.uow() as uow:
        assert [r.clock.kind.value for r in uow.clocks.for_complaint(number)] == [
            "acceptance", "first_response", "resolution",
        ]  # fmt: skip
    assert [h.summary["number"] for h in search.search_text(desk.uow(), "停机不合理")] == [number]


def test_a_new_customer_added_by_two_intakes_at_once_is_one_customer(desk: Desk) -> None:
    """The second intake waits on the first one's uncommitted row, then meets it on conflict."""
    if desk.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: two intakes never overlap")
    import threading

    from complaintdesk.domain.model import Customer

    with desk.uow() as first:
        created, first_is_new = first.customers.find_or_add(Customer("孙女士", "13900000077", Segment.KEY_ACCOUNT, created_at=AT))
        found: list[tuple[int | None, bool, str]] = []

        def second_intake() -> None:
            with desk.uow() as second:
                customer, is_new = second.customers.find_or_add(
                    Customer("孙女士", "13900000077", Segment.REGULAR, created_at=AT + timedelta(hours=1))
                )
                found.append((customer.id, is_new, customer.segment.value))
                second.commit()

        waiting = threading.Thread(target=second_intake)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive(), "the second intake waits for the first one's row"
        first.commit()
    waiting.join(10)
    assert first_is_new
    assert found == [(created.id, False, Segment.KEY_ACCOUNT.value)]
