"""Shared builders for tests: a complaint opened through the services, with plain defaults.

Tests name only what matters to them (``description=...``, ``opened_at=...``); the rest is a usual
broadband complaint taken by ``li_agent``."""

from __future__ import annotations

from typing import Any

from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk

DEFAULTS: dict[str, Any] = {
    "customer_name": "王女士",
    "phone": "13812345678",
    "title": "宽带被停机",
    "description": "宽带欠费不足30天被停机,要求恢复并道歉",
    "actor": "li_agent",
}


def open_complaint(desk: Desk, **fields: Any) -> dict[str, Any]:
    """Open a complaint (any ``OpenComplaint`` field overridable); its detail. The service's clock is
    the intake time when one is given, so deadlines count from it."""
    command = svc.OpenComplaint(**{**DEFAULTS, **fields})
    detail: dict[str, Any] = svc.open_complaint(desk.uow(), command, now=command.opened_at)
    return detail


def open_number(desk: Desk, **fields: Any) -> str:
    """Open a complaint as :func:`open_complaint`; its number."""
    return str(open_complaint(desk, **fields)["number"])


def add_staff(desk: Desk, staff: tuple[tuple[str, str, str | None], ...]) -> None:
    """Accounts (username, role, team) with no password: who owns, sees and reassigns complaints."""
    from datetime import UTC, datetime

    from complaintdesk.services import accounts

    for username, role, team in staff:
        accounts.create_user(desk.uow(), username, username.title(), role, team, None, "test", now=datetime.now(UTC))


def account(desk: Desk, username: str) -> Any:
    uow = desk.uow()
    with uow.reading():
        return uow.users.get(username)


def write(desk: Desk, statement: Any) -> None:
    """A state the workflow takes many steps to reach, set directly (for tests of what only reads it)."""
    uow = desk.uow()
    with uow:
        uow.complaints.session.execute(statement)
        uow.commit()
