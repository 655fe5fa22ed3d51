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
            raise InvalidInput("用户名只能包含字母、数字、下划线、点和短横线（2-64 位）", field="username")
        if not (display_name or "").strip():
            raise InvalidInput("显示名不能为空", field="display_name")
        if len(display_name.strip()) > MAX_DISPLAY_NAME:
            raise InvalidInput(f"显示名不能超过 {MAX_DISPLAY_NAME} 个字符", field="display_name")
        team = (team or "").strip() or None
        if team is not None and len(team) > MAX_TEAM:
            raise InvalidInput(f"班组名不能超过 {MAX_TEAM} 个字符", field="team")
        return User(username, display_name.strip(), parse_enum(Role, role, "role"), team, True, now)

