"""The caller's own saved queue views: list (each with its count now), save, rename, delete. Another
user's view is not found (404): views are per account."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Response

from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.schemas import SavedViewIn, SavedViewRenameIn
from complaintdesk.http.auth import current_user, get_desk
from complaintdesk.services import saved_views
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk

MAX_ID = 2**31 - 1

router = APIRouter(prefix="/views", tags=["saved views 我的队列视图"], route_class=DispatchingRoute)
ViewId = Path(..., ge=1, le=MAX_ID)


@router.get("", summary="我的队列视图（counts=true：每个视图现在的投诉数）")
def list_views(
    counts: bool = Query(True),
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return {"items": saved_views.listed(desk.uow(), principal, counts=counts)}


@router.post("", status_code=201, summary="保存队列视图（筛选条件与队列页的查询参数相同）")
def save_view(
    body: SavedViewIn, principal: Principal = Depends(current_user), desk: Desk = Depends(get_desk)
) -> dict[str, Any]:
    uow = desk.uow()
    view = saved_views.create(uow, principal.username, body.name, body.scope, body.filters)
    return view.to_dict(saved_views.count(desk.uow(), view, principal))


@router.get("/{view_id}", summary="一个视图及其现在的投诉数")
def get_view(
    view_id: int = ViewId, principal: Principal = Depends(current_user), desk: Desk = Depends(get_desk)
) -> dict[str, Any]:
    view = saved_views.get(desk.uow(), principal.username, view_id)
    return view.to_dict(saved_views.count(desk.uow(), view, principal))


@router.patch("/{view_id}", summary="重命名视图")
def rename_view(
    body: SavedViewRenameIn,
    view_id: int = ViewId,
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return saved_views.rename(desk.uow(), principal.username, view_id, body.name).to_dict()


@router.delete("/{view_id}", status_code=204, summary="删除视图")
def delete_view(
    view_id: int = ViewId, principal: Principal = Depends(current_user), desk: Desk = Depends(get_desk)
) -> Response:
    saved_views.remove(desk.uow(), principal.username, view_id)
    return Response(status_code=204)
