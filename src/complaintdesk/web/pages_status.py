"""The customer's status page, ``/t/{token}``: no sign-in (the token is the credential), rate limited
per client address, zh-CN first (``?lang=en`` for English). Routes parse, call one service, map errors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError, NotFound, WorkflowViolation
from complaintdesk.services import status_page
from complaintdesk.web.deps import get_desk, refuse_nul
from complaintdesk.web.rate_limit import RateLimiter
from complaintdesk.web.render import render

router = APIRouter()

# Reads: generous for a customer reloading the page, far too few to walk 256-bit tokens anyway.
READS = RateLimiter(limit=60, window_seconds=60)
# Writes: a customer writes a few messages; a flood of them is refused.
WRITES = RateLimiter(limit=10, window_seconds=600)
_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _page(request: Request, token: str, *, error: str | None = None, flash: str | None = None,
          status_code: int = 200) -> HTMLResponse:  # fmt: skip
    try:
        view = status_page.customer_view(get_desk(request).uow(), token)
    except NotFound:
        return render(request, "status_gone.html", {}, status_code=404, headers=_NO_STORE)
    context: dict[str, Any] = {"s": view, "token": token, "error": error, "flash": flash}
    return render(request, "status.html", context, status_code=status_code, headers=_NO_STORE)


def _limited(request: Request) -> HTMLResponse:
    headers = {**_NO_STORE, "Retry-After": "60"}
    return render(request, "status_gone.html", {"limited": True}, status_code=429, headers=headers)


@router.get("/t/{token}", response_class=HTMLResponse, include_in_schema=False)
def status(token: str, request: Request) -> HTMLResponse:
    if not READS.allow(_client(request)):
        return _limited(request)
    return _page(request, token, flash=request.query_params.get("done"))


async def _form(request: Request) -> dict[str, str]:
    return refuse_nul({k: v for k, v in (await request.form()).items() if isinstance(v, str)})


def _customer_error(exc: ComplaintDeskError) -> str:
    # The domain's guard speaks to staff; the customer is told what it means for them.
    if isinstance(exc, WorkflowViolation):
        return "status.error.not_now"
    return exc.message


@router.post("/t/{token}/{action}", include_in_schema=False)
async def act(token: str, action: str, request: Request) -> Response:
    if action not in ("message", "signoff"):
        return _page(request, token, status_code=404)
    if not WRITES.allow(f"{_client(request)}|{token}") or not READS.allow(_client(request)):
        return _limited(request)
    desk = get_desk(request)
    try:
        form = await _form(request)
        if action == "message":
            status_page.customer_message(desk.uow(), token, form.get("body", ""))
        else:
            satisfied = form.get("satisfied") == "yes"
            status_page.customer_sign_off(desk.uow(), token, satisfied, form.get("reason", "").strip() or None)
    except NotFound:
        return render(request, "status_gone.html", {}, status_code=404, headers=_NO_STORE)
    except ComplaintDeskError as exc:
        return _page(request, token, error=_customer_error(exc), status_code=exc.http_status)
    return RedirectResponse(f"/t/{token}?done={action}", status_code=303)
