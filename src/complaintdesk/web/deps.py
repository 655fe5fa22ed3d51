"""FastAPI dependencies of the pages: the desk, the signed-in user, CSRF, and who may see what."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from complaintdesk.services.bootstrap import Desk, open_desk
from complaintdesk.web import auth
from complaintdesk.web.auth import WebUser
from complaintdesk.web.render import render


def get_desk(request: Request) -> Desk:
    desk = getattr(request.app.state, "desk", None)
    if desk is None:
        desk = open_desk()
        request.app.state.desk = desk
    return desk


def _to_login(request: Request) -> HTTPException:
    target = "/login?next=" + quote(request.url.path)
    if request.headers.get("HX-Request"):
        # htmx swaps the body of a redirect; ask it to navigate instead.
        return HTTPException(status_code=401, headers={"HX-Redirect": target})
    return HTTPException(status_code=303, headers={"Location": target})


def page_user(request: Request) -> WebUser:
    user = auth.session_user(get_desk(request), request)
    if user is None:
        raise _to_login(request)
    return user


def page_context(request: Request, user: WebUser, **extra: Any) -> dict[str, Any]:
    desk = get_desk(request)
    return {"user": user, "csrf": auth.csrf_token(desk, request), **extra}


async def check_csrf(request: Request) -> None:
    """Every state-changing page request carries the token (form field or htmx header)."""
    submitted = request.headers.get("X-CSRF-Token")
    if not submitted:
        form = await request.form()
        value = form.get("csrf")
        submitted = value if isinstance(value, str) else None
    if not auth.csrf_ok(get_desk(request), request, submitted):
        raise HTTPException(status_code=403, detail="CSRF 校验失败,请刷新页面后重试")


def forbidden(request: Request, user: WebUser, reason_key: str) -> HTMLResponse:
    return render(
        request, "forbidden.html", page_context(request, user, reason_key=reason_key), status_code=403
    )
