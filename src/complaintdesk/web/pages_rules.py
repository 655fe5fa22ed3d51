"""The rules page: every rule the policy engine applies, pack by pack, each with its source (law and
article, or company document), its date and its text, so an agent can read what a verdict cites."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import page_context, page_user
from complaintdesk.web.panels import engine
from complaintdesk.web.render import render

router = APIRouter()


@router.get("/rules", response_class=HTMLResponse, include_in_schema=False)
def rules_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    list_rules = engine("complaintdesk.policy", "list_rules")  # absent when the policy engine is not installed
    rules = [r.to_dict() for r in list_rules()] if list_rules is not None else []
    ordered = sorted(rules, key=lambda r: (r["pack_kind"] != "statutory", r["pack"]))
    packs = [(pack, list(items)) for pack, items in groupby(ordered, key=lambda r: r["pack"])]
    context = page_context(request, user, packs=packs, installed=list_rules is not None, nav="rules")
    return render(request, "rules.html", context)
