"""Bulk data: every complaint exported as CSV (the importer's columns first) or JSON Lines, streamed;
and a CSV or XLSX file imported all or nothing (a bad row writes nothing; the error names row and
column)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from complaintdesk.api import access
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.http.auth import get_desk, require
from complaintdesk.http.downloads import export_response
from complaintdesk.services import importer
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

router = APIRouter(tags=["data 导入导出"], route_class=DispatchingRoute)

_EXPORT_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
}


@router.get(
    "/exports/complaints",
    summary="导出全部投诉单（csv 或 jsonl;manager, admin, auditor）",
    response_class=StreamingResponse,
    responses={200: {"description": "CSV（UTF-8 带 BOM）或 JSON Lines，作为下载", "content": _EXPORT_CONTENT}},
)
def export_complaints(
    format: str = Query("csv", pattern="^(csv|jsonl)$", description="csv（可再导入）或 jsonl（完整记录）"),
    principal: Principal = Depends(require(Permission.EXPORT_DATA)),
    desk: Desk = Depends(get_desk),
) -> StreamingResponse:
    return export_response(desk, format, access.reveal_phone(principal))


@router.post("/imports/complaints", status_code=201, summary="导入投诉单（CSV/XLSX，全部或全不；manager, admin）")
async def import_complaints(
    file: UploadFile = File(..., description="CSV（UTF-8 或 GBK）或 XLSX"),
    analyse: bool = Form(True, description="导入时运行文本分析"),
    principal: Principal = Depends(require(Permission.IMPORT_DATA)),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    content = await file.read(importer.MAX_BYTES + 1)  # never more than the limit into memory; the service refuses more
    # Always on a thread, also where handlers run on the event loop (COMPLAINTDESK_API_THREADS=0): an
    # import takes seconds to minutes, and would hold up every other request of this worker.
    result = await run_in_threadpool(
        importer.import_upload, desk.uow(), file.filename or "", content, principal.username, analyse=analyse
    )
    body: dict[str, Any] = {"imported": result.imported, "numbers": result.numbers, "encoding": result.encoding}
    return JSONResponse(body, status_code=201)
