"""Staff accounts as the domain sees them (authentication lives in the API layer)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.vocab import Role, parse_enum

_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
MAX_DISPLAY_NAME = 100
MAX_TEAM = 64


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: Role
    team: str | None
    active: bool
    created_at: datetime
    id: int | None = None

    @staticmethod
    def create(username: str, display_name: str, role: str, team: str | None, now: datetime) -> User:
        if not _USERNAME.match(username or ""):
            raise InvalidInput("用户名只能包含字母、数字、下划线、点和短横线 (2-64 位)", field="username")
        if not (display_name or "").strip():
            raise InvalidInput("显示名不能为空", field="display_name")
        if len(display_name.strip()) > MAX_DISPLAY_NAME:
            raise InvalidInput(f"显示名不能超过 {MAX_DISPLAY_NAME} 个字符", field="display_name")
        team = (team or "").strip() or None
        if team is not None and len(team) > MAX_TEAM:
            raise InvalidInput(f"班组名不能超过 {MAX_TEAM} 个字符", field="team")
        return User(username, display_name.strip(), parse_enum(Role, role, "role"), team, True, now)


# Who may own a complaint: the staff who work them (an auditor reads, never owns).
OWNER_ROLES = frozenset({Role.AGENT, Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})


def assignment_refusal(actor: User | None, target: User) -> str | None:
    """Why ``actor`` may not make ``target`` a complaint's owner; None when they may.

    The rule (docs/api.md, Owners): an agent assigns within their own team (their team lead
    included); a team lead within their team and to managers; managers and admins to anyone.
    ``actor`` None is a process acting for the centre (import, demo, the CLI run by an operator
    without ``--actor`` naming an account): any active member of staff who may own complaints.
    The target must always be an active account of a role that owns complaints.
    """
    if not target.active:
        return f"用户 {target.username} 已停用,不能接收投诉单"
    if target.role not in OWNER_ROLES:
        return f"用户 {target.username} 的角色({target.role.value})不处理投诉单"
    if actor is None or actor.username == target.username:
        return None
    if actor.role in (Role.MANAGER, Role.ADMIN):
        return None
    same_team = actor.team is not None and actor.team == target.team
    if actor.role == Role.TEAM_LEAD:
        if same_team or target.role == Role.MANAGER:
            return None
        return f"班组长只能转给本班组({actor.team or '未分组'})的成员或经理,{target.username} 不在其中"
    if actor.role == Role.AGENT:
        if same_team:
            return None
        return f"坐席只能转给本班组({actor.team or '未分组'})的同事或班组长;跨组请先转班组长"
    return f"角色 {actor.role.value} 不能指定投诉单的处理人"
