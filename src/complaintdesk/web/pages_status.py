"""The customer's status page, ``/t/{token}``: no sign-in (the token is the credential), rate limited
per client address, zh-CN first (``?lang=en`` for English). Routes parse, call one service, map errors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from complaintdesk.domain.errors import (
    ComplaintDeskError,
    InputTooLarge,
    InvalidInput,
    NotFound,
    WorkflowViolation,
)
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
          status_code: int = 200, error_args: dict[str, Any] | None = None) -> HTMLResponse:  # fmt: skip
    try:
        view = status_page.customer_view(get_desk(request).uow(), token)
    except NotFound:
        return render(request, "status_gone.html", {}, status_code=404, headers=_NO_STORE)
    context: dict[str, Any] = {
        "s": view, "token": token, "error": error, "error_args": error_args or {}, "flash": flash,
        "max_mb": get_desk(request).settings.attachment_max_bytes // 1024 // 1024,
    }  # fmt: skip
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
    if isinstance(exc, InputTooLarge):
        return "status.error.file_size"
    if exc.field == "content_type":
        return "status.error.file_type"
    if exc.field == "file":
        return "status.error.file_missing"
    return exc.message


@router.post("/t/{token}/{action}", include_in_schema=False)
async def act(token: str, action: str, request: Request) -> Response:
    if action not in ("message", "signoff", "upload"):
        return _page(request, token, status_code=404)
    if not WRITES.allow(f"{_client(request)}|{token}") or not READS.allow(_client(request)):
        return _limited(request)
    desk = get_desk(request)
    try:
        if action == "upload":
            await _upload(request, token)
            return RedirectResponse(f"/t/{token}?done=upload", status_code=303)
        form = await _form(request)
        if action == "message":
            status_page.customer_message(desk.uow(), token, form.get("body", ""))
        else:
            satisfied = form.get("satisfied") == "yes"
            status_page.customer_sign_off(desk.uow(), token, satisfied, form.get("reason", "").strip() or None)
    except NotFound:
        return render(request, "status_gone.html", {}, status_code=404, headers=_NO_STORE)
    except ComplaintDeskError as exc:
        key = _customer_error(exc)
        return _page(request, token, error=key, status_code=exc.http_status, error_args=_error_args(request, key))
    return RedirectResponse(f"/t/{token}?done={action}", status_code=303)


def _error_args(request: Request, key: str) -> dict[str, Any]:
    if key == "status.error.file_size":
        return {"mb": get_desk(request).settings.attachment_max_bytes // 1024 // 1024}
    return {}


async def _upload(request: Request, token: str) -> None:
    """The customer's file: read no further than the agents' limit, then the same checks as theirs."""
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("请选择要上传的文件", field="file")
    limit = get_desk(request).settings.attachment_max_bytes
    content = await upload.read(limit + 1)  # never more than the limit into memory; the service refuses more
    status_page.customer_upload(get_desk(request).uow(), token, upload.filename, content, upload.content_type)
