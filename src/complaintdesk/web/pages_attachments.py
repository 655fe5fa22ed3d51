"""Attachments on the complaint page: upload (size-limited, type checked, stored by SHA-256) and download
(checked against its SHA-256 on every read, served as a download, never rendered inline). Registered
before the complaint page's form actions, whose route would otherwise take the upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from complaintdesk.domain.errors import ComplaintDeskError, InvalidInput, PreconditionRequired
from complaintdesk.http.downloads import attachment_response
from complaintdesk.services import attachments
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import get_desk, page_user
from complaintdesk.web.pages_complaint import refusal, show

router = APIRouter()


@router.post("/complaints/{number}/attachments", include_in_schema=False)
async def upload(number: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    refused = refusal(request, user, number, write=True)
    if refused is not None:
        return refused
    desk = get_desk(request)
    form = await request.form()
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput("请选择要上传的文件", field="file")
        limit = desk.settings.attachment_max_bytes
        content = await upload.read(limit + 1)  # never more than the limit into memory; the service refuses more
        version = str(form.get("version") or "")
        if not version.isdigit() or len(version) > 10:
            # As the API: an upload based on no known version of the complaint would skip the stale check.
            raise PreconditionRequired("上传附件须带上页面读取时的版本号，请刷新页面后重试", field="version")
        attachments.add_attachment(
            desk.uow(), number, upload.filename, content, user.username, content_type=upload.content_type,
            expected_version=int(version),
        )  # fmt: skip
    except ComplaintDeskError as exc:
        return show(request, user, number, error=exc.message, status_code=exc.http_status, draft_action="attachment")
    return RedirectResponse(f"/complaints/{number}?done=attachment#attachments", status_code=303)


@router.get("/complaints/{number}/attachments/{sha256}", include_in_schema=False)
def download(number: str, sha256: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    refused = refusal(request, user, number, write=False)
    if refused is not None:
        return refused
    try:
        stored = attachments.read_attachment(get_desk(request).uow(), number, sha256)
    except ComplaintDeskError as exc:
        return show(request, user, number, error=exc.message, status_code=exc.http_status)
    return attachment_response(stored)
