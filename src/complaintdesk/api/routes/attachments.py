"""Attachments: multipart upload (size-limited, content type checked, SHA-256 stored) and download
(verified against its SHA-256 on every read; served as a download, never rendered inline)."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import Response

from complaintdesk.api import access
from complaintdesk.api.common import IdempotencyKey, IfMatch, expected_version, run_idempotent
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.http.auth import get_desk
from complaintdesk.http.downloads import attachment_response
from complaintdesk.services import attachments
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk

router = APIRouter(tags=["attachments 附件"], route_class=DispatchingRoute)


@router.post("/complaints/{number}/attachments", status_code=201, summary="上传附件（录音、照片、发票）")
def upload(
    request: Request,
    number: str = Path(..., max_length=24),
    file: UploadFile = File(..., description="文件"),
    version: int | None = Form(None, ge=1, le=2**31 - 1),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
    idempotency_key: str | None = IdempotencyKey,
) -> JSONResponse:
    expected = expected_version(if_match, version)
    limit = desk.settings.attachment_max_bytes
    content = file.file.read(limit + 1)  # never more than the limit into memory; the service refuses more
    filename = file.filename or "attachment"

    def work() -> tuple[int, Any]:
        detail = attachments.add_attachment(
            desk.uow(),
            number,
            filename,
            content,
            principal.username,
            content_type=file.content_type,
            expected_version=expected,
        )
        return 201, detail

    def fingerprint() -> dict[str, Any]:
        return {"filename": filename, "sha256": hashlib.sha256(content).hexdigest(), "version": expected}

    return run_idempotent(desk, request, principal.username, idempotency_key, fingerprint, work)


@router.get("/complaints/{number}/attachments/{sha256}", summary="下载附件（校验 SHA-256）")
def download(
    number: str = Path(..., max_length=24),
    sha256: str = Path(..., pattern=r"^[0-9a-f]{64}$"),
    _: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> Response:
    return attachment_response(attachments.read_attachment(desk.uow(), number, sha256))
