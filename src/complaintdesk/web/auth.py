"""Who is using the pages, and what they may see.

Sign-in is the API layer's (argon2 hashes, session cookie, CSRF). Until that lands this module keeps
a small HMAC-signed session cookie of its own over the same ``users`` table, so the pages and
their tests do not wait; ``login``/``logout``/``session_user`` are the only entry points the
pages use, so switching to the API's helpers touches only this file.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Request, Response
from sqlalchemy import select

from complaintdesk.domain.errors import AuthenticationFailed
from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import orm

COOKIE = "cd_web_session"
SESSION_SECONDS = 12 * 3600
SUPERVISOR_ROLES = frozenset({"team_lead", "manager", "admin", "auditor"})
ALL_TEAMS_ROLES = frozenset({"manager", "admin", "auditor"})
_hasher = PasswordHasher()


@dataclass(frozen=True)
class WebUser:
    username: str
    display_name: str
    role: str
    team: str | None

    @property
    def is_supervisor(self) -> bool:
        return self.role in SUPERVISOR_ROLES

    @property
    def sees_all_teams(self) -> bool:
        return self.role in ALL_TEAMS_ROLES

    @property
    def can_write(self) -> bool:
        return self.role != "auditor"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _secret(desk: Desk) -> bytes:
    return desk.settings.secret_key.encode("utf-8")


def _sign(desk: Desk, payload: str) -> str:
    return hmac.new(_secret(desk), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def load_user(desk: Desk, username: str) -> tuple[WebUser, str | None] | None:
    with desk.engine.connect() as conn:
        row = conn.execute(select(orm.users).where(orm.users.c.username == username)).first()
    if row is None or not row.active:
        return None
    return WebUser(row.username, row.display_name, row.role, row.team), row.password_hash


def authenticate(desk: Desk, username: str, password: str) -> WebUser:
    found = load_user(desk, (username or "").strip())
    failure = AuthenticationFailed("用户名或密码错误", field="password")
    if found is None or not found[1]:
        raise failure
    user, stored = found
    try:
        _hasher.verify(stored or "", password or "")
    except (VerificationError, InvalidHashError):
        raise failure from None
    return user


def login(desk: Desk, response: Response, user: WebUser, *, secure: bool = False) -> None:
    expires = int(time.time()) + SESSION_SECONDS
    nonce = secrets.token_hex(8)
    payload = f"{user.username}|{expires}|{nonce}"
    response.set_cookie(
        COOKIE,
        f"{payload}|{_sign(desk, payload)}",
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def logout(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")


def _session_payload(desk: Desk, request: Request) -> str | None:
    raw = request.cookies.get(COOKIE, "")
    parts = raw.split("|")
    if len(parts) != 4:
        return None
    payload = "|".join(parts[:3])
    if not hmac.compare_digest(parts[3], _sign(desk, payload)):
        return None
    try:
        if int(parts[1]) < time.time():
            return None
    except ValueError:
        return None
    return payload


def session_user(desk: Desk, request: Request) -> WebUser | None:
    payload = _session_payload(desk, request)
    if payload is None:
        return None
    found = load_user(desk, payload.split("|", 1)[0])
    return found[0] if found else None


def csrf_token(desk: Desk, request: Request) -> str:
    """Bound to the session cookie: a form from another site cannot know it."""
    payload = _session_payload(desk, request) or "anonymous"
    return _sign(desk, f"csrf|{payload}")


def csrf_ok(desk: Desk, request: Request, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(submitted or "", csrf_token(desk, request))
