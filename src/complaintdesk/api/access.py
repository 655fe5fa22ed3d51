"""Who may see and change which complaints. Enforced here, server-side, for every complaint route.

* agent, team_lead: their own complaints and their team's queue (owners in the same team);
* manager, admin: everything; auditor: read everything, change nothing;
* the customer's full phone number only for team_lead, manager and admin.
"""

from __future__ import annotations

from fastapi import Depends, Path
from starlette.concurrency import run_in_threadpool

from complaintdesk.domain.errors import PermissionDenied
from complaintdesk.domain.vocab import Role
from complaintdesk.http.auth import current_user, get_desk
from complaintdesk.services import accounts, search
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk

WRITERS = frozenset({Role.AGENT, Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})
SEE_ALL = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR})
SEE_PHONE = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})


def visible_owners(desk: Desk, principal: Principal) -> set[str] | None:
    """None means every owner; otherwise the owners whose complaints the caller may see."""
    if principal.role in SEE_ALL:
        return None
    return {principal.username} | accounts.team_members(desk.uow(), principal.team)


def reveal_phone(principal: Principal) -> bool:
    return principal.role in SEE_PHONE


def _check(desk: Desk, principal: Principal, number: str) -> None:
    owners = visible_owners(desk, principal)
    if owners is None:
        return
    owner = search.complaint_owner(desk.uow(), number)  # NotFound for an unknown number
    if owner not in owners:
        raise PermissionDenied(f"投诉单 {number} 不在你或你所在班组的队列中", field="number")


async def readable_complaint(
    number: str = Path(..., max_length=24, description="投诉单号,例如 TS-20261123-000001"),
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> Principal:
    """The caller, once they are known to be allowed to read this complaint."""
    # async, and a thread only for roles whose queue must be looked up: most reads need no hop
    if principal.role not in SEE_ALL:
        await run_in_threadpool(_check, desk, principal, number)
    return principal


async def writable_complaint(
    number: str = Path(..., max_length=24, description="投诉单号"),
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> Principal:
    """The caller, once they are known to be allowed to change this complaint."""
    if principal.role not in WRITERS:
        raise PermissionDenied(f"角色 {principal.role.value} 只读,不能修改投诉单", field="role")
    if principal.role not in SEE_ALL:
        await run_in_threadpool(_check, desk, principal, number)
    return principal


async def writer(principal: Principal = Depends(current_user)) -> Principal:
    if principal.role not in WRITERS:
        raise PermissionDenied(f"角色 {principal.role.value} 只读,不能修改数据", field="role")
    return principal
