"""Audit chain, SLA sweep and repeat-complaint links, on every configured database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, update

from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.services import audit_service, sla_service
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.storage import orm
from tests.builders import open_number

CST = ZoneInfo("Asia/Shanghai")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=CST)


def _open(desk: Desk, description: str = "宽带欠费不足30天被停机,要求恢复并道歉", **kw: object) -> str:
    named = {"customer_name": kw["name"]} if "name" in kw else {}
    return open_number(desk, description=description, phone=kw.get("phone", "13812345678"),
                       opened_at=kw.get("at", MONDAY_10AM), analyse=False, **named)  # fmt: skip


def test_every_change_lands_in_a_verifiable_chain(desk: Desk) -> None:
    from complaintdesk.services import users as user_svc

    for name, role in (("li_agent", "agent"), ("zhang_lead", "team_lead")):
        user_svc.ensure_user(desk.uow(), name, name, role, "一组", now=MONDAY_10AM)
    number = _open(desk)
    handle(
        desk.uow(),
        cmds.Move(number=number, stage="calming", actor="li_agent"),
        now=MONDAY_10AM + timedelta(minutes=1),
    )
    handle(
        desk.uow(),
        cmds.Transfer(number=number, to_owner="zhang_lead", reason="超出权限", actor="li_agent"),
        now=MONDAY_10AM + timedelta(minutes=2),
    )
    verdict = audit_service.verify(desk.uow())
    assert verdict.ok, verdict.reason
    kinds = [e["kind"] for e in audit_service.trail(desk.uow(), number)]
    assert kinds == ["opened", "stage_changed", "transferred"]


def test_tampering_with_one_event_makes_audit_verify_fail_and_name_it(desk: Desk, capsys) -> None:  # type: ignore[no-untyped-def]
    number = _open(desk)
    handle(
        desk.uow(),
        cmds.Move(number=number, stage="calming", actor="li_agent"),
        now=MONDAY_10AM + timedelta(minutes=1),
    )
    handle(
        desk.uow(),
        cmds.Move(number=number, stage="clarifying", actor="li_agent"),
        now=MONDAY_10AM + timedelta(minutes=2),
    )
    trail = audit_service.trail(desk.uow(), number)
    target = trail[1]["seq"]
    with desk.engine.begin() as conn:
        conn.execute(
            update(orm.audit_events)
            .where(orm.audit_events.c.seq == target)
            .values(payload={"from": "accepted", "to": "closed", "waiver_reason": None})
        )
    verdict = audit_service.verify(desk.uow())
    assert not verdict.ok
    assert verdict.broken_seq == target

    _context.reset()
    code = main(["--db", str(desk.engine.url.render_as_string(hide_password=False)), "audit", "verify"])
    _context.reset()
    assert code == 8
    assert f"#{target}" in capsys.readouterr().err


def test_deleting_an_event_breaks_the_chain(desk: Desk) -> None:
    number = _open(desk)
    handle(
        desk.uow(),
        cmds.Move(number=number, stage="calming", actor="li_agent"),
        now=MONDAY_10AM + timedelta(minutes=1),
    )
    handle(
        desk.uow(),
        cmds.Move(number=number, stage="clarifying", actor="li_agent"),
        now=MONDAY_10AM + timedelta(minutes=2),
    )
    seq = audit_service.trail(desk.uow(), number)[1]["seq"]
    with desk.engine.begin() as conn:
        conn.execute(orm.audit_events.delete().where(orm.audit_events.c.seq == seq))
    verdict = audit_service.verify(desk.uow())
    assert not verdict.ok and verdict.broken_seq == seq + 1


def test_sla_sweep_warns_then_reports_each_breach_once_without_escalating(desk: Desk) -> None:
    # Issue 23: a timer no longer jumps levels silently; each threshold is reported once (sla_breach,
    # which tells the owner and their lead) and the escalation level is left to a person.
    number = _open(desk)  # acceptance due in 2 business hours (12:00), first response in 4 (14:00)
    before = sla_service.sweep(desk.uow(), now=MONDAY_10AM + timedelta(hours=1))
    assert (before.warnings, before.breaches) == (0, 0)
    at_75 = sla_service.sweep(desk.uow(), now=MONDAY_10AM + timedelta(hours=1, minutes=30))
    assert (at_75.warnings, at_75.breaches) == (1, 0)
    at_100 = sla_service.sweep(desk.uow(), now=MONDAY_10AM + timedelta(hours=2))
    assert at_100.breaches == 1
    again = sla_service.sweep(desk.uow(), now=MONDAY_10AM + timedelta(hours=2, minutes=5))
    assert again.breaches == 0
    at_150 = sla_service.sweep(desk.uow(), now=MONDAY_10AM + timedelta(hours=3))
    assert (at_150.breaches, at_150.warnings) == (1, 1)  # acceptance at 150%; first response reaches 75%
    assert svc.get_complaint(desk.uow(), number)["escalation_level"] == 0
    kinds = [e["kind"] for e in audit_service.trail(desk.uow(), number)]
    assert kinds.count("sla_breach") == 2 and "escalated" not in kinds


@contextmanager
def _statements(desk: Desk) -> Iterator[list[str]]:
    """Every SQL statement sent to the database inside the block."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(desk.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(desk.engine, "before_cursor_execute", record)


def _complaint_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if re.search(r"\bFROM complaints\b", s)]


def test_a_sweep_with_nothing_due_loads_no_complaint(desk: Desk) -> None:
    for i in range(3):
        _open(desk, name=f"客户{i}", phone=f"1381234567{i}")
    with _statements(desk) as quiet_sql:
        quiet = sla_service.sweep(desk.uow(), now=MONDAY_10AM + timedelta(minutes=30))
    assert (quiet.checked, quiet.warnings, quiet.breaches, quiet.actions) == (9, 0, 0, [])
    assert _complaint_reads(quiet_sql) == []
    queries = [s for s in quiet_sql if not s.startswith("BEGIN")]  # SQLite opens with BEGIN IMMEDIATE
    assert len(queries) == 1 and "FROM sla_clocks" in queries[0], queries  # only the claim of the clocks
    # The same counter sees the loads once something is due: one warning per complaint at 75%.
    with _statements(desk) as due_sql:
        due = sla_service.sweep(desk.uow(), now=MONDAY_10AM + timedelta(hours=1, minutes=30))
    assert (due.warnings, due.breaches) == (3, 0)
    assert _complaint_reads(due_sql)


def test_a_first_response_stops_its_clock(desk: Desk) -> None:
    number = _open(desk)
    handle(
        desk.uow(),
        cmds.AddMessage(number=number, kind="outbound", actor="li_agent", body="您好,已收到您的投诉"),
        now=MONDAY_10AM + timedelta(minutes=20),
    )
    states = {s["kind"]: s["state"] for s in sla_service.statuses(desk.uow(), number, now=MONDAY_10AM + timedelta(hours=6))}
    assert states["first_response"] == "met"
    assert states["acceptance"] == "met"
    assert states["resolution"] in ("running", "warning")


def test_waiting_on_the_customer_pauses_the_clocks(desk: Desk) -> None:
    number = _open(desk)
    assert sla_service.pause(desk.uow(), number, "等待客户提供发票", "li_agent", now=MONDAY_10AM + timedelta(hours=1)) == 3
    statuses = sla_service.statuses(desk.uow(), number, now=MONDAY_10AM + timedelta(hours=30))
    assert all(s["state"] == "paused" for s in statuses)
    result = sla_service.sweep(desk.uow(), now=MONDAY_10AM + timedelta(hours=30))
    assert (result.warnings, result.breaches) == (0, 0)


def test_reworded_repeat_from_the_same_customer_is_linked(desk: Desk) -> None:
    earlier = _open(desk, "我家宽带欠费不到30天就被停机了,客服说先开通是不可能的,要求马上恢复宽带并道歉")
    later = svc.open_complaint(
        desk.uow(),
        svc.OpenComplaint(
            customer_name="王女士",
            phone="13812345678",
            title="宽带停机又来投诉",
            description="宽带欠费还不到30天就给停机了,客服说不可能先开通,我要求马上恢复宽带并且道歉",
            actor="li_agent",
            opened_at=MONDAY_10AM + timedelta(days=1),
            analyse=False,
        ),
        now=MONDAY_10AM + timedelta(days=1),
    )
    assert later["repeat"] is True
    assert [link["earlier"] for link in later["repeat_links"]] == [earlier]


def test_a_repeats_links_are_stored_with_it_once_and_read_back_as_shown_at_intake(desk: Desk) -> None:
    from complaintdesk.services import users as user_svc

    user_svc.ensure_user(desk.uow(), "li_agent", "li_agent", "agent", "一组", now=MONDAY_10AM)
    earlier = _open(desk, "我家宽带欠费不到30天就被停机了,客服说先开通是不可能的,要求马上恢复宽带并道歉")
    at = MONDAY_10AM + timedelta(days=1)
    command = svc.OpenComplaint(
        customer_name="王女士", phone="13812345678", title="宽带停机又来投诉",
        description="宽带欠费还不到30天就给停机了,客服说不可能先开通,我要求马上恢复宽带并且道歉",
        actor="li_agent", opened_at=at, analyse=False,
    )  # fmt: skip
    later = svc.open_complaint(desk.uow(), command, now=at)
    shown = svc.get_complaint(desk.uow(), later["number"])
    def same_instant(links: list[dict[str, Any]]) -> list[dict[str, Any]]:  # the intake shows the time as given
        return [{**link, "at": datetime.fromisoformat(link["at"])} for link in links]

    assert shown["repeat"] is True and same_instant(shown["repeat_links"]) == same_instant(later["repeat_links"])
    assert [link["earlier"] for link in shown["repeat_links"]] == [earlier]
    with desk.session_factory() as session:
        links = session.execute(orm.repeat_links.select()).all()
    assert len(links) == 1 and links[0].at == at and links[0].reason == later["repeat_links"][0]["reason"]
    handle(desk.uow(), cmds.Move(number=later["number"], stage="calming", actor="li_agent"), now=at)
    with desk.session_factory() as session:  # the move wrote no second link
        assert len(session.execute(orm.repeat_links.select()).all()) == 1
    kinds = [e["kind"] for e in audit_service.trail(desk.uow(), later["number"])]
    assert kinds.count("repeat_linked") == 1 and audit_service.verify(desk.uow()).ok


def test_another_customers_similar_complaint_is_not_a_repeat(desk: Desk) -> None:
    _open(desk, "我家宽带欠费不到30天就被停机了,客服说先开通是不可能的,要求马上恢复宽带并道歉")
    other = svc.open_complaint(
        desk.uow(),
        svc.OpenComplaint(
            customer_name="李先生",
            phone="13912345678",
            title="宽带停机",
            description="我家宽带欠费不到30天就被停机了,客服说先开通是不可能的,要求马上恢复宽带并道歉",
            actor="li_agent",
            opened_at=MONDAY_10AM,
            analyse=False,
        ),
        now=MONDAY_10AM,
    )
    assert other["repeat"] is False
