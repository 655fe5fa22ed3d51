"""The data page: every complaint exported (CSV that imports again, or JSON Lines) for managers, admins
and auditors; a CSV or XLSX file imported all or nothing by managers and admins, a rejected file's
errors listed by row and column."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from complaintdesk.domain.errors import ComplaintDeskError, InvalidInput
from complaintdesk.http.downloads import export_response
from complaintdesk.services import importer
from complaintdesk.services.importer import ImportRejected
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user
from complaintdesk.web.render import render

router = APIRouter()


def _page(request: Request, user: WebUser, *, status_code: int = 200, **extra: object) -> HTMLResponse:
    context = page_context(request, user, can_import=user.imports_data, nav="data", **extra)
    return render(request, "data.html", context, status_code=status_code)


@router.get("/data", response_class=HTMLResponse, include_in_schema=False)
def data_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    if not user.exports_data:
        return forbidden(request, user, "forbidden.data")
    return _page(request, user)


@router.get("/data/complaints.{fmt}", include_in_schema=False)
def download(fmt: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.exports_data:
        return forbidden(request, user, "forbidden.data")
    try:
        return export_response(get_desk(request), fmt, user.sees_full_phone)
    except ComplaintDeskError as exc:
        return _page(request, user, error=exc.message, status_code=exc.http_status)


@router.post("/data/import", include_in_schema=False)
async def upload(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.imports_data:
        return forbidden(request, user, "forbidden.data_import")
    form = await request.form()
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput("请选择要导入的文件", field="file")
        content = await upload.read(importer.MAX_BYTES + 1)  # never more into memory; the service refuses more
        analyse = form.get("analyse") == "yes"
        # On a thread: an import takes seconds to minutes, and this handler runs on the event loop.
        result = await run_in_threadpool(
            importer.import_upload, get_desk(request).uow(), upload.filename, content, user.username, analyse=analyse
        )
    except ImportRejected as exc:
        rows = [str(error) for error in exc.errors]
        return _page(request, user, error=rows[0] if len(rows) == 1 else exc.message.splitlines()[0],
                     row_errors=rows, status_code=exc.http_status)  # fmt: skip
    except ComplaintDeskError as exc:
        return _page(request, user, error=exc.message, status_code=exc.http_status)
    return _page(request, user, imported=result, status_code=201)
