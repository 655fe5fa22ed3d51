"""Reference data every signed-in user may read (roles, the centre's business calendar), and the
calendar edits managers and admins make."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Response
from pydantic import Field

from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.schemas import Body, Name
from complaintdesk.domain.errors import NotFound
from complaintdesk.http.auth import current_user, get_desk, require
from complaintdesk.services import calendar_service, permissions
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

router = APIRouter(tags=["reference 参考数据"], route_class=DispatchingRoute)


ROLES = {
    "agent": "坐席：处理本人及本班组队列的投诉；客户电话脱敏",
    "team_lead": "班组长：本班组队列，查看完整电话，质检",
    "manager": "中心经理：全部投诉，用户列表",
    "admin": "管理员：全部投诉，用户与 webhook 管理，审计校验",
    "auditor": "审计员：只读全部投诉，审计校验；不能做任何修改",
}


@router.get("/roles", summary="角色及其权限")
def roles(_: Principal = Depends(current_user)) -> dict[str, Any]:
    # What each role may do, from the one table that decides it (services.permissions), not restated here.
    return {
        "items": [
            {"role": k, "description": v, "permissions": sorted(p.value for p in permissions.granted_to(k))}
            for k, v in ROLES.items()
        ]
    }


@router.get("/calendars", summary="营业日历（节假日与调休，含中心自定义）")
def calendars(_: Principal = Depends(current_user), desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    uow = desk.uow()
    with uow.reading():
        cal = calendar_service.effective_calendar(uow)
        edits = uow.calendar.edits()
    named = {e.day: e.name for e in edits if e.name}
    return {
        "items": [
            {
                "name": cal.name,
                "timezone": cal.timezone,
                "work_start": cal.work_start.isoformat(),
                "work_end": cal.work_end.isoformat(),
                "holidays": [
                    {"day": d.isoformat(), "name": named.get(d) or cal.holiday_names.get(d)}
                    for d in sorted(cal.holidays)
                ],
                "makeup_workdays": [d.isoformat() for d in sorted(cal.makeup_workdays)],
                # The centre's own days, already applied above: what differs from the national calendar.
                "edits": [{"day": e.day.isoformat(), "kind": e.kind, "name": e.name} for e in edits],
            }
        ]
    }


@router.get("/calendars/{year}", summary="某一年的休息日与调休上班日（标出中心自定义）")
def calendar_year(
    year: int = Path(..., ge=calendar_service.YEARS[0], le=calendar_service.YEARS[1]),
    _: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return calendar_service.year_view(desk.uow(), year)


class CalendarDayIn(Body):
    kind: Literal["holiday", "workday"] = Field(description="holiday：中心休息；workday：中心上班")
    name: Name | None = None


DAY = Path(..., max_length=10, description="日期 YYYY-MM-DD")


@router.put("/calendars/days/{day}", summary="把某天设为中心的休息日或上班日（manager, admin；记入审计链）")
def set_calendar_day(
    body: CalendarDayIn,
    day: str = DAY,
    principal: Principal = Depends(require(Permission.EDIT_CALENDAR)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    edit = calendar_service.set_day(
        desk.uow(), calendar_service.parse_day(day), body.kind, body.name, principal.username
    )
    return {"day": edit.day.isoformat(), "kind": edit.kind, "name": edit.name}


@router.delete("/calendars/days/{day}", status_code=204, summary="删除中心对某天的自定义（manager, admin）")
def remove_calendar_day(
    day: str = DAY,
    principal: Principal = Depends(require(Permission.EDIT_CALENDAR)),
    desk: Desk = Depends(get_desk),
) -> Response:
    wanted = calendar_service.parse_day(day)
    if not calendar_service.remove_day(desk.uow(), wanted, principal.username):
        raise NotFound(f"中心没有自定义 {wanted.isoformat()}", field="day")
    return Response(status_code=204)
