"""Bulk data: every complaint exported as CSV (the importer's columns first) or JSON Lines, streamed;
and a CSV or XLSX file imported all or nothing (a bad row writes nothing; the error names row and
column)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from complaintdesk.api import access
from complaintdesk.api.auth import get_desk, require
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.services import exporter, importer
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission

router = APIRouter(tags=["data 导入导出"], route_class=DispatchingRoute)

CHUNK_CHARS = 32_768  # characters per piece of a streamed export (up to about 96 KB of UTF-8)
MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def export_response(desk: Desk, fmt: str, reveal_phone: bool) -> StreamingResponse:
    """The export as a download; the CSV starts with a BOM so Excel reads it as UTF-8."""
    chunks = exporter.iter_export(desk.uow(), fmt, reveal_phone=reveal_phone)
    first = next(chunks, "")  # a bad format is refused here, before the response starts

    def body() -> Iterator[bytes]:
        # Sent in pieces of about 64 KB, not a line at a time: each piece is one hop to a handler
        # thread and back, and a line per hop kept the server's few threads busy for a large export.
        pending, size = [("\ufeff" if fmt == "csv" else "") + first], 0
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= CHUNK_CHARS:
                yield "".join(pending).encode()
                pending, size = [], 0
        yield "".join(pending).encode()

    name = f"complaints-{datetime.now(UTC):%Y%m%d}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"}
    return StreamingResponse(body(), media_type=MEDIA[fmt], headers=headers)


_EXPORT_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
}


@router.get(
    "/exports/complaints",
    summary="导出全部投诉单 (csv 或 jsonl;manager, admin, auditor)",
    response_class=StreamingResponse,
    responses={200: {"description": "CSV (UTF-8 带 BOM) 或 JSON Lines,作为下载", "content": _EXPORT_CONTENT}},
)
def export_complaints(
    format: str = Query("csv", pattern="^(csv|jsonl)$", description="csv (可再导入) 或 jsonl (完整记录)"),
    principal: Principal = Depends(require(Permission.EXPORT_DATA)),
    desk: Desk = Depends(get_desk),
) -> StreamingResponse:
    return export_response(desk, format, access.reveal_phone(principal))


@router.post("/imports/complaints", status_code=201, summary="导入投诉单 (CSV/XLSX,全部或全不;manager, admin)")
async def import_complaints(
    file: UploadFile = File(..., description="CSV (UTF-8 或 GBK) 或 XLSX"),
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
