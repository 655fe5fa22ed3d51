"""The audit page (auditors and admins): verify the whole hash chain, and read its newest events —
every complaint's, and the calendar edits, logins and user changes that belong to none."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.services import audit_service
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user
from complaintdesk.web.render import render

router = APIRouter()

PAGE = 50


def _before(raw: str | None) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:  # beyond any sequence number a BIGINT holds
        return 0  # refused by the service with its message
    return int(raw)


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    if not user.reads_audit:
        return forbidden(request, user, "forbidden.audit")
    desk = get_desk(request)
    error, status_code, events, verdict = None, 200, [], None
    try:
        if request.query_params.get("verify"):
            verdict = audit_service.verify(desk.uow()).to_dict()
    except ComplaintDeskError as exc:  # e.g. checkpoints without the key that signed them
        error, status_code = exc.message, exc.http_status
    try:
        events = audit_service.recent(desk.uow(), limit=PAGE, before=_before(request.query_params.get("before")))
    except ComplaintDeskError as exc:
        error, status_code = exc.message, exc.http_status
    for event in events:
        event["payload_text"] = json.dumps(event["payload"], ensure_ascii=False, sort_keys=True)
    older = events[-1]["seq"] if len(events) == PAGE and events[-1]["seq"] > 1 else None
    context = page_context(request, user, verdict=verdict, events=events, older=older, error=error, nav="audit")
    return render(request, "audit.html", context, status_code=status_code)
