"""The customer page: who the customer is and every complaint of theirs the user may see, so an agent
taking a call knows at once whether this is the third complaint about the same television."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from complaintdesk.domain.errors import NotFound
from complaintdesk.services import customers, queue
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import get_desk, page_context, page_user
from complaintdesk.web.render import render

router = APIRouter()


def history_totals(customer: dict[str, Any]) -> dict[str, int]:
    """The counts a handler looks at first: how many, how many still open, repeats, escalations."""
    complaints = customer["complaints"]
    return {
        "total": customer["complaint_count"],
        "open": customer["open_complaints"],
        "closed": customer["complaint_count"] - customer["open_complaints"],
        "repeat": customer["repeat_complaints"],
        "escalated": sum(1 for c in complaints if c["escalation_level"]),
    }


@router.get("/customers/{customer_id}", response_class=HTMLResponse, include_in_schema=False)
def customer_page(customer_id: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    desk = get_desk(request)
    owners = queue.visible_owners(desk.uow(), user)
    try:
        wanted = int(customer_id)
        if not 1 <= wanted <= 2**31 - 1:
            raise ValueError(customer_id)
        customer = customers.get_customer(desk.uow(), wanted, owners=owners, reveal_phone=user.sees_full_phone)
    except (ValueError, NotFound):
        context = page_context(request, user, number=customer_id, what="customer")
        return render(request, "not_found.html", context, status_code=404)
    context = page_context(
        request, user, customer=customer, totals=history_totals(customer), nav="queue"
    )
    return render(request, "customer.html", context)
