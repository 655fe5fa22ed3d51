"""Reply and move to the next stage (issue 23, one-screen handling): one command, one unit of work."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.domain.errors import StaleWrite, WorkflowViolation
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services.handlers import handle
from tests.unit.fakes import FakeUnitOfWork

AT = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _open(uow: FakeUnitOfWork) -> str:
    cmd = svc.OpenComplaint("王女士", "13812345678", "水壶不加热", "买了三天的电水壶不加热了", actor="li_agent", analyse=False)
    return str(svc.open_complaint(uow, cmd, now=AT)["number"])  # type: ignore[arg-type]


def _advance(uow: FakeUnitOfWork, number: str, minutes: int, **fields: object) -> dict[str, object]:
    version = svc.get_complaint(uow, number)["version"]  # type: ignore[arg-type]
    command = cmds.ReplyAndMove(number=number, actor="li_agent", expected_version=version, **fields)  # type: ignore[arg-type]
    return handle(uow, command, now=AT + timedelta(minutes=minutes))  # type: ignore[arg-type]


def test_a_reply_and_the_move_to_the_next_stage_are_one_change() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)
    commits = uow.commits
    detail = _advance(uow, number, 1, body="您好,非常抱歉给您添麻烦了。")
    assert detail["stage"] == "calming"
    assert [m["body"] for m in detail["messages"]] == ["您好,非常抱歉给您添麻烦了。"]  # type: ignore[index]
    assert uow.commits == commits + 1


def test_seven_stages_close_with_one_reply_and_move_each() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)
    stages = []
    for minute, extra in enumerate(
        [
            {"body": "您好,我们已收到您的投诉。"},
            {"body": "非常理解您的心情。"},
            {"body": "请问您是哪天购买的?"},
            {"body": "我们安排师傅上门检测。", "solution": "安排师傅上门检测,查明原因后答复"},
            {"body": "新水壶已寄出。"},
            {"body": "感谢您的耐心。", "follow_up_due": AT + timedelta(days=7)},
            {"satisfied": True, "signoff_reason": "客户确认新水壶正常"},
        ],
        start=1,
    ):
        stages.append(_advance(uow, number, minute, **extra)["stage"])
    assert stages == ["calming", "clarifying", "proposing", "acting", "thanking", "follow_up", "closed"]


def test_a_refused_move_sends_no_reply() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)
    for minute in (1, 2, 3):
        _advance(uow, number, minute)
    with pytest.raises(WorkflowViolation) as refused:
        _advance(uow, number, 4, body="我们马上处理。")  # acting needs a proposal first
    assert "解决方案" in refused.value.message
    detail = svc.get_complaint(uow, number)
    assert detail["stage"] == "proposing" and detail["messages"] == []


def test_a_stale_form_moves_nothing_and_sends_nothing() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)
    stale = int(svc.get_complaint(uow, number)["version"]) + 7  # type: ignore[call-overload]
    command = cmds.ReplyAndMove(number=number, actor="li_agent", expected_version=stale, body="晚到的回复")
    with pytest.raises(StaleWrite):
        handle(uow, command, now=AT + timedelta(minutes=2))  # type: ignore[arg-type]
    detail = svc.get_complaint(uow, number)
    assert detail["messages"] == [] and detail["stage"] == "accepted"


def test_a_customer_not_satisfied_at_close_reopens_instead_of_closing() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)
    _advance(uow, number, 1)
    _advance(uow, number, 2)
    _advance(uow, number, 3)
    _advance(uow, number, 4, solution="安排师傅上门检测")
    _advance(uow, number, 5)
    _advance(uow, number, 6, follow_up_due=AT + timedelta(days=3))
    detail = _advance(uow, number, 7, satisfied=False, signoff_reason="退款还没到账")
    assert detail["stage"] == "reopened"
    assert _advance(uow, number, 8)["stage"] == "calming"  # a reopened complaint goes back to calming


def test_a_closed_complaint_has_no_next_stage() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)
    for minute, extra in enumerate([{}, {}, {}, {"solution": "安排师傅上门检测"}, {}, {"follow_up_due": AT + timedelta(days=3)}, {"satisfied": True}], 1):
        _advance(uow, number, minute, **extra)
    with pytest.raises(WorkflowViolation):
        _advance(uow, number, 9, body="还有事吗")
