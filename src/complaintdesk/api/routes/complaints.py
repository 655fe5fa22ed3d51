"""Complaint routes: intake, queue, detail and every workflow move. Each parses, checks access,
calls one service use-case and returns its JSON (with the version as ETag)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request

from complaintdesk.api import access
from complaintdesk.api.common import (
    IdempotencyKey,
    IfMatch,
    complaint_response,
    expected_version,
    run_idempotent,
)
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.api.schemas import (
    EscalateIn,
    FollowUpIn,
    FollowUpResultIn,
    MessageIn,
    MoveIn,
    OpenComplaintIn,
    PromiseIn,
    PromiseResultIn,
    ProposalIn,
    ReopenIn,
    SignOffIn,
    TransferIn,
)
from complaintdesk.http.auth import current_user, get_desk
from complaintdesk.services import complaints, search
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.proposals import StatedOffer
from complaintdesk.storage.repository import ComplaintFilter

router = APIRouter(prefix="/complaints", tags=["complaints 投诉单"], route_class=DispatchingRoute)


@router.post("", status_code=201, summary="受理投诉 (open: analysis and repeat detection run on intake)")
def open_complaint(
    body: OpenComplaintIn,
    request: Request,
    principal: Principal = Depends(access.writer),
    desk: Desk = Depends(get_desk),
    idempotency_key: str | None = IdempotencyKey,
) -> JSONResponse:
    cmd = complaints.OpenComplaint(**body.model_dump(), actor=principal.username)

    def work() -> tuple[int, Any]:
        return 201, complaints.open_complaint(desk.uow(), cmd)

    return run_idempotent(
        desk, request, principal.username, idempotency_key, body.model_dump(mode="json"), work
    )


@router.get("", summary="投诉队列 (filters, cursor pagination; agents see their own and their team's)")
def list_complaints(
    stage: str | None = Query(None, max_length=32),
    owner: str | None = Query(None, max_length=100),
    category: str | None = Query(None, max_length=32),
    channel: str | None = Query(None, max_length=32),
    priority: str | None = Query(None, max_length=32),
    customer_id: int | None = Query(None, ge=1, le=2**31 - 1),
    sla_state: str | None = Query(None, max_length=16, description="breached | on_track | none"),
    opened_from: datetime | None = Query(None),
    opened_to: datetime | None = Query(None),
    open_only: bool = Query(False),
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = Query(None, max_length=64),
    principal: Principal = Depends(current_user),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    flt = ComplaintFilter(
        stage=stage,
        owner=owner,
        category=category,
        channel=channel,
        priority=priority,
        customer_id=customer_id,
        opened_from=opened_from,
        opened_to=opened_to,
        open_only=open_only,
        limit=limit,
        after_id=search.decode_cursor(cursor),
    )
    owners = access.visible_owners(desk, principal)
    # A JSONResponse, not a dict: FastAPI would re-validate the dict against the inferred model in
    # another thread hop; the service's to_dict() already is the JSON contract.
    return JSONResponse(search.list_visible(desk.uow(), flt, owners=owners, sla_state=sla_state).to_dict())


@router.get("/{number}", summary="投诉单详情 (ETag = version)")
def get_complaint(
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    detail = complaints.get_complaint(desk.uow(), number, reveal_phone=access.reveal_phone(principal))
    return complaint_response(detail)


@router.post("/{number}/move", summary="推进流程阶段")
def move(
    body: MoveIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return complaint_response(
        complaints.move(
            desk.uow(),
            number,
            body.stage,
            principal.username,
            waiver_reason=body.waiver_reason,
            expected_version=version,
        )
    )


@router.post("/{number}/proposal", summary="提出解决方案")
def propose(
    body: ProposalIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    offer = StatedOffer(body.offer.kind, body.offer.amount) if body.offer else None
    return complaint_response(
        complaints.propose(
            desk.uow(),
            number,
            body.solution,
            principal.username,
            offer=offer,
            role=principal.role.value,
            expected_version=version,
        )
    )


@router.post("/{number}/messages", status_code=201, summary="添加沟通记录或备注")
def add_message(
    body: MessageIn,
    request: Request,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
    idempotency_key: str | None = IdempotencyKey,
) -> JSONResponse:
    # An append conflicts with nothing: the version, when sent, is checked for form, never required.
    version = expected_version(if_match, body.version) if (if_match or body.version) else None

    def work() -> tuple[int, Any]:
        detail = complaints.add_message(
            desk.uow(), number, body.kind, principal.username, body.body, expected_version=version
        )
        return 201, detail

    return run_idempotent(
        desk, request, principal.username, idempotency_key, body.model_dump(mode="json"), work
    )


@router.post("/{number}/transfers", summary="转派 (每次转派都计数)")
def transfer(
    body: TransferIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return complaint_response(
        complaints.transfer(
            desk.uow(), number, body.to_owner, body.reason, principal.username, expected_version=version
        )
    )


@router.post("/{number}/escalations", summary="升级")
def escalate(
    body: EscalateIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return complaint_response(
        complaints.escalate(
            desk.uow(),
            number,
            body.reason,
            principal.username,
            to_level=body.to_level,
            expected_version=version,
        )
    )


@router.post("/{number}/promises", summary="向客户作出承诺 (启动承诺时钟)")
def make_promise(
    body: PromiseIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return complaint_response(
        complaints.make_promise(
            desk.uow(), number, body.what, body.due_at, principal.username, expected_version=version
        )
    )


@router.post("/{number}/promises/{index}/result", summary="登记承诺是否兑现")
def resolve_promise(
    body: PromiseResultIn,
    number: str = Path(..., max_length=24),
    index: int = Path(..., ge=0, le=10_000),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return complaint_response(
        complaints.resolve_promise(
            desk.uow(), number, index, body.kept, principal.username, expected_version=version
        )
    )


@router.post("/{number}/sign-off", summary="客户满意度签字 (不签即视为不满意)")
def sign_off(
    body: SignOffIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return complaint_response(
        complaints.sign_off(
            desk.uow(), number, body.satisfied, body.reason, principal.username, expected_version=version
        )
    )


@router.post("/{number}/follow-up", summary="安排回访")
def schedule_follow_up(
    body: FollowUpIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return complaint_response(
        complaints.schedule_follow_up(
            desk.uow(), number, body.due, principal.username, expected_version=version
        )
    )


@router.post("/{number}/follow-up/result", summary="登记回访结果")
def complete_follow_up(
    body: FollowUpResultIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return complaint_response(
        complaints.complete_follow_up(
            desk.uow(), number, body.outcome, principal.username, expected_version=version
        )
    )


@router.post("/{number}/reopen", summary="重开")
def reopen(
    body: ReopenIn,
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return complaint_response(
        complaints.reopen(desk.uow(), number, body.reason, principal.username, expected_version=version)
    )
