"""Policy, assist and quality for stored complaints, rule packs and playbooks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import Field

from complaintdesk.api import access
from complaintdesk.api.common import IfMatch, complaint_response, expected_version
from complaintdesk.api.dispatch import DispatchingRoute
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.api.schemas import Body, Name, Short, Text, Versioned
from complaintdesk.http.auth import current_user, get_desk, require
from complaintdesk.services import casework, corrections
from complaintdesk.services import inspections as qa
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.commands import RecordFacts
from complaintdesk.services.engine_input import engine_input
from complaintdesk.services.handlers import handle
from complaintdesk.services.permissions import Permission

router = APIRouter(tags=["expertise 政策·助手·质检"], route_class=DispatchingRoute)
Number = Annotated[str, Path(max_length=24)]


class FactsIn(Body):
    facts: dict[str, Any] = Field(default_factory=dict, description="事实（见 docs/policy.md 的 FACTS 约定）")


class RecordFactsIn(Versioned):
    facts: dict[str, Any] = Field(description="事实（见 docs/policy.md 的 FACTS 约定）；null 撤销已记录的一项")


class CorrectionsIn(Versioned):
    corrections: dict[str, Any] = Field(
        description="坐席对分析结果的更正，逐字段：emotion、category（单值）；customer_types、demands、threats、"
        "company_faults（列表）。更正过的投诉是重新训练分析引擎的标注"
    )


class OfferIn(Versioned):
    kind: Name = Field(description="compensation | refund | waive_fee | gift | repair | exchange …")
    amount: float = Field(ge=0, le=10_000_000)
    note: Short = ""


class TranscriptIn(Body):
    transcript: Text
    category: Name | None = None
    agent_id: Name | None = Field(default=None, description="坐席工号：质检结果记在这位坐席名下")


class ComplaintTranscriptIn(Body):
    transcript: Text | None = Field(default=None, description="通话/聊天记录；省略时质检投诉单自己的消息")
    agent_id: Name | None = Field(default=None, description="坐席工号；省略时取记录的 # agent 或回复消息的作者")


@router.put("/complaints/{number}/analysis/corrections", summary="更正分析结果（逐字段；记入审计，用于重新训练）")
def correct_analysis(
    body: CorrectionsIn,
    number: Number,
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    detail = corrections.correct_analysis(desk.uow(), number, body.corrections, principal.username, expected_version=version)
    return complaint_response(detail)


@router.post("/complaints/{number}/policy", summary="政策判定：依法/依规客户能得到什么（附出处）")
def policy(
    body: FactsIn,
    number: Number,
    principal: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return casework.policy_for(desk.uow(), number, body.facts, role=principal.role.value).to_dict()


@router.post("/complaints/{number}/offers", summary="提出补偿方案（超出本人授权则拒绝并指明上报对象）")
def offer(
    body: OfferIn,
    number: Number,
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    detail = casework.make_offer(
        desk.uow(),
        number,
        principal.role.value,
        body.kind,
        body.amount,
        body.note,
        principal.username,
        expected_version=version,
    )
    return complaint_response(detail)


@router.put("/complaints/{number}/facts", summary="记录已核实的事实（与已记录的逐项合并；null 表示撤销该项）")
def record_facts(
    body: RecordFactsIn,
    number: Number,
    principal: Principal = Depends(access.writable_complaint),
    desk: Desk = Depends(get_desk),
    if_match: str | None = IfMatch,
) -> JSONResponse:
    version = expected_version(if_match, body.version)
    with engine_input("facts"):
        command = RecordFacts(number=number, facts=body.facts, actor=principal.username, expected_version=version)
        detail = handle(desk.uow(), command)
    return complaint_response(detail)


@router.get("/rule-packs", summary="规则包（法规与公司规定，只读）")
def rule_packs(_: Principal = Depends(current_user)) -> dict[str, Any]:
    return {"items": casework.rule_packs()}


@router.post("/complaints/{number}/assist", summary="处理建议：下一步与回复草稿")
def assist(
    body: FactsIn,
    number: Number,
    _: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return casework.advise_for(desk.uow(), number, body.facts).to_dict()


@router.get("/playbooks", summary="助手手册（只读）")
def playbooks(_: Principal = Depends(current_user)) -> dict[str, Any]:
    return {"files": casework.playbook_files()}


@router.post("/quality/inspect", summary="质检一段对话（不保存）")
def inspect(body: TranscriptIn, _: Principal = Depends(current_user)) -> dict[str, Any]:
    return qa.inspect_transcript(body.transcript, body.category, body.agent_id).scorecard.to_dict()


@router.post("/complaints/{number}/qa", status_code=201, summary="质检并保存到投诉单的审计记录")
def inspect_complaint(
    body: ComplaintTranscriptIn,
    number: Number,
    principal: Principal = Depends(require(Permission.KEEP_INSPECTIONS)),
    _: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return qa.inspect_for(desk.uow(), number, body.transcript, principal.username, body.agent_id).to_dict()


@router.get("/complaints/{number}/qa", summary="该投诉单保存过的质检结果")
def inspections(
    number: Number,
    _: Principal = Depends(access.readable_complaint),
    desk: Desk = Depends(get_desk),
) -> dict[str, Any]:
    return {"number": number, "items": [i.to_dict() for i in qa.stored_inspections(desk.uow(), number)]}
