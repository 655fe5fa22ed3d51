"""Intake of a phone or walk-in complaint, with the analysis shown live as the agent types."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError, InputTooLarge
from complaintdesk.domain.vocab import Channel, Segment
from complaintdesk.services import complaints as svc
from complaintdesk.services import reading
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user, refuse_nul
from complaintdesk.web.highlight import highlight, marks_from_analysis
from complaintdesk.web.pages_complaint import _describe
from complaintdesk.web.render import render, request_language

router = APIRouter()
INTAKE_CHANNELS = (Channel.PHONE.value, Channel.WALK_IN.value, Channel.WEB.value, Channel.EMAIL.value)
LIVE_LIMIT = 20_000  # live analysis runs on every pause in typing: keep it to what an agent types


def _fields(form: dict[str, Any] | None = None) -> dict[str, str]:
    form = form or {}
    keys = ("customer_name", "phone", "segment", "channel", "title", "description")
    values = {k: str(form.get(k) or "").strip() for k in keys}
    values["segment"] = values["segment"] or Segment.REGULAR.value
    values["channel"] = values["channel"] or Channel.PHONE.value
    return values


def _context(request: Request, user: WebUser, values: dict[str, str], **extra: Any) -> dict[str, Any]:
    return page_context(
        request,
        user,
        values=values,
        channels=INTAKE_CHANNELS,
        segments=[s.value for s in Segment],
        nav="intake",
        **extra,
    )


@router.get("/intake", response_class=HTMLResponse, include_in_schema=False)
def intake_form(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    if not user.can_write:
        return forbidden(request, user, "forbidden.readonly")
    return render(request, "intake.html", _context(request, user, _fields()))


@router.post("/intake/analyse", response_class=HTMLResponse, include_in_schema=False)
async def intake_analyse(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    form = await request.form()
    text = str(form.get("description") or "")
    if len(text) > LIVE_LIMIT:
        error = InputTooLarge(f"描述超过 {LIVE_LIMIT} 字，实时分析已暂停", field="description")
        return render(request, "intake_analysis.html", {"analysis": None, "error": error.message, "html": ""})
    analysis = reading.read(text, datetime.now(UTC).date()).to_dict() if text.strip() else None
    describe = _describe(request_language(request))
    html = highlight(text, marks_from_analysis(analysis), describe)
    return render(request, "intake_analysis.html", {"analysis": analysis, "html": html})


@router.post("/intake", include_in_schema=False)
async def intake_submit(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.can_write:
        return forbidden(request, user, "forbidden.readonly")
    values = _fields({k: v for k, v in (await request.form()).items() if isinstance(v, str)})
    desk = get_desk(request)
    command = svc.OpenComplaint(
        customer_name=values["customer_name"],
        phone=values["phone"],
        title=values["title"] or values["description"][:30],
        description=values["description"],
        channel=values["channel"],
        segment=values["segment"],
        owner=user.username,
        actor=user.username,
    )
    try:
        refuse_nul(values)
        detail = svc.open_complaint(desk.uow(), command)
    except ComplaintDeskError as exc:
        context = _context(request, user, values, error=exc.message, error_field=exc.field)
        return render(request, "intake.html", context, status_code=exc.http_status)
    return RedirectResponse(f"/complaints/{detail['number']}?done=opened", status_code=303)
