"""Authentication and roles as reusable FastAPI dependencies (used by the API and the web pages).

* API clients send ``Authorization: Bearer <token>`` (from ``POST /api/v1/auth/token``).
* Browsers hold the ``cd_session`` cookie (HttpOnly, SameSite=Lax) from ``POST /api/v1/auth/login``
  or :func:`start_session`; every unsafe request authenticated by that cookie must carry the session's
  CSRF token in the ``X-CSRF-Token`` header or a ``csrf_token`` form field.

Web pages use :func:`current_user`, :func:`optional_user`, :func:`require`, :func:`start_session`,
:func:`end_session` and :func:`csrf_token`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable

from fastapi import Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from complaintdesk.domain.errors import AuthenticationFailed, PermissionDenied
from complaintdesk.services import accounts, permissions
from complaintdesk.services.accounts import IssuedToken, Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

SESSION_COOKIE = "cd_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FORM_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How long a worker trusts a credential it has already checked. The token lookup was a quarter of a
# queue read; the price is that a token revoked or a user deactivated *by another worker or process*
# keeps working here for at most this long (this worker's own logouts and password changes forget at once).
PRINCIPAL_TTL_SECONDS = 5.0
_CACHE_LIMIT = 10_000

__all__ = [
    "CSRF_FORM_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "Principal",
    "csrf_token",
    "current_user",
    "end_session",
    "forget_credentials",
    "get_desk",
    "optional_user",
    "require",
    "start_session",
]


async def get_desk(request: Request) -> Desk:
    # async on purpose: a plain def dependency costs a thread-pool hop per request
    desk: Desk = request.app.state.desk
    return desk


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise AuthenticationFailed("Authorization 头格式应为 Bearer <token>", field="authorization")
    return value.strip()


async def _presented_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # Starlette caches the parsed form, so the route can read it again
        value = form.get(CSRF_FORM_FIELD)
        return value if isinstance(value, str) else None
    return None


def _principal_cache(request: Request) -> dict[tuple[str, str], tuple[float, Principal]]:
    cache: dict[tuple[str, str], tuple[float, Principal]] | None = getattr(
        request.app.state, "principal_cache", None
    )
    if cache is None:
        cache = request.app.state.principal_cache = {}
    return cache


def forget_credentials(request: Request) -> None:
    """Drop every remembered principal of this app (after a logout, a password or user change)."""
    _principal_cache(request).clear()


async def _lookup(request: Request, desk: Desk, token: str, kind: str) -> Principal:
    cache = _principal_cache(request)
    key = (kind, hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest())
    now = time.monotonic()
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    principal = await run_in_threadpool(accounts.authenticate, desk.uow(), token, kind=kind)
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()  # crude but bounded; a refill costs one lookup per active token
    cache[key] = (now + PRINCIPAL_TTL_SECONDS, principal)
    return principal


async def _authenticate(request: Request, desk: Desk) -> Principal | None:
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    token = _bearer(request)
    if token is not None:
        principal = await _lookup(request, desk, token, "bearer")
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        principal = await _lookup(request, desk, cookie, "session")
        if request.method not in SAFE_METHODS and not accounts.csrf_matches(
            principal, await _presented_csrf(request)
        ):
            raise PermissionDenied("CSRF 校验失败：请刷新页面后重试", field="csrf_token", code="csrf_failed")
    request.state.principal = principal
    return principal


async def optional_user(request: Request, desk: Desk = Depends(get_desk)) -> Principal | None:
    """The caller, or None when nobody is logged in (a bad or expired credential is still an error)."""
    return await _authenticate(request, desk)


async def current_user(request: Request) -> Principal:
    # The desk straight from the app, not ``Depends(get_desk)``: FastAPI resolves each dependency
    # anew per request, and this one is in every authenticated route.
    principal = await _authenticate(request, await get_desk(request))
    if principal is None:
        raise AuthenticationFailed("请先登录", field="authorization")
    return principal


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting only the roles ``services.permissions`` grants ``permission`` to:
    ``Depends(require(Permission.EDIT_STAFF))``."""

    async def dependency(principal: Principal = Depends(current_user)) -> Principal:
        permissions.require(principal.role, permission)
        return principal

    return dependency


def start_session(request: Request, response: Response, issued: IssuedToken) -> None:
    """Put a freshly issued session (``accounts.login(..., kind="session")``) into the cookie."""
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=int(accounts.SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def end_session(request: Request, response: Response, desk: Desk) -> None:
    forget_credentials(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        accounts.logout(desk.uow(), cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")


def csrf_token(principal: Principal | None) -> str | None:
    """The token a page puts in its forms (hidden ``csrf_token`` field) or its fetch headers."""
    return principal.csrf_token if principal is not None else None
