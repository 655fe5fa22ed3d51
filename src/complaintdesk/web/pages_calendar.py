"""The working calendar page: the year's rest days and make-up working days as the centre works them
(the national calendar plus the centre's own days). Managers and admins add or remove the centre's days;
every SLA clock, queue countdown and promised wait counts time by this calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.services import calendar_service
from complaintdesk.settings import local_zone
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user, refuse_nul
from complaintdesk.web.render import render

router = APIRouter()

_DONE = ("calendar_set", "calendar_removed")


def _year(raw: str | None) -> int:
    try:
        return int(raw) if raw else datetime.now(UTC).astimezone(local_zone()).year
    except ValueError:
        return 0  # refused by the service with its message


def _with_weekdays(days: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**d, "weekday": date.fromisoformat(d["day"]).weekday()} for d in days]


def _page(
    request: Request, user: WebUser, year: int, *, form: dict[str, str] | None = None,
    error: str | None = None, error_field: str | None = None, flash: str | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    desk = get_desk(request)
    try:
        view = calendar_service.year_view(desk.uow(), year)
    except ComplaintDeskError as exc:
        fallback = datetime.now(UTC).astimezone(local_zone()).year
        view = calendar_service.year_view(desk.uow(), fallback)
        error, error_field, status_code = exc.message, exc.field, exc.http_status
    context = page_context(
        request, user, view=view, holidays=_with_weekdays(view["holidays"]),
        workdays=_with_weekdays(view["makeup_workdays"]), edits=_with_weekdays(view["edits"]),
        can_edit=user.edits_calendar, form=form or {}, error=error, error_field=error_field,
        flash=flash, nav="calendar",
    )  # fmt: skip
    return render(request, "calendar.html", context, status_code=status_code)


@router.get("/calendar", response_class=HTMLResponse, include_in_schema=False)
def calendar_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    done = request.query_params.get("done")
    return _page(request, user, _year(request.query_params.get("year")), flash=done if done in _DONE else None)


@router.post("/calendar/days", include_in_schema=False)
async def set_day(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.edits_calendar:
        return forbidden(request, user, "forbidden.calendar")
    raw = await request.form()
    form = {k: v.strip() for k, v in raw.items() if isinstance(v, str)}
    try:
        refuse_nul(form)
        day = calendar_service.parse_day(form.get("day", ""))
        calendar_service.set_day(get_desk(request).uow(), day, form.get("kind", ""), form.get("name"), user.username)
    except ComplaintDeskError as exc:
        year = _year(form.get("day", "")[:4]) or _year(None)
        return _page(request, user, year, form=form, error=exc.message, error_field=exc.field,
                     status_code=exc.http_status)  # fmt: skip
    return RedirectResponse(f"/calendar?year={day.year}&done=calendar_set", status_code=303)


@router.post("/calendar/days/{day}/remove", include_in_schema=False)
async def remove_day(day: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.edits_calendar:
        return forbidden(request, user, "forbidden.calendar")
    try:
        wanted = calendar_service.parse_day(day)
        calendar_service.remove_day(get_desk(request).uow(), wanted, user.username)
    except ComplaintDeskError as exc:
        return _page(request, user, _year(None), error=exc.message, error_field=exc.field,
                     status_code=exc.http_status)  # fmt: skip
    return RedirectResponse(f"/calendar?year={wanted.year}&done=calendar_removed", status_code=303)
