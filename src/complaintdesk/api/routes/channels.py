"""Reaching the customer: the status-page link of a complaint (get, revoke), its outgoing mail and SMS,
the SMS preview (segments) and the customer's SMS opt-out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from pydantic import AfterValidator, Field

from complaintdesk.api import access
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.api.schemas import Body, no_nul
from complaintdesk.http.auth import get_desk
from complaintdesk.services import mail_outbox, sms_outbox, status_links
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk

router = APIRouter(prefix="/complaints", tags=["channels 客户触达"], route_class=DispatchingRoute)


@router.get("/{number}/status-link", summary="客户进度页链接（没有有效链接时生成一个；作废前始终相同）")
def get_status_link(
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    link = status_links.issue_link(desk.uow(), number, principal.username)
    body: dict[str, Any] = {"number": number, **link.to_dict()}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.delete("/{number}/status-link", status_code=204, summary="作废客户进度页链接")
def revoke_status_link(
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
) -> Response:
    status_links.revoke_link(desk.uow(), number, principal.username)
    return Response(status_code=204)


@router.get("/{number}/mail", summary="发给客户的邮件及其投递状态（queued / sent / failed）")
def list_mail(
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    return JSONResponse({"number": number, "mails": mail_outbox.mails_of(desk.uow(), number)})


class CustomerEmailIn(Body):
    email: Annotated[str, Field(min_length=3, max_length=254), AfterValidator(no_nul)]


@router.put("/{number}/customer-email", summary="登记客户的邮箱（此后回复可发邮件给客户）")
def add_customer_email(
    body: CustomerEmailIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    address = mail_outbox.add_customer_address(desk.uow(), number, body.email, principal.username)
    return JSONResponse({"number": number, "email": address})


@router.get("/{number}/sms", summary="发给客户的短信及其投递状态（queued / sent / failed / skipped），客户是否退订")
def list_sms(
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    return JSONResponse(sms_outbox.sms_of(desk.uow(), number))


class SmsPreviewIn(Body):
    body: Annotated[str, Field(max_length=2000), AfterValidator(no_nul)]


@router.post("/{number}/sms/preview", summary="发送前预览短信：全文、字数与计费条数（70 字一条，长短信每条 67 字）")
def preview_sms(
    body: SmsPreviewIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    return JSONResponse(sms_outbox.preview(desk.uow(), number, body.body), headers={"Cache-Control": "no-store"})


class SmsOptOutIn(Body):
    opted_out: bool
    reason: Annotated[str, Field(max_length=200), AfterValidator(no_nul)] = ""


@router.put("/{number}/sms-opt-out", summary="登记客户退订短信（或恢复接收）；退订后回复不再发短信")
def set_sms_opt_out(
    body: SmsOptOutIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    return JSONResponse(sms_outbox.set_opt_out(desk.uow(), number, body.opted_out, body.reason, principal.username))
