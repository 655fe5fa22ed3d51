"""Sign in, sign out, language switch, and the landing redirect."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import AuthenticationFailed, ComplaintDeskError
from complaintdesk.web import auth
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import get_desk, page_user
from complaintdesk.web.i18n import normalise_language
from complaintdesk.web.render import LANG_COOKIE, render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never bounce a fresh session to another origin.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/queue"


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    user = await auth.signed_in(request, get_desk(request))
    return RedirectResponse("/queue" if user else "/login", status_code=303)


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", {"next": _safe_next(next), "username": ""})


@router.post("/login", include_in_schema=False)
async def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=500)] = "/queue",
) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    try:
        await auth.login(request, response, get_desk(request), username, password)
    except (AuthenticationFailed, ComplaintDeskError) as exc:
        status = exc.http_status if exc.http_status >= 400 else 401
        context = {"next": _safe_next(next), "username": username, "error": exc.message}
        return render(request, "login.html", context, status_code=status)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    response = RedirectResponse("/login", status_code=303)
    auth.logout(request, response, get_desk(request))
    return response


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(code: str, request: Request, back: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(back), status_code=303)
    response.set_cookie(LANG_COOKIE, normalise_language(code), max_age=365 * 86400, samesite="lax", path="/")
    return response
