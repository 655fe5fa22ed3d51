"""The queue page: my, my team's or every open complaint, filtered, counted per view (the presets and
the user's own saved views), a page at a time (earliest due first), and a lead's bulk reassignment of
the ticked rows or of an absent agent's. Saving, renaming and deleting a view are forms here too."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.domain.vocab import Category, Channel, Stage
from complaintdesk.services import owners, queue, reassign, saved_views, users
from complaintdesk.services.permissions import Permission
from complaintdesk.services.queue import SLA_STATES
from complaintdesk.services.queue_filters import FILTER_NAMES, SCOPES
from complaintdesk.web import queue_form
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import get_desk, page_context, page_user, refuse_nul
from complaintdesk.web.render import render

router = APIRouter()


def _tabs(user: WebUser) -> tuple[str, ...]:
    return ("mine", "team", "all") if user.sees_all_teams else ("mine", "team")


def _queue_page(
    request: Request,
    user: WebUser,
    scope: str,
    params: dict[str, str],
    flags: list[str],
    *,
    notice: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    desk = get_desk(request)
    tabs = _tabs(user)
    scope = scope if scope in tabs else "mine"
    partial = bool(request.headers.get("HX-Request"))  # the filter form and the refresh: the list only
    error, page, query = None, None, None
    try:
        query = queue_form.query_of(
            scope,
            params,
            flags,
            type_min_score=desk.settings.queue_type_min_score,
            cursor=params.get("cursor"),
            with_total=partial,  # the whole page counts its total with its views, in one pass
        )
        page = queue.list_queue(desk.uow(), query, viewer=user)
    except ComplaintDeskError as exc:
        error, status_code = exc, exc.http_status
    context: dict[str, Any] = {
        "nav": "queue",
        "scope": scope,
        "tabs": tabs,
        "params": params,
        "flags": flags,
        "order": params.get("order") or "due",
        "page": page,
        "rows": page.items if page else [],
        "queue_error": error,
        "notice": notice,
        "href": lambda **changes: queue_form.href(scope, params, flags, **changes),
        "bulk": user.may(Permission.REASSIGN_IN_BULK),
    }
    if partial:
        context["oob"] = True  # and the filters the "save as my view" form sends
        return render(
            request, "queue_table.html", page_context(request, user, **context), status_code=status_code
        )
    uow = desk.uow()
    mine = saved_views.views_of(uow, user.username)
    counted = [
        *([query] if page is not None and query is not None else []),
        *(queue_form.view_query(scope, view) for view in queue_form.VIEWS),
        *(queue.QueueQuery(scope=SCOPES[tab], open_only=True) for tab in tabs),
        *(q for q in (saved_views.query_of(v) for v in mine) if q is not None),
    ]
    counts = iter(queue.count_many(uow, counted, viewer=user))
    if page is not None:
        context["page"] = replace(page, total=next(counts))
    context["views"] = [(view, queue_form.view_href(scope, view), next(counts)) for view in queue_form.VIEWS]
    context["tab_counts"] = {tab: next(counts) for tab in tabs}
    context["current_view"] = queue_form.active_view(params, flags)
    current = queue_form.current_pairs(scope, params, flags)
    context["saved_views"] = [
        (
            view,
            next(counts) if saved_views.query_of(view) is not None else 0,
            current == queue_form.current_pairs(view.scope, dict(view.pairs), view.flags),
        )
        for view in mine
    ]
    staff = users.list_users(uow)
    context["choices"] = {
        "stage": [s.value for s in Stage if s is not Stage.CLOSED],
        "sla": list(SLA_STATES),
        "category": [c.value for c in Category],
        "channel": [c.value for c in Channel],
        "team": sorted({u.team for u in staff if u.team}),
        "owner": sorted(u.username for u in staff if u.active),
    }
    if context["bulk"]:
        context["assignable"] = owners.assignable_owners(uow, user.username)
    return render(request, "queue.html", page_context(request, user, **context), status_code=status_code)


def _params(request: Request) -> tuple[dict[str, str], list[str]]:
    query = request.query_params
    params = {k: v for k, v in query.items() if k in (*FILTER_NAMES, "cursor")}
    return params, query.getlist("flag")


@router.get("/queue", response_class=HTMLResponse, include_in_schema=False)
def queue_page(
    request: Request, user: Annotated[WebUser, Depends(page_user)], scope: str = "mine"
) -> HTMLResponse:
    params, flags = _params(request)
    return _queue_page(request, user, scope, params, flags)


@router.post("/queue/reassign", response_class=HTMLResponse, include_in_schema=False)
async def reassign_in_bulk(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    """A lead's bulk transfer; the queue again, with what moved and each refusal."""
    form = await request.form()
    fields = refuse_nul({k: v for k, v in form.items() if isinstance(v, str)})
    ticked = tuple(v for v in form.getlist("number") if isinstance(v, str) and v)
    request_ = reassign.Reassignment(
        to_owner=fields.get("to_owner", ""),
        reason=fields.get("reason", ""),
        numbers=ticked if fields.get("mode") != "owner" else (),
        from_owner=(fields.get("from_owner") or None) if fields.get("mode") == "owner" else None,
    )
    params, flags = _params(request)
    scope = fields.get("scope", "team")
    try:
        result = reassign.reassign(get_desk(request).uow(), user, request_)
    except ComplaintDeskError as exc:
        return _queue_page(
            request, user, scope, params, flags, notice={"error": exc}, status_code=exc.http_status
        )
    return _queue_page(
        request, user, scope, params, flags, notice={"result": result, "to": request_.to_owner}
    )


@router.post("/queue/views", response_class=HTMLResponse, include_in_schema=False)
async def save_view(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    """Save the filters the page shows under a name; the queue then opens on that view."""
    form = await request.form()
    fields = refuse_nul({k: v for k, v in form.items() if isinstance(v, str)})
    flags = [v for v in form.getlist("flag") if isinstance(v, str) and v]
    scope = fields.get("scope", "mine")
    filters: dict[str, object] = {k: v for k, v in fields.items() if k in FILTER_NAMES and v}
    if flags:
        filters["flag"] = flags
    try:
        view = saved_views.create(get_desk(request).uow(), user.username, fields.get("name", ""), scope, filters)
    except ComplaintDeskError as exc:
        params = {k: v for k, v in fields.items() if k in FILTER_NAMES}
        return _queue_page(
            request, user, scope, params, flags, notice={"error": exc}, status_code=exc.http_status
        )
    return RedirectResponse(view.href, status_code=303)


async def _view_form(request: Request) -> dict[str, str]:
    form = await request.form()
    return refuse_nul({k: v for k, v in form.items() if isinstance(v, str)})


@router.post("/queue/views/{view_id}/rename", response_class=HTMLResponse, include_in_schema=False)
async def rename_view(
    request: Request,
    user: Annotated[WebUser, Depends(page_user)],
    view_id: int = Path(..., ge=1, le=2**31 - 1),
) -> Response:
    fields = await _view_form(request)
    try:
        view = saved_views.rename(get_desk(request).uow(), user.username, view_id, fields.get("name", ""))
    except ComplaintDeskError as exc:
        return _queue_page(request, user, "mine", {}, [], notice={"error": exc}, status_code=exc.http_status)
    return RedirectResponse(view.href, status_code=303)


@router.post("/queue/views/{view_id}/delete", response_class=HTMLResponse, include_in_schema=False)
async def delete_view(
    request: Request,
    user: Annotated[WebUser, Depends(page_user)],
    view_id: int = Path(..., ge=1, le=2**31 - 1),
) -> Response:
    await _view_form(request)
    try:
        view = saved_views.remove(get_desk(request).uow(), user.username, view_id)
    except ComplaintDeskError as exc:
        return _queue_page(request, user, "mine", {}, [], notice={"error": exc}, status_code=exc.http_status)
    return RedirectResponse(f"/queue?scope={view.scope}", status_code=303)
