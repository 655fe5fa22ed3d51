"""The webhooks page (admins, as on the API): subscriptions per event type, the signing secret shown
once at creation, deactivation, and each subscription's delivery log (status, attempts, errors)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError, NotFound
from complaintdesk.services import webhooks
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user, refuse_nul
from complaintdesk.web.render import render

router = APIRouter()


def _page(
    request: Request, user: WebUser, *, created: dict[str, Any] | None = None, form: dict[str, Any] | None = None,
    error: str | None = None, error_field: str | None = None, flash: str | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    context = page_context(
        request, user, subscriptions=webhooks.list_subscriptions(get_desk(request).uow()),
        events=webhooks.EVENTS, created=created, form=form or {"events": []}, error=error,
        error_field=error_field, flash=flash, nav="webhooks",
    )  # fmt: skip
    return render(request, "webhooks.html", context, status_code=status_code)


@router.get("/webhooks", response_class=HTMLResponse, include_in_schema=False)
def webhooks_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    if not user.manages_webhooks:
        return forbidden(request, user, "forbidden.webhooks")
    done = request.query_params.get("done")
    return _page(request, user, flash=done if done == "webhook_removed" else None)


@router.post("/webhooks", include_in_schema=False)
async def subscribe(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.manages_webhooks:
        return forbidden(request, user, "forbidden.webhooks")
    raw = await request.form()
    url = str(raw.get("url") or "").strip()
    events = [str(e) for e in raw.getlist("events")]
    try:
        refuse_nul({"url": url, "events": "".join(events)})
        created = webhooks.subscribe(get_desk(request).uow(), url, events, user.username)
    except ComplaintDeskError as exc:
        return _page(request, user, form={"url": url, "events": events}, error=exc.message,
                     error_field=exc.field, status_code=exc.http_status)  # fmt: skip
    # Rendered, not redirected: the secret is shown this once and must not land in a URL or a log.
    return _page(request, user, created=created, status_code=201)


@router.post("/webhooks/{subscription_id}/remove", include_in_schema=False)
async def unsubscribe(subscription_id: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.manages_webhooks:
        return forbidden(request, user, "forbidden.webhooks")
    try:
        if not subscription_id.isdigit() or not 1 <= int(subscription_id) <= 2**31 - 1:
            raise NotFound(f"订阅 {subscription_id} 不存在", field="id")
        webhooks.unsubscribe(get_desk(request).uow(), int(subscription_id), user.username)
    except ComplaintDeskError as exc:
        return _page(request, user, error=exc.message, error_field=exc.field, status_code=exc.http_status)
    return RedirectResponse("/webhooks?done=webhook_removed", status_code=303)


@router.get("/webhooks/{subscription_id}", response_class=HTMLResponse, include_in_schema=False)
def delivery_log(subscription_id: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    if not user.manages_webhooks:
        return forbidden(request, user, "forbidden.webhooks")
    desk = get_desk(request)
    found = [s for s in webhooks.list_subscriptions(desk.uow()) if str(s["id"]) == subscription_id]
    if not found:
        return render(request, "not_found.html", page_context(request, user, number=subscription_id,
                                                              what="webhook"), status_code=404)  # fmt: skip
    log = webhooks.deliveries(desk.uow(), found[0]["id"])
    context = page_context(request, user, subscription=found[0], log=log, nav="webhooks")
    return render(request, "webhook_log.html", context)
