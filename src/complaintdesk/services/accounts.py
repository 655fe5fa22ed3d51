"""Passwords, bearer tokens and browser sessions, with login throttling.

Passwords are argon2id hashes; tokens are random and only their SHA-256 is stored, so the database
alone never lets anyone in. A session carries its own CSRF token for the cookie-authenticated pages.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update

from complaintdesk.domain.errors import AuthenticationFailed, InvalidInput, NotFound
from complaintdesk.domain.model import DomainEvent
from complaintdesk.domain.users import User
from complaintdesk.domain.vocab import Role
from complaintdesk.services import staff
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage import orm
from complaintdesk.storage.orm_api import auth_tokens, login_failures

BEARER_TTL = timedelta(days=30)
SESSION_TTL = timedelta(hours=12)
MAX_FAILURES = 5  # per username and source address, within FAILURE_WINDOW
# A whole centre often shares one public address: the address limit only stops a password sprayer.
MAX_FAILURES_PER_ADDRESS = 50
# Guessing one account from many addresses: high enough that one hostile address cannot lock a colleague
# out (that needs this many failures from many addresses), and an admin can unlock at once.
MAX_FAILURES_PER_ACCOUNT = 100
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # as the API's schema: hashing a megabyte would tie up a worker

_hasher = PasswordHasher()
# Verifying against a dummy hash when the user does not exist keeps the timing of both paths alike.
_DUMMY_HASH = _hasher.hash("complaintdesk-timing-equaliser")


def utcnow() -> datetime:
    return datetime.now(UTC)


def hash_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 位", field="password")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"密码不能超过 {MAX_PASSWORD} 个字符", field="password")
    return _hasher.hash(password)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, how they authenticated, and (for sessions) the CSRF token."""

    username: str
    display_name: str
    role: Role
    team: str | None
    via: str  # bearer | session
    csrf_token: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.value,
            "team": self.team,
            "via": self.via,
        }


@dataclass(frozen=True)
class IssuedToken:
    token: str
    kind: str
    expires_at: datetime
    csrf_token: str | None
    principal: Principal

    def to_dict(self) -> dict[str, str | None]:
        return {
            "access_token": self.token,
            "token_type": "bearer" if self.kind == "bearer" else "session",
            "expires_at": self.expires_at.isoformat(),
            "csrf_token": self.csrf_token,
            "user": self.principal.to_dict(),  # type: ignore[dict-item]
        }


def set_password(
    uow: UnitOfWork,
    username: str,
    password: str,
    actor: str,
    *,
    current_password: str | None = None,
    now: datetime | None = None,
) -> None:
    """Set a password. Changing one's own needs the current one (a stolen session must not take the
    account over); an admin resetting someone else's does not. A new password ends every login of that
    user and lifts any login lock on the account."""
    now = now or utcnow()
    hashed = hash_password(password)
    with uow:
        if uow.users.get(username) is None:
            raise NotFound(f"用户 {username} 不存在", field="username")
        session = uow.users.session
        if actor == username:
            row = session.execute(
                select(orm.users.c.password_hash).where(orm.users.c.username == username)
            ).first()
            if not current_password:
                raise InvalidInput("修改自己的密码需要输入当前密码", field="current_password")
            if not _verifies(row.password_hash if row else None, current_password):
                raise AuthenticationFailed("当前密码不正确", field="current_password")
        session.execute(
            update(orm.users).where(orm.users.c.username == username).values(password_hash=hashed)
        )
        session.execute(delete(auth_tokens).where(auth_tokens.c.username == username))
        _clear_account_locks(uow, username)
        uow.record_event(None, DomainEvent("password_set", actor, now, {"username": username}))
        uow.commit()


def unlock_user(uow: UnitOfWork, username: str, actor: str, *, now: datetime | None = None) -> int:
    """Lift every login lock on an account (from any address); returns how many locks were lifted."""
    now = now or utcnow()
    with uow:
        if uow.users.get(username) is None:
            raise NotFound(f"用户 {username} 不存在", field="username")
        lifted = _clear_account_locks(uow, username)
        uow.record_event(None, DomainEvent("user_unlocked", actor, now, {"username": username}))
        uow.commit()
        return lifted


def _verifies(stored: str | None, password: str) -> bool:
    try:
        _hasher.verify(stored or _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def _account_key(username: str) -> str:
    # No account name is longer than 64; clipping keeps a hostile login name inside the key column.
    return f"user:{username.lower()[:64]}"


def _clear_account_locks(uow: UnitOfWork, username: str) -> int:
    key = _account_key(username)
    result = uow.users.session.execute(
        delete(login_failures).where(
            (login_failures.c.key == key) | login_failures.c.key.startswith(key + "@", autoescape=True)
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _throttle_keys(username: str, client: str | None) -> list[str]:
    """The account from this address (5 failures), the account from anywhere (MAX_FAILURES_PER_ACCOUNT)
    and the address for any account (a sprayer). Keyed by address too, so that whoever types five wrong
    passwords for a colleague's name locks only their own address out of that account."""
    account = _account_key(username)
    client = (client or "unknown")[:56]
    return [f"{account}@{client}", account, f"ip:{client}"]


def _check_locked(uow: UnitOfWork, keys: list[str], now: datetime) -> None:
    rows = uow.users.session.execute(select(login_failures).where(login_failures.c.key.in_(keys))).all()
    for row in rows:
        if row.locked_until is not None and row.locked_until > now:
            minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
            raise AuthenticationFailed(
                f"登录失败次数过多，请 {minutes} 分钟后再试", field="password", code="login_throttled"
            )


def _limit(key: str) -> int:
    if key.startswith("ip:"):
        return MAX_FAILURES_PER_ADDRESS
    return MAX_FAILURES if "@" in key else MAX_FAILURES_PER_ACCOUNT


def _record_failure(uow: UnitOfWork, keys: list[str], now: datetime) -> None:
    session = uow.users.session
    for key in keys:
        row = session.execute(select(login_failures).where(login_failures.c.key == key)).first()
        if row is None or now - row.first_at > FAILURE_WINDOW:
            session.execute(delete(login_failures).where(login_failures.c.key == key))
            session.execute(
                insert(login_failures).values(key=key, failures=1, first_at=now, locked_until=None)
            )
            continue
        failures = row.failures + 1
        session.execute(
            update(login_failures)
            .where(login_failures.c.key == key)
            .values(failures=failures, locked_until=now + LOCKOUT if failures >= _limit(key) else None)
        )


def login(
    uow: UnitOfWork,
    username: str,
    password: str,
    *,
    kind: str = "bearer",
    client: str | None = None,
    now: datetime | None = None,
) -> IssuedToken:
    """Check the password and issue a bearer token or a browser session (with its CSRF token)."""
    if kind not in ("bearer", "session"):
        raise InvalidInput("kind 只能是 bearer 或 session", field="kind")
    now = now or utcnow()
    keys = _throttle_keys(username or "", client)
    # The password is checked in a read, not in the write that follows: argon2 takes a few hundred
    # milliseconds of CPU, and on SQLite a writer holds the database's one write lock meanwhile.
    with uow.reading():
        _check_locked(uow, keys, now)
        row = uow.users.session.execute(select(orm.users).where(orm.users.c.username == username)).first()
    stored = row.password_hash if row is not None and row.active else None
    ok = _verifies(stored, password)
    with uow:
        session = uow.users.session
        if not ok or row is None:
            _record_failure(uow, keys, now)
            uow.commit()
            raise AuthenticationFailed("用户名或密码错误", field="password")
        session.execute(delete(login_failures).where(login_failures.c.key.in_(keys)))
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24) if kind == "session" else None
        expires = now + (BEARER_TTL if kind == "bearer" else SESSION_TTL)
        session.execute(
            insert(auth_tokens).values(
                token_hash=_digest(token),
                username=username,
                kind=kind,
                csrf_token=csrf,
                created_at=now,
                expires_at=expires,
            )
        )
        uow.record_event(None, DomainEvent("logged_in", username, now, {"kind": kind}))
        uow.commit()
        user = User(
            row.username, row.display_name, Role(row.role), row.team, bool(row.active), row.created_at
        )
        return IssuedToken(token, kind, expires, csrf, _principal(user, kind, csrf))


def _principal(user: User, via: str, csrf: str | None) -> Principal:
    return Principal(user.username, user.display_name, user.role, user.team, via, csrf)


def authenticate(uow: UnitOfWork, token: str, *, kind: str, now: datetime | None = None) -> Principal:
    """The principal behind a token of that kind, or AuthenticationFailed (expired, revoked, unknown)."""
    now = now or utcnow()
    with uow.reading():
        session = uow.users.session
        u = orm.users.c
        row = session.execute(
            select(auth_tokens, u.display_name, u.role, u.team, u.active, u.created_at)
            .join(orm.users, u.username == auth_tokens.c.username)
            .where(auth_tokens.c.token_hash == _digest(token or ""))
        ).first()
        if row is None or row.kind != kind or row.expires_at <= now:
            raise AuthenticationFailed("登录已失效，请重新登录", field="authorization")
        if not row.active:
            raise AuthenticationFailed("账号已停用", field="authorization")
        user = User(row.username, row.display_name, Role(row.role), row.team, True, row.created_at)
        return _principal(user, kind, row.csrf_token)


def csrf_matches(principal: Principal, presented: str | None) -> bool:
    return bool(principal.csrf_token and presented) and hmac.compare_digest(
        principal.csrf_token or "", presented or ""
    )


def logout(uow: UnitOfWork, token: str, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    with uow:
        session = uow.users.session
        row = session.execute(
            select(auth_tokens.c.username).where(auth_tokens.c.token_hash == _digest(token or ""))
        ).first()
        if row is None:
            return
        session.execute(delete(auth_tokens).where(auth_tokens.c.token_hash == _digest(token)))
        uow.record_event(None, DomainEvent("logged_out", row.username, now, {}))
        uow.commit()


def team_members(uow: UnitOfWork, team: str | None) -> set[str]:
    if not team:
        return set()
    with uow.reading():
        rows = uow.users.session.execute(select(orm.users.c.username).where(orm.users.c.team == team)).all()
        return {r.username for r in rows}


def user_team(uow: UnitOfWork, username: str) -> str | None:
    with uow.reading():
        user = uow.users.get(username)
        return user.team if user else None


def create_user(
    uow: UnitOfWork,
    username: str,
    display_name: str,
    role: str,
    team: str | None,
    password: str | None,
    actor: str,
    *,
    now: datetime | None = None,
) -> User:
    """A new staff account (Conflict if the name is taken); the acting user lands in the audit chain."""
    from complaintdesk.domain.errors import Conflict

    now = now or utcnow()
    candidate = User.create(username, display_name, role, team, now)
    hashed = hash_password(password) if password is not None else None
    with uow:
        if uow.users.get(username) is not None:
            raise Conflict(f"用户 {username} 已存在", field="username")
        user = uow.users.add(candidate, hashed)
        uow.record_event(
            None, DomainEvent("user_created", actor, now, {"username": username, "role": user.role.value})
        )
        staff.ensure_team(uow, user.team, user, now)
        uow.commit()
        return user


def user_view(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "team": user.team,
        "active": user.active,
        "created_at": user.created_at.isoformat(),
    }
