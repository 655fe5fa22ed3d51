"""Service use-cases against the in-memory unit of work: fast, no database."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.domain.audit import verify_chain
from complaintdesk.domain.errors import InvalidInput, StaleWrite
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services import sla_service
from complaintdesk.services.handlers import handle
from tests.unit.fakes import FakeUnitOfWork

AT = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _open(uow: FakeUnitOfWork, **kw: object) -> dict:
    cmd = svc.OpenComplaint(
        customer_name="王女士",
        phone="13812345678",
        title="宽带停机",
        description=str(kw.get("description", "欠费不到30天就停了宽带")),
        actor="li_agent",
        opened_at=AT,
        analyse=False,
        channel=str(kw.get("channel", "phone")),
    )
    return svc.open_complaint(uow, cmd, now=AT)  # type: ignore[arg-type]


def test_intake_commits_once_and_seals_the_opened_event() -> None:
    uow = FakeUnitOfWork()
    detail = _open(uow)
    assert uow.commits == 1
    assert [r.kind for r in uow.audit.records] == ["opened"]
    assert verify_chain(uow.audit.records).ok
    assert detail["number"] == "TS-20261123-000001"


def test_intake_starts_acceptance_first_response_and_resolution_clocks() -> None:
    uow = FakeUnitOfWork()
    _open(uow)
    assert sorted(r.clock.kind.value for r in uow.clocks.rows) == ["acceptance", "first_response", "resolution"]


def test_unknown_channel_names_the_field_before_anything_is_written() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(InvalidInput) as err:
        _open(uow, channel="fax")
    assert err.value.field == "channel"
    assert uow.commits == 0 and uow.complaints.count() == 0


def test_expected_version_mismatch_is_a_stale_write() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)["number"]
    with pytest.raises(StaleWrite):
        handle(uow, cmds.Move(number=number, stage="calming", actor="li_agent", expected_version=99), now=AT)  # type: ignore[arg-type]


def test_closing_starts_the_follow_up_clock() -> None:
    uow = FakeUnitOfWork()
    number = _open(uow)["number"]
    handle(uow, cmds.Propose(number=number, solution="退款 30 元", actor="li_agent"), now=AT + timedelta(minutes=1))  # type: ignore[arg-type]
    handle(uow, cmds.Move(number=number, stage="acting", actor="li_agent"), now=AT + timedelta(minutes=2))  # type: ignore[arg-type]
    handle(uow, cmds.SignOff(number=number, satisfied=True, reason="满意", actor="li_agent"), now=AT + timedelta(minutes=3))  # type: ignore[arg-type]
    handle(uow, cmds.Move(number=number, stage="closed", actor="li_agent"), now=AT + timedelta(minutes=4))  # type: ignore[arg-type]
    kinds = {r.clock.kind.value: r.active for r in uow.clocks.rows}
    assert kinds["resolution"] is False
    assert kinds["follow_up"] is True
    result = sla_service.sweep(uow, now=AT + timedelta(days=10))  # type: ignore[arg-type]
    assert result.checked >= 1
