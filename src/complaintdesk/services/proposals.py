"""A proposal within the proposer's authority: the structured offer and the words of the proposal
checked against the company's 授权表, whichever way the proposal arrives (API, web, CLI, offers).

* the structured offer (kind, amount), when given, must be within the role's limit;
* every amount the text promises (policy.offer_text) must be within the role's limit for its kind;
* a refund, compensation or exchange the text promises without an amount needs the structured offer
  (else the check cannot be made): 422 naming ``offer``.
Above the limit: 403 ``authority_exceeded`` naming whom to escalate to — nothing is promised first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from complaintdesk.domain.errors import InvalidInput, PermissionDenied
from complaintdesk.services.engine_input import engine_input
from complaintdesk.services.permissions import authority_role as authority_column

ROLE_ZH = {"team_lead": "班组长", "manager": "投诉部经理", "head_office": "总部"}  # whom to escalate to
KIND_ZH = {"compensation": "赔偿/补偿", "gift": "赠送", "waive_fee": "减免费用", "refund": "退款",
           "repair": "维修", "exchange": "换货"}


@dataclass(frozen=True)
class StatedOffer:
    kind: str
    amount: float

    def label(self) -> str:
        return f"{self.kind} {self.amount:g} 元"


def stated_offer(kind: str | None, amount: Any) -> StatedOffer | None:
    """The structured offer from a form or a request: both parts or neither (naming what is missing)."""
    kind = (kind or "").strip() or None
    raw = "" if amount is None else str(amount).strip()
    if kind is None and not raw:
        return None
    if kind is None:
        raise InvalidInput("填写了金额，请同时选择方案类型", field="offer.kind")
    if not raw:
        raise InvalidInput("选择了方案类型，请同时填写金额（元）", field="offer.amount")
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput("金额应为数字", field="offer.amount") from None
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise InvalidInput("金额应为不小于 0 的有限数字", field="offer.amount")
    return StatedOffer(kind, value)


def _refuse(verdict: Any, what: str, field: str) -> PermissionDenied:
    whom = ROLE_ZH.get(verdict.escalate_to, verdict.escalate_to) if verdict.escalate_to else None
    escalate = f"（请上报{whom}）" if whom else ""
    return PermissionDenied(f"{what}:{verdict.reason}{escalate}", field=field, code="authority_exceeded")


def authorise(role: str | None, solution: str, offer: StatedOffer | None) -> dict[str, Any] | None:
    """Refuse a proposal beyond ``role``'s authority; the verdict of the structured offer otherwise."""
    from complaintdesk.policy import authority_for
    from complaintdesk.policy.offer_text import promises_in

    authority_role = authority_column(role)
    promised = promises_in(solution)
    if offer is None and not promised:
        return None
    if authority_role is None:
        raise PermissionDenied(f"角色 {role} 不能向客户承诺补偿、退款或换货", field="role")
    verdict_of_offer = None
    if offer is not None:
        with engine_input("offer.kind"):
            verdict_of_offer = authority_for(authority_role, {"kind": offer.kind, "amount": offer.amount})
        if not verdict_of_offer.offer_allowed:
            raise _refuse(verdict_of_offer, f"方案 {offer.label()}", "offer.amount")
    for item in promised:
        if item.amount is None:
            if offer is None:
                raise InvalidInput(
                    f"方案中「{item.evidence}」承诺了{KIND_ZH[item.kind]}却没有金额：请同时填写方案类型与金额，"
                    "按授权表核对后才能答应客户",
                    field="offer",
                )
            continue
        verdict = authority_for(authority_role, {"kind": item.kind, "amount": item.amount})
        if not verdict.offer_allowed:
            raise _refuse(verdict, f"方案文字「{item.evidence}」（{item.kind} {item.amount:g} 元）", "solution")
    return verdict_of_offer.to_dict() if verdict_of_offer is not None else None


def with_offer(solution: str, offer: StatedOffer | None) -> str:
    """The proposal as stored: the words, and the structured offer they were checked with."""
    text = (solution or "").strip()
    if offer is None:
        return text
    return f"{text}({offer.label()})" if text else offer.label()
