"""The caller's own inbox: notifications, the unread count (polled by open pages), mark read; and
staff administration beyond accounts: deactivate, reactivate, role, team, teams."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request

from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.schemas import RoleIn, TeamIn, TeamMoveIn
from complaintdesk.http.auth import current_user, forget_credentials, get_desk, require
from complaintdesk.services import notifications, staff
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

MAX_ID = 2**31 - 1  # row ids are 32-bit on PostgreSQL; a larger one is refused, not sent to the database

router = APIRouter(tags=["inbox & staff 通知与人员"], route_class=DispatchingRoute)


@router.get("/notifications", summary="我的通知（新的在前，before 翻页）")
def list_notifications(
    limit: int = Query(20, ge=1, le=notifications.MAX_PAGE),
    before: int | None = Query(None, ge=1, le=MAX_ID),
    unread_only: bool = Query(False),
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return notifications.inbox(
        desk.uow(), principal.username, limit=limit, before=before, unread_only=unread_only
    )


@router.get("/notifications/unread-count", summary="未读通知数（页面轮询用，一次索引计数）")
def unread_count(
    principal: Principal = Depends(current_user), desk: Desk = Depends(get_desk)
) -> dict[str, int]:
    return {"unread": notifications.unread_count(desk.uow(), principal.username)}


@router.post("/notifications/read-all", summary="全部标为已读")
def read_all(principal: Principal = Depends(current_user), desk: Desk = Depends(get_desk)) -> dict[str, int]:
    return {"marked": notifications.mark_all_read(desk.uow(), principal.username)}


@router.post("/notifications/{notification_id}/read", summary="标为已读")
def read_one(
    notification_id: int = Path(..., ge=1, le=MAX_ID),
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return notifications.mark_read(desk.uow(), principal.username, notification_id)


@router.post("/users/{username}/deactivate", summary="停用账号（admin）：不能登录，不能被分派")
def deactivate(
    request: Request,
    username: str = Path(..., max_length=64),
    principal: Principal = Depends(require(Permission.EDIT_STAFF)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    result = staff.deactivate(desk.uow(), username, principal.username)
    forget_credentials(request)  # that user's cached logins end in this worker too
    return result


@router.post("/users/{username}/reactivate", summary="重新启用账号（admin）")
def reactivate(
    username: str = Path(..., max_length=64),
    principal: Principal = Depends(require(Permission.EDIT_STAFF)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return staff.reactivate(desk.uow(), username, principal.username)


@router.put("/users/{username}/role", summary="修改角色（admin）")
def set_role(
    body: RoleIn,
    request: Request,
    username: str = Path(..., max_length=64),
    principal: Principal = Depends(require(Permission.EDIT_STAFF)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    result = staff.set_role(desk.uow(), username, body.role, principal.username)
    forget_credentials(request)  # cached principals carry the old role
    return result


@router.put("/users/{username}/team", summary="调整班组（admin）；team 为空表示不属于任何班组")
def set_team(
    body: TeamMoveIn,
    request: Request,
    username: str = Path(..., max_length=64),
    principal: Principal = Depends(require(Permission.EDIT_STAFF)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    result = staff.set_team(desk.uow(), username, body.team, principal.username)
    forget_credentials(request)
    return result


@router.get("/teams", summary="班组列表（admin, manager）")
def list_teams(
    _: Principal = Depends(require(Permission.READ_STAFF)), desk: Desk = Depends(get_desk)
) -> dict[str, Any]:
    return {"items": staff.list_teams(desk.uow())}


@router.post("/teams", status_code=201, summary="新建班组（admin）")
def add_team(
    body: TeamIn,
    principal: Principal = Depends(require(Permission.EDIT_STAFF)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return staff.add_team(desk.uow(), body.name, body.lead, principal.username)
