"""SLA clocks and the audit trail of a complaint; the whole audit chain: its newest events, its verification."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query

from complaintdesk.api import access
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.schemas import PauseIn
from complaintdesk.http.auth import get_desk, require
from complaintdesk.services import audit_service, sla_service
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

router = APIRouter(tags=["sla & audit 时限与审计"], route_class=DispatchingRoute)


@router.get("/complaints/{number}/sla", summary="SLA 时钟状态")
def sla_statuses(
    number: str = Path(..., max_length=24),
    _: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return {"number": number, "clocks": sla_service.statuses(desk.uow(), number)}


@router.post("/complaints/{number}/sla/pause", summary="暂停计时（等待客户）")
def sla_pause(
    body: PauseIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    paused = sla_service.pause(desk.uow(), number, body.reason, principal.username)
    return {"number": number, "paused": paused}


@router.post("/complaints/{number}/sla/resume", summary="恢复计时")
def sla_resume(
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    resumed = sla_service.resume(desk.uow(), number, principal.username)
    return {"number": number, "resumed": resumed}


@router.get("/complaints/{number}/audit", summary="投诉单的审计记录（哈希链）")
def audit_trail(
    number: str = Path(..., max_length=24),
    _: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return {"number": number, "events": audit_service.trail(desk.uow(), number)}


@router.get("/audit/events", summary="整条审计链最新的事件，新的在前（auditor, admin;before 向前翻页）")
def audit_events(
    limit: int = Query(50, ge=1, le=audit_service.MAX_RECENT),
    before: int | None = Query(None, ge=1, le=2**31 - 1, description="只列出序号小于它的事件"),
    _: Principal = Depends(require(Permission.READ_AUDIT)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    events = audit_service.recent(desk.uow(), limit=limit, before=before)
    next_before = events[-1]["seq"] if len(events) == limit and events[-1]["seq"] > 1 else None
    return {"events": events, "next_before": next_before}


@router.get("/audit/verify", summary="校验整条审计链（auditor, admin）")
def audit_verify(
    _: Principal = Depends(require(Permission.READ_AUDIT)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return audit_service.verify(desk.uow()).to_dict()


@router.post("/audit/checkpoint", summary="校验自上一检查点以来的事件并签名链头（admin）")
def audit_checkpoint(
    _: Principal = Depends(require(Permission.SEAL_AUDIT)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return audit_service.checkpoint(desk.uow()).to_dict()
