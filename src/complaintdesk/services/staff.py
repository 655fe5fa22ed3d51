"""Staff administration: deactivate and reactivate accounts, change a role or a team, and teams as
records with a lead. Every change is an audit event naming who made it.

A deactivated account cannot log in (``accounts.login`` and ``accounts.authenticate`` read the flag;
its sessions and tokens end at once) and is not assignable (``permissions.assignment_refusal``). Its
open complaints stay where they are, counted in the answer, for a lead to reassign.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select

from complaintdesk.domain.errors import Conflict, InvalidInput, NotFound, WorkflowViolation
from complaintdesk.domain.model import DomainEvent
from complaintdesk.domain.users import MAX_TEAM, User
from complaintdesk.domain.vocab import Role, Stage, parse_enum
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage import orm
from complaintdesk.storage.orm_api import auth_tokens

# Who may lead a team: its team lead, or a manager who runs it directly.
LEAD_ROLES = frozenset({Role.TEAM_LEAD, Role.MANAGER})


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _account(uow: UnitOfWork, username: str) -> User:
    user = uow.users.get(username)
    if user is None:
        raise NotFound(f"用户 {username} 不存在", field="username")
    return user


def _not_self(username: str, actor: str, what: str) -> None:
    # An admin who deactivates or demotes themselves can lock the centre out of its own staff page.
    if username == actor:
        raise WorkflowViolation(f"不能{what}自己的账号，请由另一位管理员操作", field="username")


def _open_owned(uow: UnitOfWork, username: str) -> int:
    c = orm.complaints.c
    value = uow.users.session.execute(
        select(func.count())
        .select_from(orm.complaints)
        .where(c.owner == username, c.stage != Stage.CLOSED.value)
    ).scalar_one()
    return int(value)


def _audit(uow: UnitOfWork, kind: str, actor: str, now: datetime, payload: dict[str, Any]) -> None:
    uow.record_event(None, DomainEvent(kind, actor, now, payload))


def ensure_team(uow: UnitOfWork, name: str | None, member: User | None, now: datetime) -> None:
    """Inside an open unit of work: the team a new account names becomes a record if it is not one;
    a new team lead leads a team that has no lead yet."""
    if not name:
        return
    record = uow.users.team(name)
    lead = member.username if member is not None and member.role == Role.TEAM_LEAD else None
    actor = member.username if member else "system"
    if record is None:
        uow.users.add_team(name, lead, now)
        _audit(uow, "team_created", actor, now, {"team": name, "lead": lead})
    elif record.lead is None and lead is not None:
        uow.users.set_team_lead(name, lead)
        _audit(uow, "team_lead_set", actor, now, {"team": name, "lead": lead})


def deactivate(uow: UnitOfWork, username: str, actor: str, *, now: datetime | None = None) -> dict[str, Any]:
    """The account can no longer log in nor receive complaints; its logins end now."""
    now = _now(now)
    _not_self(username, actor, "停用")
    with uow:
        user = _account(uow, username)
        if not user.active:
            raise WorkflowViolation(f"用户 {username} 已经是停用状态", field="username")
        uow.users.update(username, active=False)
        uow.users.session.execute(delete(auth_tokens).where(auth_tokens.c.username == username))
        still_owned = _open_owned(uow, username)
        _audit(uow, "user_deactivated", actor, now, {"username": username, "open_complaints": still_owned})
        uow.commit()
    return {"username": username, "active": False, "open_complaints": still_owned}


def reactivate(uow: UnitOfWork, username: str, actor: str, *, now: datetime | None = None) -> dict[str, Any]:
    now = _now(now)
    with uow:
        user = _account(uow, username)
        if user.active:
            raise WorkflowViolation(f"用户 {username} 没有被停用", field="username")
        uow.users.update(username, active=True)
        _audit(uow, "user_reactivated", actor, now, {"username": username})
        uow.commit()
    return {"username": username, "active": True}


def set_role(
    uow: UnitOfWork, username: str, role: str, actor: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """A new role; a lead who no longer holds a leading role stops leading their team."""
    now = _now(now)
    new = parse_enum(Role, role, "role")
    _not_self(username, actor, "修改")
    with uow:
        user = _account(uow, username)
        if user.role == new:
            raise WorkflowViolation(f"用户 {username} 的角色已经是 {new.value}", field="role")
        uow.users.update(username, role=new.value)
        released = _release_lead(uow, username) if new not in LEAD_ROLES else []
        _audit(uow, "user_role_changed", actor, now,
               {"username": username, "from": user.role.value, "to": new.value, "no_longer_leads": released})  # fmt: skip
        uow.commit()
    return {"username": username, "role": new.value, "no_longer_leads": released}


def _release_lead(uow: UnitOfWork, username: str) -> list[str]:
    led = [t.name for t in uow.users.teams() if t.lead == username]
    for name in led:
        uow.users.set_team_lead(name, None)
    return led


def set_team(
    uow: UnitOfWork, username: str, team: str | None, actor: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """Move an account to another team (a record: ``team add`` first) or to none (``team`` empty)."""
    now = _now(now)
    name = (team or "").strip() or None
    with uow:
        user = _account(uow, username)
        if name is not None and uow.users.team(name) is None:
            raise InvalidInput(f"班组 {name} 不存在：请先新建班组", field="team")
        if user.team == name:
            raise WorkflowViolation(f"用户 {username} 已经在班组 {name or '(无)'}", field="team")
        uow.users.update(username, team=name)
        released = [t for t in _release_lead(uow, username) if t != name]
        _audit(uow, "user_team_changed", actor, now,
               {"username": username, "from": user.team, "to": name, "no_longer_leads": released})  # fmt: skip
        uow.commit()
    return {"username": username, "team": name, "no_longer_leads": released}


def add_team(
    uow: UnitOfWork, name: str, lead: str | None, actor: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """A new team; its lead (a team lead or a manager, active) joins it when they are a team lead."""
    now = _now(now)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("班组名不能为空", field="name")
    if len(name) > MAX_TEAM:
        raise InvalidInput(f"班组名不能超过 {MAX_TEAM} 个字符", field="name")
    lead = (lead or "").strip() or None
    with uow:
        if uow.users.team(name) is not None:
            raise Conflict(f"班组 {name} 已存在", field="name")
        if lead is not None:
            leader = uow.users.get(lead)
            if leader is None:
                raise InvalidInput(f"用户 {lead} 不存在", field="lead")
            if not leader.active or leader.role not in LEAD_ROLES:
                raise InvalidInput(f"班组负责人必须是在职的班组长或经理，{lead} 不是", field="lead")
            if leader.role == Role.TEAM_LEAD:
                _release_lead(uow, lead)
                uow.users.update(lead, team=name)
        uow.users.add_team(name, lead, now)
        _audit(uow, "team_created", actor, now, {"team": name, "lead": lead})
        uow.commit()
    return {"name": name, "lead": lead}


def list_teams(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Every team with its lead and its active members."""
    with uow.reading():
        members: dict[str, list[str]] = {}
        for user in uow.users.all():
            if user.team and user.active:
                members.setdefault(user.team, []).append(user.username)
        return [
            {
                "name": t.name,
                "lead": t.lead,
                "members": members.get(t.name, []),
                "created_at": t.created_at.isoformat(),
            }
            for t in uow.users.teams()
        ]


def team_lead_of(uow: UnitOfWork, username: str) -> str | None:
    """Inside an open unit of work: the lead of ``username``'s team (None: no team, or no lead)."""
    user = uow.users.get(username)
    if user is None or not user.team:
        return None
    record = uow.users.team(user.team)
    return record.lead if record is not None else None
