"""FastAPI dependencies of the pages: the desk, the signed-in user, and the refusal page."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services.bootstrap import Desk
from complaintdesk.web import auth
from complaintdesk.web.auth import WebUser
from complaintdesk.web.render import render


def get_desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


async def page_user(request: Request) -> WebUser:
    """The signed-in user, or a redirect to the login page. POSTs are CSRF-checked on the way."""
    user = await auth.signed_in(request, get_desk(request))
    if user is None:
        raise auth.login_redirect(request)
    return user


def page_context(request: Request, user: WebUser | None, **extra: Any) -> dict[str, Any]:
    return {"user": user, "csrf": user.csrf if user else "", "csrf_field": auth.CSRF_FIELD, **extra}


def forbidden(request: Request, user: WebUser, reason_key: str) -> HTMLResponse:
    return render(
        request, "forbidden.html", page_context(request, user, reason_key=reason_key), status_code=403
    )


def refuse_nul(values: dict[str, str]) -> dict[str, str]:
    """A posted text with NUL, which no database stores, is refused naming its field (as the API's
    schemas do) before it reaches a service: PostgreSQL would refuse it with no field to name."""
    for name, value in values.items():
        if "\x00" in value:
            raise InvalidInput("文本不能包含 NUL (\\x00) 字符", field=name)
    return values
