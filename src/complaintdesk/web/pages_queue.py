"""My queue and my team's queue: open complaints, sortable, with SLA countdown colours and flags."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from complaintdesk.services import queue
from complaintdesk.services.queue import QueueQuery, Scope, SortKey
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import get_desk, page_context, page_user
from complaintdesk.web.render import render

router = APIRouter()

# The page's tabs and the queue's scopes ("all" is every complaint, offered to who may read them all).
SCOPES = {"mine": Scope.MINE, "team": Scope.TEAM, "all": Scope.VISIBLE}
SHOWN = 500  # the newest open complaints of the scope; sorting happens among them


@router.get("/queue", response_class=HTMLResponse, include_in_schema=False)
def queue_page(
    request: Request,
    user: Annotated[WebUser, Depends(page_user)],
    scope: str = "mine",
    sort: str = "sla",
    desc: int = 0,
) -> HTMLResponse:
    desk = get_desk(request)
    tabs = ("mine", "team", "all") if user.sees_all_teams else ("mine", "team")
    scope = scope if scope in tabs else "mine"
    key = SortKey(sort) if sort in {k.value for k in SortKey} else SortKey.SLA
    query = QueueQuery(
        scope=SCOPES[scope],
        open_only=True,
        limit=SHOWN,
        with_signals=True,
        type_min_score=desk.settings.queue_type_min_score,
    )
    rows = queue.list_queue(desk.uow(), query, viewer=user).sorted_by(key, bool(desc))
    template = "queue_table.html" if request.headers.get("HX-Request") else "queue.html"
    return render(
        request,
        template,
        page_context(request, user, rows=rows, scope=scope, sort=key.value, desc=bool(desc), nav="queue"),
    )
