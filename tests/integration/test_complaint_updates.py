"""How a change to a stored complaint is written: changes to plain columns (a stage move, a proposal)
by one UPDATE of those columns and the next version, matched on the version read; changes to child
rows or the indexed text by the ORM's flush. Either way a concurrent change is refused, never merged."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from complaintdesk.domain.errors import StaleWrite
from complaintdesk.domain.vocab import MessageKind, Stage
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services import search
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.storage import complaint_updates
from tests.builders import open_number

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _open(desk: Desk) -> str:
    return open_number(desk, customer_name="孙女士", phone="13900000031", title="宽带停机",
                       description="宽带欠费停机不合理", opened_at=AT, detect_repeats=False)  # fmt: skip


def _complaint_updates(desk: Desk, action: object) -> list[str]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE COMPLAINTS"):
            seen.append(" ".join(statement.split()))

    event.listen(desk.engine, "before_cursor_execute", record)
    try:
        action()  # type: ignore[operator]
    finally:
        event.remove(desk.engine, "before_cursor_execute", record)
    return seen


def _set_columns(statement: str) -> set[str]:
    set_clause = statement.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    return {part.split("=")[0].strip() for part in set_clause.split(",")}


def test_a_stage_move_writes_only_what_changed_and_the_next_version_matched_on_the_version_read(
    desk: Desk,
) -> None:
    number = _open(desk)
    updates = _complaint_updates(
        desk,
        lambda: handle(
            desk.uow(),
            cmds.Move(number=number, stage="calming", actor="li_agent", expected_version=1),
            now=AT + timedelta(minutes=5),
        ),
    )
    assert len(updates) == 1
    assert _set_columns(updates[0]) == {"stage", "updated_at", "version"}
    assert re.search(r"WHERE complaints\.id = \S+ AND complaints\.version = ", updates[0])
    detail = svc.get_complaint(desk.uow(), number)
    assert (detail["stage"], detail["version"]) == (Stage.CALMING.value, 2)


def test_consecutive_changes_each_take_the_next_version(desk: Desk) -> None:
    number = _open(desk)
    handle(
        desk.uow(), cmds.Move(number=number, stage="calming", actor="li_agent", expected_version=1), now=AT
    )
    handle(
        desk.uow(),
        cmds.Propose(
            number=number, solution="恢复开通并减免停机期间月费", actor="li_agent", expected_version=2
        ),
        now=AT,
    )
    with pytest.raises(StaleWrite):
        handle(
            desk.uow(), cmds.Move(number=number, stage="acting", actor="li_agent", expected_version=2), now=AT
        )
    detail = handle(
        desk.uow(), cmds.Move(number=number, stage="acting", actor="li_agent", expected_version=3), now=AT
    )
    assert (detail["stage"], detail["version"], detail["proposal"]) == ("acting", 4, "恢复开通并减免停机期间月费")


def test_a_column_change_racing_another_session_is_refused_and_the_first_write_stands(desk: Desk) -> None:
    if desk.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE; the version check covers it")
    number = _open(desk)
    first, second = desk.uow(), desk.uow()
    with first, second:
        a = first.complaints.get(number)
        b = second.complaints.get(number)
        a.move_to(Stage.CALMING, "li_agent", AT)
        b.move_to(Stage.CLARIFYING, "wu_agent", AT)
        first.commit()
        with pytest.raises(StaleWrite):
            second.commit()
    assert svc.get_complaint(desk.uow(), number)["stage"] == Stage.CALMING.value


def test_a_message_still_goes_through_the_flush_and_reaches_the_search_index(desk: Desk) -> None:
    number = _open(desk)
    handle(desk.uow(), cmds.AddMessage(number=number, kind=MessageKind.NOTE.value, actor="li_agent", body="路由器指示灯全灭", expected_version=1), now=AT + timedelta(minutes=1))  # fmt: skip
    assert svc.get_complaint(desk.uow(), number)["version"] == 2
    assert [h.summary["number"] for h in search.search_text(desk.uow(), "指示灯全灭")] == [number]


def test_column_changes_are_written_before_the_flush_and_leave_the_complaint_clean(desk: Desk) -> None:
    number = _open(desk)
    with desk.uow() as uow:
        complaint = uow.complaints.get(number)
        complaint.move_to(Stage.CALMING, "li_agent", AT + timedelta(minutes=5))
        assert complaint in uow.session.dirty
        complaint_updates.write_column_changes(uow.session)
        assert complaint not in uow.session.dirty  # nothing left for the ORM's flush
        assert complaint.version == 2
        uow.commit()
    assert svc.get_complaint(desk.uow(), number)["version"] == 2
