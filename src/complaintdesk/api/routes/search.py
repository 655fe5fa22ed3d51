"""Full-text search over title, description and messages (Chinese, traditional or simplified)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from complaintdesk.api import access
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.http.auth import current_user, get_desk
from complaintdesk.services import search
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk

router = APIRouter(tags=["search 搜索"], route_class=DispatchingRoute)


@router.get("/search", summary="全文搜索：多个词以空格分隔（须全部出现），繁简通搜，可搜词的一部分")
def search_complaints(
    q: str = Query(..., max_length=search.MAX_QUERY, description="例如：宽带 退款 或 寬帶"),
    limit: int = Query(20, ge=1, le=100),
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    hits = search.search_text(desk.uow(), q, owners=access.visible_owners(desk, principal), limit=limit)
    return {"query": q, "items": [h.to_dict() for h in hits]}
