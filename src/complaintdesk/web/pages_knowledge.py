"""The knowledge page (admins): every knowledge file in force and where it came from (the centre's
directory or the packaged default), files in the directory nothing reads, and a reload button that
validates the directory and has every server worker load it again without a restart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk import knowledge
from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user
from complaintdesk.web.render import render

router = APIRouter()


def _page(request: Request, user: WebUser, *, error: str | None = None, error_field: str | None = None,
          flash: str | None = None, status_code: int = 200) -> HTMLResponse:  # fmt: skip
    report = knowledge.report()
    context = page_context(request, user, report=report, error=error, error_field=error_field, flash=flash,
                           nav="knowledge")  # fmt: skip
    return render(request, "knowledge.html", context, status_code=status_code)


@router.get("/knowledge", response_class=HTMLResponse, include_in_schema=False)
def knowledge_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    if not user.manages_knowledge:
        return forbidden(request, user, "forbidden.knowledge")
    done = request.query_params.get("done")
    return _page(request, user, flash=done if done == "knowledge_reloaded" else None)


@router.post("/knowledge/reload", include_in_schema=False)
def reload(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.manages_knowledge:
        return forbidden(request, user, "forbidden.knowledge")
    try:
        knowledge.request_reload(get_desk(request).settings)
    except ComplaintDeskError as exc:  # a broken file: named, and the knowledge in force stays
        return _page(request, user, error=exc.message, error_field=exc.field, status_code=422)
    return RedirectResponse("/knowledge?done=knowledge_reloaded", status_code=303)
