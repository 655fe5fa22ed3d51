"""The API's dependencies for who may see and change which complaints: enforced here, server-side,
for every complaint route. The rules are ``services.permissions``'; this only wires them to FastAPI."""

from __future__ import annotations

from typing import NamedTuple

from fastapi import Path, Request
from starlette.concurrency import run_in_threadpool

from complaintdesk.http.auth import current_user
from complaintdesk.services import permissions, queue
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission


def visible_owners(desk: Desk, principal: Principal) -> frozenset[str] | None:
    """None means every owner; otherwise the owners whose complaints the caller may see."""
    return queue.visible_owners(desk.uow(), principal)


def reveal_phone(principal: Principal) -> bool:
    return permissions.allows(principal.role, Permission.SEE_FULL_PHONE)


def _sees_all(principal: Principal) -> bool:
    return permissions.allows(principal.role, Permission.READ_EVERY_COMPLAINT)


# The dependencies below call ``current_user`` themselves rather than through ``Depends``: FastAPI
# solves each dependency anew per request (a sub-dependency is another pass of its solver), and these
# stand on every complaint route.


async def readable_complaint(
    request: Request,
    number: str = Path(..., max_length=24, description="投诉单号，例如 TS-20261123-000001"),
) -> Principal:
    """The caller, once they are known to be allowed to read this complaint."""
    principal = await current_user(request)
    # async, and a thread only for roles whose queue must be looked up: most reads need no hop
    if not _sees_all(principal):
        await run_in_threadpool(queue.check_visible, desk_of(request).uow(), principal, number)
    return principal


class Target(NamedTuple):
    """The caller and the complaint they may change, the number validated once: a route taking it from
    here does not declare the path parameter again (FastAPI would validate it a second time)."""

    principal: Principal
    number: str


async def writable_complaint(
    request: Request,
    number: str = Path(..., max_length=24, description="投诉单号"),
) -> Principal:
    """The caller, once they are known to be allowed to change this complaint."""
    return (await writable_target(request, number)).principal


async def writable_target(
    request: Request,
    number: str = Path(..., max_length=24, description="投诉单号"),
) -> Target:
    """``writable_complaint`` with the number it checked, for the routes that need both."""
    principal = await current_user(request)
    permissions.require_writer(principal.role)
    if not _sees_all(principal):
        await run_in_threadpool(queue.check_visible, desk_of(request).uow(), principal, number)
    return Target(principal, number)


def desk_of(request: Request) -> Desk:
    """The application's desk, read straight from the app rather than by ``Depends(get_desk)``: FastAPI
    resolves each dependency anew per request."""
    desk: Desk = request.app.state.desk
    return desk


async def writer(request: Request) -> Principal:
    principal = await current_user(request)
    permissions.require_writer(principal.role, "数据")
    return principal
