"""The staff page: managers and admins see who works the desk; admins add accounts and set passwords
(the API's rules: GET /users for both, POST /users and other people's passwords for admins only).
Every change lands in the audit chain with the acting admin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.domain.vocab import Role
from complaintdesk.http.auth import forget_credentials
from complaintdesk.services import accounts, staff, users
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user, refuse_nul
from complaintdesk.web.render import render

router = APIRouter()

_DONE = (
    "user_created", "password_set", "user_unlocked", "user_deactivated", "user_reactivated",
    "user_role_changed", "user_team_changed", "team_created",
)  # fmt: skip


def _page(
    request: Request, user: WebUser, *, form: dict[str, str] | None = None, error: str | None = None,
    error_field: str | None = None, flash: str | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    desk = get_desk(request)
    people: list[dict[str, Any]] = [accounts.user_view(u) for u in users.list_users(desk.uow())]
    context = page_context(
        request, user, staff=people, teams=staff.list_teams(desk.uow()), roles=[r.value for r in Role],
        can_edit=user.edits_staff,
        form=form or {}, error=error, error_field=error_field, flash=flash, nav="users",
    )  # fmt: skip
    return render(request, "users.html", context, status_code=status_code)


@router.get("/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    if not user.reads_staff:
        return forbidden(request, user, "forbidden.users")
    done = request.query_params.get("done")
    return _page(request, user, flash=done if done in _DONE else None)


async def _form(request: Request) -> dict[str, str]:
    return {k: v.strip() for k, v in (await request.form()).items() if isinstance(v, str)}


@router.post("/users", include_in_schema=False)
async def add_user(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.edits_staff:
        return forbidden(request, user, "forbidden.users_edit")
    form = await _form(request)
    try:
        refuse_nul(form)
        accounts.create_user(
            get_desk(request).uow(), form.get("username", ""), form.get("display_name", ""),
            form.get("role", ""), form.get("team") or None, form.get("password", ""), user.username,
        )  # fmt: skip
    except ComplaintDeskError as exc:
        shown = {k: v for k, v in form.items() if k != "password"}  # a password is never sent back
        return _page(request, user, form=shown, error=exc.message, error_field=exc.field,
                     status_code=exc.http_status)  # fmt: skip
    return RedirectResponse("/users?done=user_created", status_code=303)


@router.post("/users/{username}/password", include_in_schema=False)
async def set_password(username: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.edits_staff:
        return forbidden(request, user, "forbidden.users_edit")
    form = await _form(request)
    try:
        refuse_nul(form)
        accounts.set_password(
            get_desk(request).uow(), username, form.get("password", ""), user.username,
            current_password=form.get("current_password") or None,
        )  # fmt: skip
    except ComplaintDeskError as exc:
        return _page(request, user, error=exc.message, error_field=exc.field, status_code=exc.http_status)
    forget_credentials(request)  # that user's sessions end now, in this worker's cache too
    return RedirectResponse("/users?done=password_set", status_code=303)


@router.post("/users/{username}/unlock", include_in_schema=False)
async def unlock(username: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.edits_staff:
        return forbidden(request, user, "forbidden.users_edit")
    try:
        accounts.unlock_user(get_desk(request).uow(), username, user.username)
    except ComplaintDeskError as exc:
        return _page(request, user, error=exc.message, error_field=exc.field, status_code=exc.http_status)
    return RedirectResponse("/users?done=user_unlocked", status_code=303)


async def _staff_change(request: Request, user: WebUser, done: str, work: Any) -> Response:
    """One staff change (``work(uow, form)``), then back to the page with its flash or its error."""
    if not user.edits_staff:
        return forbidden(request, user, "forbidden.users_edit")
    form = await _form(request)
    try:
        refuse_nul(form)
        work(get_desk(request).uow(), form)
    except ComplaintDeskError as exc:
        return _page(request, user, error=exc.message, error_field=exc.field, status_code=exc.http_status)
    forget_credentials(request)  # a cached login carries the old role, team or active flag
    return RedirectResponse(f"/users?done={done}", status_code=303)


@router.post("/users/{username}/deactivate", include_in_schema=False)
async def deactivate(username: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    return await _staff_change(
        request, user, "user_deactivated", lambda uow, form: staff.deactivate(uow, username, user.username)
    )


@router.post("/users/{username}/reactivate", include_in_schema=False)
async def reactivate(username: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    return await _staff_change(
        request, user, "user_reactivated", lambda uow, form: staff.reactivate(uow, username, user.username)
    )


@router.post("/users/{username}/role", include_in_schema=False)
async def set_role(username: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    return await _staff_change(
        request, user, "user_role_changed",
        lambda uow, form: staff.set_role(uow, username, form.get("role", ""), user.username),
    )  # fmt: skip


@router.post("/users/{username}/team", include_in_schema=False)
async def set_team(username: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    return await _staff_change(
        request, user, "user_team_changed",
        lambda uow, form: staff.set_team(uow, username, form.get("team") or None, user.username),
    )  # fmt: skip


@router.post("/teams", include_in_schema=False)
async def add_team(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    return await _staff_change(
        request, user, "team_created",
        lambda uow, form: staff.add_team(uow, form.get("name", ""), form.get("lead") or None, user.username),
    )  # fmt: skip
