"""Webhook subscriptions and their delivery log (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import AfterValidator, Field

from complaintdesk.api.common import IdempotencyKey, run_idempotent
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.api.schemas import Body, Name, no_nul
from complaintdesk.http.auth import get_desk, require
from complaintdesk.services import webhooks
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

router = APIRouter(prefix="/webhooks", tags=["webhooks 事件推送"], route_class=DispatchingRoute)
admin = require(Permission.MANAGE_WEBHOOKS)


class SubscriptionIn(Body):
    url: Annotated[str, Field(max_length=500), AfterValidator(no_nul)]
    events: Annotated[list[Name], Field(min_length=1, max_length=16)]


@router.post("", status_code=201, summary="订阅事件（返回签名密钥，仅此一次）")
def subscribe(
    body: SubscriptionIn,
    request: Request,
    principal: Principal = Depends(admin),
    desk: Desk = Depends(get_desk),
    idempotency_key: str | None = IdempotencyKey,
) -> JSONResponse:
    def work() -> tuple[int, Any]:
        return 201, webhooks.subscribe(desk.uow(), body.url, body.events, principal.username)

    return run_idempotent(desk, request, principal.username, idempotency_key, body.model_dump, work)


@router.get("", summary="订阅列表")
def list_subscriptions(_: Principal = Depends(admin), desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    return {"items": webhooks.list_subscriptions(desk.uow()), "events": list(webhooks.EVENTS)}


@router.delete("/{subscription_id}", status_code=204, summary="停用订阅")
def unsubscribe(
    subscription_id: int = Path(..., ge=1, le=2**31 - 1),
    principal: Principal = Depends(admin),
    desk: Desk = Depends(get_desk),
) -> Response:
    webhooks.unsubscribe(desk.uow(), subscription_id, principal.username)
    return Response(status_code=204)


@router.get("/{subscription_id}/deliveries", summary="投递记录（每次尝试的状态码与错误）")
def deliveries(
    subscription_id: int = Path(..., ge=1, le=2**31 - 1),
    _: Principal = Depends(admin),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return {"items": webhooks.deliveries(desk.uow(), subscription_id)}
