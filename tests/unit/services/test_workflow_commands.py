"""The workflow's commands and their one handler table, against the in-memory unit of work."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.domain.errors import InvalidInput, StaleWrite
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services.handlers import HANDLERS, handle
from tests.unit.fakes import FakeUnitOfWork

AT = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _open(uow: FakeUnitOfWork) -> str:
    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带停机", "欠费不到30天就停了宽带", actor="li_agent", analyse=False)
    return str(svc.open_complaint(uow, cmd, now=AT)["number"])  # type: ignore[arg-type]


def test_every_workflow_command_has_exactly_one_handler() -> None:
    assert set(HANDLERS) == set(cmds.Command.__subclasses__())
    assert len(HANDLERS) == 15


def test_a_command_names_its_fields_by_keyword_so_none_can_be_swapped() -> None:
    with pytest.raises(TypeError):
        cmds.Transfer("TS-1", "li_agent", "zhang_agent", "换人")  # type: ignore[misc]


def test_an_unknown_stage_is_refused_before_anything_is_written() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)
    with pytest.raises(InvalidInput) as refused:
        handle(uow, cmds.Move(number=number, stage="done", actor="li_agent"), now=AT)  # type: ignore[arg-type]
    assert refused.value.field == "stage"
    assert uow.commits == 1  # the intake's only


def test_a_stale_version_refuses_a_change_of_state_but_not_a_message() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)
    later = AT + timedelta(minutes=1)
    with pytest.raises(StaleWrite):
        handle(uow, cmds.Escalate(number=number, reason="客户要求", actor="li_agent", expected_version=7), now=later)  # type: ignore[arg-type]
    note = cmds.AddMessage(number=number, kind="note", body="已回电", actor="li_agent", expected_version=7)
    detail = handle(uow, note, now=later)  # type: ignore[arg-type]
    assert [m["body"] for m in detail["messages"]] == ["已回电"]


def test_a_promise_due_in_the_past_is_refused_naming_its_field() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)
    promise = cmds.MakePromise(number=number, what="明天回电", due_at=AT - timedelta(hours=1), actor="li_agent")
    with pytest.raises(InvalidInput) as refused:
        handle(uow, promise, now=AT)  # type: ignore[arg-type]
    assert refused.value.field == "due_at"
