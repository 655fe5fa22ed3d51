"""Reference data every signed-in user may read: the business calendar."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from complaintdesk.api.auth import current_user
from complaintdesk.domain.calendar import default_calendar
from complaintdesk.services.accounts import Principal

router = APIRouter(tags=["reference 参考数据"])


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
