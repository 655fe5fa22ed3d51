"""The rules page: every rule the policy engine applies, pack by pack, each with its source (law and
article, or company document), its date and its text, so an agent can read what a verdict cites."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from complaintdesk.services import casework
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import page_context, page_user
from complaintdesk.web.render import render

router = APIRouter()


@router.get("/rules", response_class=HTMLResponse, include_in_schema=False)
def rules_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    rules = casework.rule_packs()
    ordered = sorted(rules, key=lambda r: (r["pack_kind"] != "statutory", r["pack"]))
    packs = [(pack, list(items)) for pack, items in groupby(ordered, key=lambda r: r["pack"])]
    context = page_context(request, user, packs=packs, nav="rules")
    return render(request, "rules.html", context)
