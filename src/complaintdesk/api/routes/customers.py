"""Customers and their complaint history (phone masked for agents and auditors)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query

from complaintdesk.api import access
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.http.auth import current_user, get_desk, require
from complaintdesk.services import customers
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

router = APIRouter(prefix="/customers", tags=["customers 客户"], route_class=DispatchingRoute)


@router.get("", summary="客户列表，或某个电话号码上的客户（team_lead, manager, admin, auditor）")
def list_customers(
    limit: int = Query(100, ge=1, le=1000),
    phone: str | None = Query(None, max_length=32, description="来电号码，任意写法：13812345678、+86 138 1234 5678"),
    principal: Principal = Depends(require(Permission.SUPERVISE)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    reveal = access.reveal_phone(principal)
    if phone is not None:
        found = customers.find_by_phone(
            desk.uow(), phone, owners=access.visible_owners(desk, principal), reveal_phone=reveal
        )
        return {"items": found[:limit]}
    return {"items": customers.list_customers(desk.uow(), limit=limit, reveal_phone=reveal)}


@router.get("/{customer_id}", summary="客户及其投诉历史（仅限可见的投诉单）")
def get_customer(
    customer_id: int = Path(..., ge=1, le=2**31 - 1),
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return customers.get_customer(
        desk.uow(),
        customer_id,
        owners=access.visible_owners(desk, principal),
        reveal_phone=access.reveal_phone(principal),
    )
