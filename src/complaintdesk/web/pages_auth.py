"""Sign in, sign out, language switch, and the landing redirect."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import AuthenticationFailed
from complaintdesk.web import auth
from complaintdesk.web.deps import check_csrf, get_desk
from complaintdesk.web.i18n import normalise_language
from complaintdesk.web.render import LANG_COOKIE, render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never bounce a fresh session to another origin.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/queue"


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    user = auth.session_user(get_desk(request), request)
    return RedirectResponse("/queue" if user else "/login", status_code=303)


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    desk = get_desk(request)
    return render(
        request,
        "login.html",
        {"next": _safe_next(next), "csrf": auth.csrf_token(desk, request), "username": ""},
    )


@router.post("/login", include_in_schema=False)
async def login_submit(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    await check_csrf(request)
    desk = get_desk(request)
    try:
        user = auth.authenticate(desk, username, password)
    except AuthenticationFailed as exc:
        return render(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "csrf": auth.csrf_token(desk, request),
                "username": username,
                "error": exc.message,
            },
            status_code=401,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    auth.login(desk, response, user, secure=request.url.scheme == "https")
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    await check_csrf(request)
    response = RedirectResponse("/login", status_code=303)
    auth.logout(response)
    return response


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(code: str, request: Request, back: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(back), status_code=303)
    response.set_cookie(LANG_COOKIE, normalise_language(code), max_age=365 * 86400, samesite="lax", path="/")
    return response
