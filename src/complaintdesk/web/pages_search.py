"""Search page: Chinese full-text search over title, description and messages, closed complaints
included, limited to what the signed-in user may see (the same rule as the queue)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services import customers, queue, search
from complaintdesk.services.bootstrap import Desk
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import get_desk, page_context, page_user
from complaintdesk.web.highlight import mark_matches
from complaintdesk.web.render import render

router = APIRouter()

RESULTS = 50


def _customers_on_the_line(desk: Desk, q: str, user: WebUser) -> list[dict[str, Any]]:
    """A query that is a phone number also finds the customers on that line (a caller's number)."""
    try:
        return customers.find_by_phone(
            desk.uow(), q, owners=queue.visible_owners(desk.uow(), user), reveal_phone=user.sees_full_phone
        )
    except InvalidInput:
        return []  # not a phone number


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, user: Annotated[WebUser, Depends(page_user)], q: str = "") -> HTMLResponse:
    desk = get_desk(request)
    owners = queue.visible_owners(desk.uow(), user)
    context = page_context(request, user, q=q, hits=[], customers=[], searched=False, nav="search")
    if not q.strip():
        return render(request, "search.html", context)  # the empty form: nothing asked yet
    context["customers"] = _customers_on_the_line(desk, q, user)
    try:
        hits = search.search_text(desk.uow(), q, owners=owners, limit=RESULTS)
    except InvalidInput as exc:
        context.update(error=exc.message, error_field=exc.field)
        return render(request, "search.html", context, status_code=exc.http_status)
    context["searched"] = True
    context["hits"] = [(hit, mark_matches(hit.snippet, hit.matches)) for hit in hits]
    return render(request, "search.html", context)
