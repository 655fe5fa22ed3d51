"""The centre's knowledge directory (admins): what is loaded and from where, and a reload that takes
effect in every server worker without a restart (docs/knowledge.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from complaintdesk import knowledge
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.domain.errors import ConfigurationError, InvalidInput
from complaintdesk.http.auth import get_desk, require
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

router = APIRouter(tags=["admin 管理"], route_class=DispatchingRoute)
admin = require(Permission.MANAGE_KNOWLEDGE)


@router.get("/admin/knowledge", summary="已加载的知识：每个文件来自中心目录还是内置默认")
def loaded(_: Principal = Depends(admin)) -> dict[str, Any]:
    return knowledge.report().to_dict()


@router.post("/admin/knowledge/reload", summary="校验并重新加载中心知识目录（所有工作进程，无需重启）")
def reload(_: Principal = Depends(admin), desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    try:
        return knowledge.request_reload(desk.settings).to_dict()
    except ConfigurationError as exc:  # the centre's file is wrong, not the server: nothing was changed
        raise InvalidInput(f"知识目录有误，未重新加载：{exc.message}", field=exc.field) from None
