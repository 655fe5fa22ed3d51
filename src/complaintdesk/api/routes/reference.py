"""Reference data every signed-in user may read: the business calendar."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from complaintdesk.api.auth import current_user
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.domain.calendar import default_calendar
from complaintdesk.services.accounts import Principal

router = APIRouter(tags=["reference 参考数据"], route_class=DispatchingRoute)


ROLES = {
    "agent": "坐席:处理本人及本班组队列的投诉;客户电话脱敏",
    "team_lead": "班组长:本班组队列,查看完整电话,质检",
    "manager": "中心经理:全部投诉,用户列表",
    "admin": "管理员:全部投诉,用户与 webhook 管理,审计校验",
    "auditor": "审计员:只读全部投诉,审计校验;不能做任何修改",
}


@router.get("/roles", summary="角色及其权限")
def roles(_: Principal = Depends(current_user)) -> dict[str, Any]:
    return {"items": [{"role": k, "description": v} for k, v in ROLES.items()]}


@router.get("/calendars", summary="营业日历 (节假日与调休)")
def calendars(_: Principal = Depends(current_user)) -> dict[str, Any]:
    cal = default_calendar()
    return {
        "items": [
            {
                "name": cal.name,
                "timezone": cal.timezone,
                "work_start": cal.work_start.isoformat(),
                "work_end": cal.work_end.isoformat(),
                "holidays": [
                    {"day": d.isoformat(), "name": cal.holiday_names.get(d)} for d in sorted(cal.holidays)
                ],
                "makeup_workdays": [d.isoformat() for d in sorted(cal.makeup_workdays)],
            }
        ]
    }
