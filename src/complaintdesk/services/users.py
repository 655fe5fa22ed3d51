"""Staff accounts: create and list (passwords and sessions are added by the API layer)."""

from __future__ import annotations

from datetime import datetime

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.model import DomainEvent
from complaintdesk.domain.users import User
from complaintdesk.services.unit_of_work import UnitOfWork


def ensure_user(
    uow: UnitOfWork,
    username: str,
    display_name: str,
    role: str,
    team: str | None,
    *,
    now: datetime,
    password_hash: str | None = None,
) -> User:
    """The user with that name, created if missing (idempotent: demo and `user add` share it)."""
    candidate = User.create(username, display_name, role, team, now)
    with uow:
        existing = uow.users.get(username)
        if existing is not None:
            return existing
        user = uow.users.add(candidate, password_hash)
        uow.record_event(
            None, DomainEvent("user_created", "system", now, {"username": username, "role": role})
        )
        uow.commit()
        return user


def get_user(uow: UnitOfWork, username: str, field: str = "username") -> User:
    """The account, or a 422 naming ``field`` (the caller's name for it) when there is none."""
    with uow.reading():
        user = uow.users.get(username)
    if user is None:
        raise InvalidInput(f"用户 {username} 不存在", field=field)
    return user


def list_users(uow: UnitOfWork) -> list[User]:
    with uow.reading():
        return uow.users.all()
