"""Notifications as storage: written in the change's transaction, the unread count read from its
partial index, SLA news for the owner and their lead, and the `inbox` CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.services import accounts, notifications, sla_service
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.commands import Transfer
from complaintdesk.services.handlers import handle
from complaintdesk.storage import orm

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def staffed(desk: Desk) -> Desk:
    for username, role, team in (
        ("li_agent", "agent", "一组"),
        ("wu_agent", "agent", "一组"),
        ("zhang_lead", "team_lead", "一组"),
    ):
        accounts.create_user(desk.uow(), username, username, role, team, None, "test", now=NOW)
    return desk


def _open(desk: Desk, at: datetime = NOW) -> dict[str, object]:
    cmd = svc.OpenComplaint(
        "王女士", "13812345678", "宽带停机", "宽带停机了", actor="li_agent", opened_at=at, analyse=False
    )
    return svc.open_complaint(desk.uow(), cmd, now=at)


def _rows(desk: Desk) -> int:
    with desk.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(orm.notifications)).scalar_one())


def test_a_refused_transfer_writes_no_notification(staffed: Desk) -> None:
    opened = _open(staffed)
    stale = Transfer(
        number=str(opened["number"]),
        actor="li_agent",
        expected_version=99,
        to_owner="wu_agent",
        reason="换人",
    )
    with pytest.raises(ComplaintDeskError):
        handle(staffed.uow(), stale)
    assert _rows(staffed) == 0
    handle(staffed.uow(), Transfer(number=str(opened["number"]), actor="li_agent", expected_version=int(opened["version"]),  # type: ignore[call-overload]
                                   to_owner="wu_agent", reason="换人"))  # fmt: skip
    assert notifications.unread_count(staffed.uow(), "wu_agent") == 1


def test_an_sla_breach_tells_the_owner_and_their_team_lead(staffed: Desk) -> None:
    opened = _open(staffed, NOW - timedelta(days=30))
    sla_service.sweep(staffed.uow(), now=NOW)
    owner_kinds = {i["kind"] for i in notifications.inbox(staffed.uow(), "li_agent", limit=50)["items"]}
    lead_items = notifications.inbox(staffed.uow(), "zhang_lead", limit=50)["items"]
    assert {"sla_warning", "sla_breach"} <= owner_kinds
    assert lead_items and {i["kind"] for i in lead_items} == {"sla_breach"}
    assert all(i["complaint_number"] == opened["number"] for i in lead_items)


def test_the_unread_count_is_answered_from_the_partial_unread_index(staffed: Desk) -> None:
    if staffed.engine.dialect.name != "sqlite":
        pytest.skip("the plan of a tiny PostgreSQL table is a sequential scan whatever the indexes")
    with staffed.engine.connect() as connection:
        plan = " ".join(
            str(r[-1])
            for r in connection.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT count(*) FROM notifications WHERE recipient = 'x' AND read_at IS NULL"
                )
            )
        )
    assert "USING INDEX ix_notifications_unread" in plan or "USING COVERING INDEX ix_notifications_unread" in plan


@pytest.fixture
def cli(database_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", database_url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    _context.reset()


def test_inbox_cli_lists_a_users_notifications_and_names_a_missing_user(staffed: Desk, cli: object) -> None:
    opened = _open(staffed)
    handle(staffed.uow(), Transfer(number=str(opened["number"]), actor="li_agent", expected_version=int(opened["version"]),  # type: ignore[call-overload]
                                   to_owner="zhang_lead", reason="请班长处理"))  # fmt: skip
    code, out, _ = cli("inbox", "--user", "zhang_lead", "--mark-read")  # type: ignore[operator]
    assert code == 0 and "1 条未读" in out and "请班长处理" in out
    assert notifications.unread_count(staffed.uow(), "zhang_lead") == 0
    code, _, err = cli("inbox", "--user", "ghost")  # type: ignore[operator]
    assert code != 0 and "ghost" in err


def test_staff_cli_deactivates_and_moves_accounts(staffed: Desk, cli: object) -> None:
    code, out, _ = cli("team", "add", "二组", "--lead", "zhang_lead")  # type: ignore[operator]
    assert code == 0
    code, out, _ = cli("user", "set-team", "wu_agent", "二组")  # type: ignore[operator]
    assert code == 0 and "二组" in out
    code, out, _ = cli("user", "deactivate", "wu_agent")  # type: ignore[operator]
    assert code == 0 and "0 张未结投诉单" in out
    code, _, err = cli("user", "deactivate", "wu_agent")  # type: ignore[operator]
    assert code != 0 and "已经是停用状态" in err
    code, out, _ = cli("team", "list")  # type: ignore[operator]
    assert "二组  负责人 zhang_lead  成员 zhang_lead" in out  # a deactivated member is not listed
    code, _, err = cli("user", "set-role", "li_agent", "boss")  # type: ignore[operator]
    assert code != 0 and "role" in err
