"""Log in (bearer token or browser session), log out, who am I; user administration (admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Request, Response

from complaintdesk.api.common import IdempotencyKey, run_idempotent
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.api.schemas import PasswordIn, TokenIn, UserIn
from complaintdesk.http.auth import (
    current_user,
    end_session,
    forget_credentials,
    get_desk,
    require,
    start_session,
)
from complaintdesk.services import accounts, permissions, users
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

router = APIRouter(tags=["accounts 账号"], route_class=DispatchingRoute)


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.post("/auth/token", summary="用户名密码换取 Bearer token（API 客户端）")
def issue_token(body: TokenIn, request: Request, desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    issued = accounts.login(desk.uow(), body.username, body.password, kind="bearer", client=_client(request))
    return issued.to_dict()


@router.post("/auth/login", summary="网页登录：设置会话 Cookie，返回 CSRF token")
def login(body: TokenIn, request: Request, desk: Desk = Depends(get_desk)) -> JSONResponse:
    issued = accounts.login(desk.uow(), body.username, body.password, kind="session", client=_client(request))
    data = issued.to_dict()
    data.pop("access_token")  # the session token lives only in the HttpOnly cookie
    response = JSONResponse(data)
    start_session(request, response, issued)
    return response


@router.post("/auth/logout", status_code=204, summary="退出登录")
def logout(
    request: Request, _: Principal = Depends(current_user), desk: Desk = Depends(get_desk)
) -> Response:
    response = Response(status_code=204)
    end_session(request, response, desk)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        accounts.logout(desk.uow(), header[7:].strip())
    return response


@router.get("/auth/me", summary="当前用户")
def me(principal: Principal = Depends(current_user)) -> dict[str, Any]:
    return {**principal.to_dict(), "csrf_token": principal.csrf_token}


@router.get("/users", summary="用户列表（admin, manager）")
def list_users(
    _: Principal = Depends(require(Permission.READ_STAFF)), desk: Desk = Depends(get_desk)
) -> dict[str, Any]:
    return {"items": [accounts.user_view(u) for u in users.list_users(desk.uow())]}


@router.post("/users", status_code=201, summary="新建用户（admin）")
def create_user(
    body: UserIn,
    request: Request,
    principal: Principal = Depends(require(Permission.EDIT_STAFF)),
    desk: Desk = Depends(get_desk),
    idempotency_key: str | None = IdempotencyKey,
) -> JSONResponse:
    def work() -> tuple[int, Any]:
        user = accounts.create_user(
            desk.uow(),
            body.username,
            body.display_name,
            body.role,
            body.team,
            body.password,
            principal.username,
        )
        return 201, accounts.user_view(user)

    def payload() -> Any:
        return body.model_dump(mode="json", exclude={"password"})

    return run_idempotent(desk, request, principal.username, idempotency_key, payload, work)


@router.put("/users/{username}/password", status_code=204, summary="设置密码（admin，或本人）")
def set_password(
    body: PasswordIn,
    request: Request,
    username: str = Path(..., max_length=64),
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> Response:
    if not permissions.may_set_password(principal, username):
        from complaintdesk.domain.errors import PermissionDenied

        raise PermissionDenied("只能修改自己的密码", field="username")
    accounts.set_password(
        desk.uow(), username, body.password, principal.username, current_password=body.current_password
    )
    forget_credentials(request)
    return Response(status_code=204)


@router.post("/users/{username}/unlock", summary="解除登录锁定（admin）")
def unlock_user(
    username: str = Path(..., max_length=64),
    principal: Principal = Depends(require(Permission.EDIT_STAFF)),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    lifted = accounts.unlock_user(desk.uow(), username, principal.username)
    return {"username": username, "locks_lifted": lifted}
