"""My queue and my team's queue: open complaints, sortable, with SLA countdown colours and flags."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import get_desk, page_context, page_user
from complaintdesk.web.queue_model import SORT_KEYS, load_queue, sort_queue, team_members
from complaintdesk.web.render import render

router = APIRouter()


@router.get("/queue", response_class=HTMLResponse, include_in_schema=False)
def queue_page(
    request: Request,
    user: Annotated[WebUser, Depends(page_user)],
    scope: str = "mine",
    sort: str = "sla",
    desc: int = 0,
) -> HTMLResponse:
    desk = get_desk(request)
    scopes = ("mine", "team", "all") if user.sees_all_teams else ("mine", "team")
    scope = scope if scope in scopes else "mine"
    sort = sort if sort in SORT_KEYS else "sla"
    owners: list[str] | None = [user.username]
    if scope == "team":
        owners = team_members(desk, user.team) or [user.username]
    elif scope == "all":
        owners = None
    rows = sort_queue(load_queue(desk, owners, now=datetime.now(UTC)), sort, bool(desc))
    template = "queue_table.html" if request.headers.get("HX-Request") else "queue.html"
    return render(
        request,
        template,
        page_context(request, user, rows=rows, scope=scope, sort=sort, desc=bool(desc), nav="queue"),
    )
