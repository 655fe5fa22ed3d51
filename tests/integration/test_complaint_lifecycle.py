"""The complaint's life through the service layer, on every configured database."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from complaintdesk.domain.errors import InvalidInput, StaleWrite, WorkflowViolation
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.storage import orm

CST = ZoneInfo("Asia/Shanghai")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=CST)


def add_staff(desk: Desk, *names: str, team: str = "一组") -> None:
    """Owners are checked against the accounts (issue 17): the staff these tests hand complaints to."""
    from complaintdesk.services import users as user_svc

    for name in names:
        role = "team_lead" if name.endswith("_lead") else "agent"
        user_svc.ensure_user(desk.uow(), name, name, role, team, now=datetime(2026, 1, 1, tzinfo=CST))


@pytest.fixture(autouse=True)
def _staff(desk: Desk) -> None:
    add_staff(desk, "li_agent", "wu_agent", "he_agent", "zhang_lead")


def _open(desk: Desk, **overrides: object) -> dict:
    fields: dict = {
        "customer_name": "王女士",
        "phone": "13812345678",
        "title": "宽带欠费不足30天被停机",
        "description": "我欠费还不到30天宽带就被停了,客服说这是不可能的,我要投诉到工信部!",
        "actor": "li_agent",
        "opened_at": MONDAY_10AM,
        "analyse": False,
    }
    fields.update(overrides)
    return svc.open_complaint(desk.uow(), svc.OpenComplaint(**fields), now=MONDAY_10AM)


def _at(minutes: int) -> datetime:
    return MONDAY_10AM + timedelta(minutes=minutes)


def test_open_assigns_a_dated_number_and_masks_the_phone(desk: Desk) -> None:
    first = _open(desk)
    second = _open(desk, phone="13912345678", customer_name="李先生")
    assert first["number"] == "TS-20261123-000001"
    assert second["number"] == "TS-20261123-000002"
    assert first["customer"]["phone"] == "138****5678"
    assert first["stage"] == "accepted"
    assert first["owner"] == "li_agent"


def test_open_with_bad_phone_names_the_field_and_writes_nothing(desk: Desk) -> None:
    with pytest.raises(InvalidInput) as err:
        _open(desk, phone="12345")
    assert err.value.field == "phone"
    with desk.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(orm.customers)) == 0
        assert conn.scalar(select(func.count()).select_from(orm.complaints)) == 0


def test_acting_without_a_proposal_is_refused(desk: Desk) -> None:
    number = _open(desk)["number"]
    with pytest.raises(WorkflowViolation, match="proposal"):
        handle(desk.uow(), cmds.Move(number=number, stage="acting", actor="li_agent"), now=_at(5))
    handle(
        desk.uow(),
        cmds.Propose(number=number, solution="按日退还停机期间宽带费(2元/日)并登门致歉", actor="li_agent"),
        now=_at(6),
    )
    moved = handle(desk.uow(), cmds.Move(number=number, stage="acting", actor="li_agent"), now=_at(7))
    assert moved["stage"] == "acting"


def test_acting_cannot_be_skipped(desk: Desk) -> None:
    number = _open(desk)["number"]
    handle(desk.uow(), cmds.Propose(number=number, solution="退款 30 元", actor="li_agent"), now=_at(1))
    handle(desk.uow(), cmds.Move(number=number, stage="proposing", actor="li_agent"), now=_at(2))
    with pytest.raises(WorkflowViolation, match="不能跳过"):
        handle(desk.uow(), cmds.Move(number=number, stage="thanking", actor="li_agent"), now=_at(3))


def test_closing_needs_a_signoff_or_a_written_waiver(desk: Desk) -> None:
    number = _open(desk)["number"]
    handle(desk.uow(), cmds.Propose(number=number, solution="退款 30 元", actor="li_agent"), now=_at(1))
    handle(desk.uow(), cmds.Move(number=number, stage="acting", actor="li_agent"), now=_at(2))
    handle(desk.uow(), cmds.Move(number=number, stage="thanking", actor="li_agent"), now=_at(3))
    with pytest.raises(WorkflowViolation, match="签字"):
        handle(desk.uow(), cmds.Move(number=number, stage="closed", actor="li_agent"), now=_at(4))
    closed = handle(
        desk.uow(),
        cmds.Move(number=number, stage="closed", actor="li_agent", waiver_reason="客户电话确认满意,拒绝签字"),
        now=_at(5),
    )
    assert closed["stage"] == "closed"
    assert closed["waiver_reason"] == "客户电话确认满意,拒绝签字"


def test_moving_backwards_is_refused_but_reopen_returns_to_work(desk: Desk) -> None:
    number = _open(desk)["number"]
    handle(desk.uow(), cmds.Move(number=number, stage="clarifying", actor="li_agent"), now=_at(1))
    with pytest.raises(WorkflowViolation, match="回退"):
        handle(desk.uow(), cmds.Move(number=number, stage="calming", actor="li_agent"), now=_at(2))
    handle(desk.uow(), cmds.Propose(number=number, solution="退款 30 元", actor="li_agent"), now=_at(3))
    handle(desk.uow(), cmds.Move(number=number, stage="acting", actor="li_agent"), now=_at(4))
    handle(desk.uow(), cmds.SignOff(number=number, satisfied=True, reason="满意", actor="li_agent"), now=_at(5))
    handle(desk.uow(), cmds.Move(number=number, stage="closed", actor="li_agent"), now=_at(6))
    reopened = handle(
        desk.uow(), cmds.Reopen(number=number, reason="客户反映宽带再次中断", actor="li_agent"), now=_at(60)
    )
    assert reopened["stage"] == "reopened"
    assert reopened["reopen_count"] == 1
    assert reopened["signoff"] is None
    assert (
        handle(desk.uow(), cmds.Move(number=number, stage="clarifying", actor="li_agent"), now=_at(61))[
            "stage"
        ]
        == "clarifying"
    )


def test_not_satisfied_signoff_reopens_the_complaint(desk: Desk) -> None:
    number = _open(desk)["number"]
    handle(desk.uow(), cmds.Propose(number=number, solution="退款 30 元", actor="li_agent"), now=_at(1))
    handle(desk.uow(), cmds.Move(number=number, stage="acting", actor="li_agent"), now=_at(2))
    with pytest.raises(InvalidInput, match="不满意原因"):
        handle(
            desk.uow(), cmds.SignOff(number=number, satisfied=False, reason="", actor="li_agent"), now=_at(3)
        )
    result = handle(
        desk.uow(),
        cmds.SignOff(number=number, satisfied=False, reason="赔偿金额不够", actor="li_agent"),
        now=_at(3),
    )
    assert result["stage"] == "reopened"
    assert result["reopen_count"] == 1


def test_transfer_three_times_flags_runaround(desk: Desk) -> None:
    number = _open(desk)["number"]
    handle(
        desk.uow(),
        cmds.Transfer(number=number, to_owner="wu_agent", reason="涉及账务", actor="li_agent"),
        now=_at(1),
    )
    after_two = handle(
        desk.uow(),
        cmds.Transfer(number=number, to_owner="he_agent", reason="涉及网络", actor="wu_agent"),
        now=_at(2),
    )
    assert after_two["transfer_count"] == 2 and not after_two["runaround"]
    after_three = handle(
        desk.uow(),
        cmds.Transfer(number=number, to_owner="li_agent", reason="退回首问", actor="he_agent"),
        now=_at(3),
    )
    assert after_three["transfer_count"] == 3
    assert after_three["runaround"] is True
    assert [t["to"] for t in after_three["transfers"]] == ["wu_agent", "he_agent", "li_agent"]


def test_transfer_to_the_current_owner_is_refused(desk: Desk) -> None:
    number = _open(desk)["number"]
    with pytest.raises(InvalidInput) as err:
        handle(
            desk.uow(),
            cmds.Transfer(number=number, to_owner="li_agent", reason="无", actor="li_agent"),
            now=_at(1),
        )
    assert err.value.field == "to_owner"


def test_escalation_only_goes_up_and_stops_at_the_regulator(desk: Desk) -> None:
    number = _open(desk)["number"]
    assert (
        handle(desk.uow(), cmds.Escalate(number=number, reason="超出坐席权限", actor="li_agent"), now=_at(1))[
            "escalation_level"
        ]
        == 1
    )
    with pytest.raises(WorkflowViolation):
        handle(
            desk.uow(), cmds.Escalate(number=number, reason="降级", actor="li_agent", to_level=0), now=_at(2)
        )
    assert (
        handle(
            desk.uow(),
            cmds.Escalate(number=number, reason="工信部转办", actor="li_agent", to_level=4),
            now=_at(3),
        )["escalation_level"]
        == 4
    )
    with pytest.raises(InvalidInput):
        handle(desk.uow(), cmds.Escalate(number=number, reason="再升", actor="li_agent"), now=_at(4))


def test_a_stale_version_is_refused_for_a_state_change_not_merged(desk: Desk) -> None:
    opened = _open(desk)
    number, version = opened["number"], opened["version"]
    handle(
        desk.uow(),
        cmds.AddMessage(
            number=number, kind="note", actor="li_agent", body="已核实停机记录", expected_version=version
        ),
        now=_at(1),
    )
    with pytest.raises(StaleWrite):
        handle(
            desk.uow(),
            cmds.Move(number=number, stage="calming", actor="wu_agent", expected_version=version),
            now=_at(2),
        )
    detail = svc.get_complaint(desk.uow(), number)
    assert detail["stage"] == "accepted" and [m["body"] for m in detail["messages"]] == ["已核实停机记录"]


def test_appending_a_message_does_not_conflict_with_another_append(desk: Desk) -> None:
    """Issue 17 point 8: a lead's note while the agent types the reply does not throw the reply away."""
    opened = _open(desk)
    number, version = opened["number"], opened["version"]
    handle(
        desk.uow(),
        cmds.AddMessage(
            number=number,
            kind="note",
            actor="zhang_lead",
            body="注意:客户已向工信部申诉",
            expected_version=version,
        ),
        now=_at(1),
    )
    after = handle(
        desk.uow(),
        cmds.AddMessage(
            number=number,
            kind="outbound",
            actor="li_agent",
            body="您好,停机期间的费用按日退还",
            expected_version=version,
        ),
        now=_at(2),
    )
    assert [m["body"] for m in after["messages"]] == ["注意:客户已向工信部申诉", "您好,停机期间的费用按日退还"]
    assert after["version"] == version + 2


def test_concurrent_sessions_one_write_wins(desk: Desk) -> None:
    if desk.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE; the version check covers it")
    number = _open(desk)["number"]
    first, second = desk.uow(), desk.uow()
    with first, second:
        a = first.complaints.get(number)
        b = second.complaints.get(number)
        a.add_message("note", "li_agent", "A 的备注", _at(1))  # type: ignore[arg-type]
        b.add_message("note", "wu_agent", "B 的备注", _at(1))  # type: ignore[arg-type]
        first.commit()
        with pytest.raises(StaleWrite):
            second.commit()
    bodies = [m["body"] for m in svc.get_complaint(desk.uow(), number)["messages"]]
    assert bodies == ["A 的备注"]


def test_promise_needs_a_future_due_time_and_is_tracked(desk: Desk) -> None:
    number = _open(desk)["number"]
    with pytest.raises(InvalidInput) as err:
        handle(
            desk.uow(),
            cmds.MakePromise(number=number, what="24小时内回电", due_at=_at(-1), actor="li_agent"),
            now=_at(1),
        )
    assert err.value.field == "due_at"
    detail = handle(
        desk.uow(),
        cmds.MakePromise(number=number, what="24小时内回电", due_at=_at(24 * 60), actor="li_agent"),
        now=_at(1),
    )
    assert detail["promises"][0]["kept"] is None
    detail = handle(
        desk.uow(), cmds.ResolvePromise(number=number, index=0, kept=True, actor="li_agent"), now=_at(600)
    )
    assert detail["promises"][0]["kept"] is True


def test_follow_up_must_be_scheduled_before_the_follow_up_stage(desk: Desk) -> None:
    number = _open(desk)["number"]
    handle(desk.uow(), cmds.Propose(number=number, solution="退款 30 元", actor="li_agent"), now=_at(1))
    handle(desk.uow(), cmds.Move(number=number, stage="acting", actor="li_agent"), now=_at(2))
    with pytest.raises(WorkflowViolation, match="回访"):
        handle(desk.uow(), cmds.Move(number=number, stage="follow_up", actor="li_agent"), now=_at(3))
    handle(
        desk.uow(), cmds.ScheduleFollowUp(number=number, due=_at(2 * 24 * 60), actor="li_agent"), now=_at(3)
    )
    assert (
        handle(desk.uow(), cmds.Move(number=number, stage="follow_up", actor="li_agent"), now=_at(4))["stage"]
        == "follow_up"
    )
    done = handle(
        desk.uow(),
        cmds.CompleteFollowUp(number=number, outcome="客户表示网络已恢复正常", actor="li_agent"),
        now=_at(3000),
    )
    assert done["follow_up"]["outcome"] == "客户表示网络已恢复正常"


def test_closed_complaint_refuses_work_until_reopened(desk: Desk) -> None:
    number = _open(desk)["number"]
    handle(desk.uow(), cmds.Propose(number=number, solution="退款 30 元", actor="li_agent"), now=_at(1))
    handle(desk.uow(), cmds.Move(number=number, stage="acting", actor="li_agent"), now=_at(2))
    handle(
        desk.uow(),
        cmds.Move(number=number, stage="closed", actor="li_agent", waiver_reason="客户失联"),
        now=_at(3),
    )
    with pytest.raises(WorkflowViolation, match="重开"):
        handle(
            desk.uow(),
            cmds.Transfer(number=number, to_owner="wu_agent", reason="换人", actor="li_agent"),
            now=_at(4),
        )


def test_customer_text_is_stored_intact(desk: Desk) -> None:
    hostile = "<script>alert('x')</script>'; DROP TABLE complaints; --\x07 繁體「測試」"
    number = _open(desk, description=hostile)["number"]
    assert svc.get_complaint(desk.uow(), number)["description"] == hostile


def test_simultaneous_first_complaints_of_a_day_get_distinct_numbers(desk: Desk) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def open_one(i: int) -> str:
        return str(_open(desk, phone=f"1391234{i:04d}", customer_name=f"客户{i}")["number"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = list(pool.map(open_one, range(8)))
    assert sorted(numbers) == [f"TS-20261123-{n:06d}" for n in range(1, 9)]
