"""The inbox page and the header's unread badge, which every open page polls (htmx, every few
seconds: one indexed count) so that a transfer shows up without a reload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.services import commands, notifications
from complaintdesk.services.handlers import handle
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import get_desk, page_context, page_user
from complaintdesk.web.pages_complaint import refusal
from complaintdesk.web.render import render

router = APIRouter()

PAGE = 50
POLL_SECONDS = 3  # a transfer shows within this (plus one request) on every open page


def _items(
    request: Request, user: WebUser, template: str, status_code: int = 200, error: str | None = None
) -> HTMLResponse:
    before = (request.query_params.get("before") or "")[:9]
    page = notifications.inbox(
        get_desk(request).uow(),
        user.username,
        limit=PAGE,
        before=int(before) if before.isdigit() else None,
    )
    context = page_context(request, user, page=page, nav="inbox", poll=POLL_SECONDS, error=error)
    return render(request, template, context, status_code=status_code)


@router.get("/inbox", response_class=HTMLResponse, include_in_schema=False)
def inbox_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    return _items(request, user, "inbox.html")


@router.get("/inbox/items", response_class=HTMLResponse, include_in_schema=False)
def inbox_items(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    return _items(request, user, "_inbox_items.html")


@router.get("/inbox/badge", response_class=HTMLResponse, include_in_schema=False)
def inbox_badge(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    unread = notifications.unread_count(get_desk(request).uow(), user.username)
    context = page_context(request, user, unread=unread, poll=POLL_SECONDS)
    return render(request, "_inbox_badge.html", context, headers={"Cache-Control": "no-store"})


@router.post("/inbox/read-all", include_in_schema=False)
def read_all(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    notifications.mark_all_read(get_desk(request).uow(), user.username)
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/{notification_id}/open", include_in_schema=False)
def open_notification(
    request: Request, user: Annotated[WebUser, Depends(page_user)], notification_id: int = Path(..., ge=1, le=2**31 - 1)
) -> Response:
    """Mark it read and go to its complaint (or back to the inbox when it names none)."""
    try:
        item = notifications.mark_read(get_desk(request).uow(), user.username, notification_id)
    except ComplaintDeskError:
        return RedirectResponse("/inbox", status_code=303)
    return RedirectResponse(item["link"] or "/inbox", status_code=303)


@router.post("/inbox/tasks/{number}/{task_id}", include_in_schema=False)
async def task_outcome(
    request: Request,
    user: Annotated[WebUser, Depends(page_user)],
    number: str = Path(..., max_length=24),
    task_id: int = Path(..., ge=1, le=2**31 - 1),
) -> Response:
    """One click on a task in the inbox: its outcome (reached / not reached / satisfied), audited."""
    refused = refusal(request, user, number, write=True)
    if refused is not None:
        return refused
    form = await request.form()
    outcome = form.get("outcome")
    command = commands.RecordTaskOutcome(
        number=number, task_id=task_id, outcome=outcome if isinstance(outcome, str) else "", actor=user.username
    )
    try:
        handle(get_desk(request).uow(), command)
    except ComplaintDeskError as exc:
        return _items(request, user, "inbox.html", status_code=exc.http_status, error=exc.message)
    return RedirectResponse("/inbox", status_code=303)
