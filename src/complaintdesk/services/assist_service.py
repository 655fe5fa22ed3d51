"""Advice and entitlements for a stored complaint: its text re-read, its facts checked against the
rule packs, its current stage — the pure engines fed from the record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from complaintdesk.services.unit_of_work import UnitOfWork

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def policy_facts(analysis: dict[str, Any] | None, demands: list[str], today: str) -> dict[str, Any]:
    """The facts the policy engine can take from a reading; the rest it will ask for."""
    facts: dict[str, Any] = {"today": today, "demands": list(demands)}
    found = (analysis or {}).get("facts", {})
    if found.get("purchase_date"):
        facts["purchase_date"] = found["purchase_date"]
    return facts


def _text_of(complaint: Any) -> str:
    inbound = [m.body for m in complaint.messages if m.kind.value == "inbound"]
    return "\n".join([complaint.description, *inbound])


def advise_for_complaint(uow: UnitOfWork, number: str, *, now: datetime | None = None) -> dict[str, Any]:
    from complaintdesk.analysis import analyze
    from complaintdesk.assist import advise
    from complaintdesk.policy import check

    now = now or datetime.now(UTC)
    with uow:
        complaint = uow.complaints.get(number)
        text = _text_of(complaint)
        stage = complaint.stage.value
        demands = list(complaint.demands)
    today = now.astimezone(LOCAL_TZ).date()
    analysis = analyze(text, today=today)
    policy = check(policy_facts(analysis.to_dict(), demands, today.isoformat()))
    advice = advise(analysis, policy, stage, text=text, now=now)
    result: dict[str, Any] = advice.to_dict()
    result["policy"] = policy.to_dict()
    result["number"] = number
    return result


def policy_for_complaint(uow: UnitOfWork, number: str, *, now: datetime | None = None) -> dict[str, Any]:
    from complaintdesk.analysis import analyze
    from complaintdesk.policy import check

    now = now or datetime.now(UTC)
    with uow:
        complaint = uow.complaints.get(number)
        text = _text_of(complaint)
        demands = list(complaint.demands)
    today = now.astimezone(LOCAL_TZ).date()
    analysis = analyze(text, today=today)
    result: dict[str, Any] = check(policy_facts(analysis.to_dict(), demands, today.isoformat())).to_dict()
    return result
