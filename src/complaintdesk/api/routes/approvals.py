"""Escalation and approvals: who may take a level (the picker), the requests waiting for me, and a
lead's approve / decline (approved: the escalation or the unsigned close is carried out)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from complaintdesk.api import access
from complaintdesk.api.common import complaint_response
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.api.schemas import DecisionIn
from complaintdesk.http.auth import current_user, get_desk
from complaintdesk.services import approvals, commands
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle

MAX_ID = 2**31 - 1  # row ids are 32-bit on PostgreSQL; a larger one is refused, not sent to the database

router = APIRouter(tags=["escalation 升级与审批"], route_class=DispatchingRoute)


@router.get("/escalation-candidates", summary="可以接手某一升级层级的人（升级表单的选择框）")
def candidates(
    level: int = Query(..., ge=1, le=4),
    _: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    people = approvals.escalation_candidates(desk.uow(), level)
    return {
        "level": level,
        "items": [
            {"username": u.username, "display_name": u.display_name, "role": u.role.value} for u in people
        ],
    }


@router.get("/approvals", summary="待我审批的申请")
def my_requests(
    principal: Principal = Depends(current_user), desk: Desk = Depends(get_desk)
) -> dict[str, Any]:
    return {"items": approvals.list_requests(desk.uow(), approver=principal.username)}


@router.get("/complaints/{number}/approvals", summary="该投诉的审批申请（含已处理）")
def complaint_requests(
    number: str = Path(..., max_length=24),
    _: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return {"items": approvals.list_requests(desk.uow(), number=number, pending_only=False)}


@router.post(
    "/complaints/{number}/approvals/{request_id}/{verdict}",
    summary="批准（approve，随即执行）或驳回（decline，投诉单不变）",
)
def decide(
    body: DecisionIn,
    verdict: Literal["approve", "decline"],
    number: str = Path(..., max_length=24),
    request_id: int = Path(..., ge=1, le=MAX_ID),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    command = commands.Decide(
        number=number,
        request_id=request_id,
        approve=verdict == "approve",
        note=body.note,
        actor=principal.username,
    )
    return complaint_response(handle(desk.uow(), command))
