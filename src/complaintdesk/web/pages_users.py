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
from complaintdesk.services import accounts, users
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user, refuse_nul
from complaintdesk.web.render import render

router = APIRouter()

_DONE = ("user_created", "password_set", "user_unlocked")


def _page(
    request: Request, user: WebUser, *, form: dict[str, str] | None = None, error: str | None = None,
    error_field: str | None = None, flash: str | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    staff: list[dict[str, Any]] = [accounts.user_view(u) for u in users.list_users(get_desk(request).uow())]
    context = page_context(
        request, user, staff=staff, roles=[r.value for r in Role], can_edit=user.edits_staff,
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
