"""The playbook page: the expertise the assist panel draws on, as data a centre edits — the seven stages
and their actions, the customer types and their tactics, the handling techniques, threats and what each
calls for, the chronic complainer's treatment, and what never to say — each with its seed source."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from complaintdesk.services import casework
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import page_context, page_user
from complaintdesk.web.render import render

router = APIRouter()


def _entries(section: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The keyed entries of a section; list-valued settings (``proud_types`` …) are not entries."""
    return [(key, value) for key, value in section.items() if isinstance(value, dict)]


@router.get("/playbook", response_class=HTMLResponse, include_in_schema=False)
def playbook_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    data = casework.playbook_files()
    book, tactics = data.get("playbook.yaml") or {}, data.get("tactics.yaml") or {}
    avoid = tactics.get("avoid") or {}
    context = page_context(
        request, user,
        stages=_entries(book.get("stages") or {}),
        types=_entries(tactics.get("customer_types") or {}),
        techniques=_entries(book.get("techniques") or {}),
        threats=_entries(tactics.get("threats") or {}),
        chronic=(tactics.get("chronic") or {}).get("actions") or [],
        avoid=[(group, items) for group, items in avoid.items() if isinstance(items, list)],
        nav="rules",
    )  # fmt: skip
    return render(request, "playbook.html", context)
