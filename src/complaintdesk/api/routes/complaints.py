"""Complaint routes: intake, queue, detail and every workflow move. Each parses, checks access, builds
the workflow command (``services.commands``) for ``services.handlers.handle`` and returns its JSON
(with the version as ETag)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Request

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
from complaintdesk.api.query_params import parse_query, query_openapi
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
    QueueParams,
    ReassignIn,
    ReopenIn,
    ReplyAndMoveIn,
    SignOffIn,
    TaskOutcomeIn,
    TransferIn,
)
from complaintdesk.http.auth import current_user, get_desk
from complaintdesk.services import commands, complaints, queue, reassign
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.services.proposals import StatedOffer

router = APIRouter(prefix="/complaints", tags=["complaints 投诉单"], route_class=DispatchingRoute)


@router.post("", status_code=201, summary="受理投诉（open: analysis and repeat detection run on intake）")
def open_complaint(
    body: OpenComplaintIn,
    request: Request,
    principal: Principal = Depends(access.writer),
    idempotency_key: str | None = IdempotencyKey,
) -> JSONResponse:
    desk = access.desk_of(request)  # not Depends(get_desk): one dependency less on the hot routes
    cmd = complaints.OpenComplaint(**body.model_dump(), actor=principal.username)

    def work() -> tuple[int, Any]:
        return 201, complaints.open_complaint(desk.uow(), cmd)

    return run_idempotent(
        desk, request, principal.username, idempotency_key, lambda: body.model_dump(mode="json"), work
    )


@router.get(
    "",
    summary="投诉队列（filters, cursor pagination; agents see their own and their team's）",
    openapi_extra=query_openapi(QueueParams),
)
def list_complaints(
    request: Request,
    principal: Principal = Depends(current_user),
) -> JSONResponse:
    desk = access.desk_of(request)
    params = parse_query(QueueParams, request)  # one validation, not seventeen FastAPI parameters
    query = queue.QueueQuery(
        stage=params.stage,
        owner=params.owner,
        category=params.category,
        channel=params.channel,
        priority=params.priority,
        customer_id=params.customer_id,
        sla_state=params.sla_state,
        team=params.team,
        escalated=params.escalated,
        flags=tuple(params.flag),
        opened_from=params.opened_from,
        opened_to=params.opened_to,
        open_only=params.open_only,
        order=params.order,
        with_total=params.total,
        limit=params.limit,
        cursor=params.cursor,
    )
    # A JSONResponse, not a dict: FastAPI would re-validate the dict against the inferred model in
    # another thread hop; the service's to_dict() already is the JSON contract.
    return JSONResponse(queue.list_queue(desk.uow(), query, viewer=principal).to_dict())


@router.post("/reassign", summary="批量转派（lead: ticked complaints, or all open ones of an absent agent）")
def reassign_in_bulk(
    body: ReassignIn,
    principal: Principal = Depends(access.writer),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    request = reassign.Reassignment(
        to_owner=body.to_owner, reason=body.reason, numbers=tuple(body.numbers), from_owner=body.from_owner
    )
    return JSONResponse(reassign.reassign(desk.uow(), principal, request).to_dict())


@router.get("/{number}", summary="投诉单详情（ETag = version）")
def get_complaint(
    number: str = Path(..., max_length=24),
    principal: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> JSONResponse:
    detail = complaints.get_complaint(desk.uow(), number, reveal_phone=access.reveal_phone(principal))
    return complaint_response(detail)


def _handle(desk: Desk, command: commands.Command) -> JSONResponse:
    return complaint_response(handle(desk.uow(), command))


@router.post("/{number}/move", summary="推进流程阶段")
def move(
    body: MoveIn,
    request: Request,
    target: access.Target = Depends(access.writable_target),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    desk = access.desk_of(request)
    version = expected_version(if_match, body.version)
    return _handle(
        desk,
        commands.Move(
            number=number,
            stage=body.stage,
            waiver_reason=body.waiver_reason,
            actor=principal.username,
            expected_version=version,
        ),
    )


@router.post("/{number}/proposal", summary="提出解决方案")
def propose(
    body: ProposalIn,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    version = expected_version(if_match, body.version)
    offer = StatedOffer(body.offer.kind, body.offer.amount) if body.offer else None
    return _handle(
        desk,
        commands.Propose(
            number=number,
            solution=body.solution,
            offer=offer,
            role=principal.role.value,
            actor=principal.username,
            expected_version=version,
        ),
    )


@router.post("/{number}/messages", status_code=201, summary="添加沟通记录或备注")
def add_message(
    body: MessageIn,
    request: Request,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
    idempotency_key: str | None = IdempotencyKey,
) -> JSONResponse:
    principal, number = target
    # An append conflicts with nothing: the version, when sent, is checked for form, never required.
    version = expected_version(if_match, body.version) if (if_match or body.version) else None
    command = commands.AddMessage(
        number=number,
        kind=body.kind,
        body=body.body,
        actor=principal.username,
        expected_version=version,
        send_to_customer=body.send_to_customer,
        via=body.via,
    )

    def work() -> tuple[int, Any]:
        return 201, handle(desk.uow(), command)

    return run_idempotent(
        desk, request, principal.username, idempotency_key, lambda: body.model_dump(mode="json"), work
    )


@router.post("/{number}/transfers", summary="转派（每次转派都计数）")
def transfer(
    body: TransferIn,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    version = expected_version(if_match, body.version)
    return _handle(
        desk,
        commands.Transfer(
            number=number,
            to_owner=body.to_owner,
            reason=body.reason,
            actor=principal.username,
            expected_version=version,
        ),
    )


@router.post("/{number}/escalations", summary="升级：指定层级和接手的人；坐席/班组长越级须班组长审批（返回 approval_request）")
def escalate(
    body: EscalateIn,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    version = expected_version(if_match, body.version)
    return _handle(
        desk,
        commands.Escalate(
            number=number,
            reason=body.reason,
            to_level=body.to_level,
            to_user=body.to_user,
            actor=principal.username,
            expected_version=version,
        ),
    )


@router.post("/{number}/promises", summary="向客户作出承诺（启动承诺时钟）")
def make_promise(
    body: PromiseIn,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    version = expected_version(if_match, body.version)
    return _handle(
        desk,
        commands.MakePromise(
            number=number, what=body.what, due_at=body.due_at, actor=principal.username, expected_version=version
        ),
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
    return _handle(
        desk,
        commands.ResolvePromise(
            number=number, index=index, kept=body.kept, actor=principal.username, expected_version=version
        ),
    )


@router.post("/{number}/tasks/{task_id}/outcome", summary="记录回电/回访任务的结果（reached | not_reached | satisfied）")
def task_outcome(
    body: TaskOutcomeIn,
    number: str = Path(..., max_length=24),
    task_id: int = Path(..., ge=1, le=2**31 - 1),
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    return _handle(
        desk,
        commands.RecordTaskOutcome(
            number=number, task_id=task_id, outcome=body.outcome, actor=principal.username, expected_version=version
        ),
    )


@router.post("/{number}/sign-off", summary="客户满意度签字（不签即视为不满意）")
def sign_off(
    body: SignOffIn,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    version = expected_version(if_match, body.version)
    return _handle(
        desk,
        commands.SignOff(
            number=number,
            satisfied=body.satisfied,
            reason=body.reason,
            actor=principal.username,
            expected_version=version,
        ),
    )


@router.post("/{number}/follow-up", summary="安排回访")
def schedule_follow_up(
    body: FollowUpIn,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    version = expected_version(if_match, body.version)
    return _handle(
        desk,
        commands.ScheduleFollowUp(number=number, due=body.due, actor=principal.username, expected_version=version),
    )


@router.post("/{number}/follow-up/result", summary="登记回访结果")
def complete_follow_up(
    body: FollowUpResultIn,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    version = expected_version(if_match, body.version)
    return _handle(
        desk,
        commands.CompleteFollowUp(
            number=number, outcome=body.outcome, actor=principal.username, expected_version=version
        ),
    )


@router.post("/{number}/reopen", summary="重开")
def reopen(
    body: ReopenIn,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    version = expected_version(if_match, body.version)
    return _handle(
        desk,
        commands.Reopen(number=number, reason=body.reason, actor=principal.username, expected_version=version),
    )


@router.post("/{number}/reply-and-move", summary="回复并进入下一阶段（一次完成，要么都生效要么都不生效）")
def reply_and_move(
    body: ReplyAndMoveIn,
    target: access.Target = Depends(access.writable_target),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    principal, number = target
    version = expected_version(if_match, body.version)
    offer = StatedOffer(body.offer.kind, body.offer.amount) if body.offer else None
    return _handle(
        desk,
        commands.ReplyAndMove(
            number=number, body=body.body or "", kind=body.kind, send_to_customer=body.send_to_customer,
            stage=body.stage, solution=body.solution, offer=offer, role=principal.role.value,
            follow_up_due=body.follow_up_due, satisfied=body.satisfied, signoff_reason=body.signoff_reason,
            actor=principal.username, expected_version=version,
        ),
    )  # fmt: skip
