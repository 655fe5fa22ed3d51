"""Advice and entitlements for a stored complaint: its text re-read, its facts checked against the
rule packs, its current stage — the pure engines fed from the record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.services import calendar_service
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import get_settings, local_zone
from complaintdesk.yamldata import load_yaml


@lru_cache(maxsize=1)
def _product_words() -> list[tuple[str, tuple[str, ...]]]:
    text = resources.files("complaintdesk.data").joinpath("product_kinds.yaml").read_text("utf-8")
    data = load_yaml(text) or {}
    if not isinstance(data, dict):
        raise ConfigurationError("product_kinds.yaml 必须是 产品类型: [词语] 的映射", field="product_kinds")
    return [(str(kind), tuple(str(w) for w in words or ())) for kind, words in data.items()]


def product_kind(text: str) -> str | None:
    """The product kind a complaint is about, from the words it uses (data/product_kinds.yaml)."""
    for kind, words in _product_words():
        if any(word in text for word in words):
            return kind
    return None


def policy_facts(
    analysis: dict[str, Any] | None, demands: list[str], today: str, text: str = ""
) -> dict[str, Any]:
    """The facts the policy engine can take from a reading; the rest it will ask for."""
    facts: dict[str, Any] = {"today": today, "demands": list(demands)}
    found = (analysis or {}).get("facts", {})
    if found.get("purchase_date"):
        facts["purchase_date"] = found["purchase_date"]
    if found.get("fault_date"):
        facts["fault"] = {"first_seen": found["fault_date"]}
    kind = product_kind(text)
    if kind is not None:
        models = found.get("product_models") or []
        facts["product"] = {"kind": kind, **({"model": models[0]} if models else {})}
    return facts


# what ``advice.make_offer`` writes as the proposal: "note(kind amount 元)" or "kind amount 元"
_OFFER = re.compile(r"(?:^|[((])([a-z_]+) ([0-9]+(?:\.[0-9]+)?) 元[))]?$")


def recorded_offer(proposal: str | None) -> dict[str, Any] | None:
    """The offer an agent made through the authority check, read back from the proposal it recorded."""
    m = _OFFER.search((proposal or "").strip())
    return {"kind": m.group(1), "amount": float(m.group(2))} if m else None


def policy_facts_only(facts: dict[str, Any]) -> dict[str, Any]:
    from complaintdesk.assist.engine import policy_facts as without_assist_fields

    return without_assist_fields(facts)


def _text_of(complaint: Any) -> str:
    inbound = [m.body for m in complaint.messages if m.kind.value == "inbound"]
    return "\n".join([complaint.description, *inbound])


@dataclass(frozen=True)
class _Case:
    text: str
    stage: str
    analysis: Any
    facts: dict[str, Any]


def _gather(uow: UnitOfWork, number: str, now: datetime, given: dict[str, Any] | None = None) -> _Case:
    """Re-read the complaint's words and merge the facts: derived from the text, then as recorded, then
    ``given`` (what a caller states for this one question, recorded nowhere)."""
    from complaintdesk.analysis import analyze

    with uow.reading():
        complaint = uow.complaints.get(number)
        customer = uow.customers.get(complaint.customer_id)
        text = _text_of(complaint)
        stage = complaint.stage.value
        demands = list(complaint.demands)
        recorded = dict(complaint.facts or {})
        extra: dict[str, Any] = {
            "customer_name": customer.name,
            "category": complaint.category.value,
            "satisfied": bool(complaint.signoff_satisfied),
            "reply_channel": complaint.channel.value,
        }
        offer = recorded_offer(complaint.proposal)
        if offer is not None and "offer" not in recorded:
            extra["offer"] = offer  # made within the maker's authority when it was recorded
    today = now.astimezone(local_zone()).date()
    analysis = analyze(text, today=today, max_chars=get_settings().analysis_max_chars)
    facts = {**policy_facts(analysis.to_dict(), demands, today.isoformat(), text), **extra, **recorded, **(given or {})}
    return _Case(text, stage, analysis, facts)


def advise_for_complaint(
    uow: UnitOfWork, number: str, *, now: datetime | None = None, given: dict[str, Any] | None = None
) -> dict[str, Any]:
    from complaintdesk.assist import advise
    from complaintdesk.policy import check

    now = now or datetime.now(UTC)
    case = _gather(uow, number, now, given)
    policy = check(policy_facts_only(case.facts))
    # The promised wait is counted in the centre's working time, its own closures included; the policy
    # check keeps the national calendar, since a statutory period does not move for a centre's day off.
    calendar = calendar_service.centre_calendar(uow)
    advice = advise(
        case.analysis, policy, case.stage, text=case.text, facts=case.facts, now=now, calendar=calendar
    )
    result: dict[str, Any] = advice.to_dict()
    result["policy"] = policy.to_dict()
    result["number"] = number
    return result


def policy_for_complaint(
    uow: UnitOfWork, number: str, *, now: datetime | None = None, given: dict[str, Any] | None = None
) -> dict[str, Any]:
    from complaintdesk.policy import check

    case = _gather(uow, number, now or datetime.now(UTC), given)
    result: dict[str, Any] = check(policy_facts_only(case.facts)).to_dict()
    return result
