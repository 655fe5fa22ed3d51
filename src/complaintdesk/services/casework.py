"""The expertise engines applied to one stored complaint: the case is gathered once (its words re-read,
its facts merged) and from that one reading come the policy verdict, the handling advice and the
authority check of an offer. The API, the CLI and the complaint page all ask here."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from complaintdesk.analysis import Analysis
from complaintdesk.assist import Advice, advise
from complaintdesk.assist.engine import policy_facts as without_assist_fields
from complaintdesk.domain.errors import ConfigurationError, InvalidInput, PermissionDenied
from complaintdesk.domain.json_input import check_json
from complaintdesk.policy import PolicyResult, authority_for, check, list_rules
from complaintdesk.services import calendar_service, reading
from complaintdesk.services.commands import Propose
from complaintdesk.services.engine_input import engine_input
from complaintdesk.services.handlers import handle
from complaintdesk.services.permissions import authority_role as authority_column
from complaintdesk.services.proposals import ROLE_ZH, StatedOffer
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import local_zone
from complaintdesk.yamldata import centre_file, knowledge_dir, load_yaml, shipped, shipped_text


@dataclass(frozen=True)
class Case:
    """A stored complaint as the engines take it."""

    number: str
    text: str  # the description and the customer's own messages
    stage: str
    analysis: Analysis
    facts: dict[str, Any]  # derived from the text, then as recorded, then as stated for this question


@dataclass(frozen=True)
class PolicyAnswer:
    number: str
    policy: PolicyResult

    def to_dict(self) -> dict[str, Any]:
        return {**self.policy.to_dict(), "number": self.number}


@dataclass(frozen=True)
class CaseAdvice:
    """What to do next and what to say, with the policy verdict it was drawn from (one reading)."""

    number: str
    advice: Advice
    policy: PolicyResult

    def to_dict(self) -> dict[str, Any]:
        return {**self.advice.to_dict(), "policy": self.policy.to_dict(), "number": self.number}


# -- gathering a case ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _product_words() -> list[tuple[str, tuple[str, ...]]]:
    text = shipped_text("complaintdesk.data", "product_kinds.yaml")
    data = load_yaml(text) or {}
    if not isinstance(data, dict):
        raise ConfigurationError("product_kinds.yaml 必须是 产品类型：[词语] 的映射", field="product_kinds")
    return [(str(kind), tuple(str(w) for w in words or ())) for kind, words in data.items()]


def product_kind(text: str) -> str | None:
    """The product kind a complaint is about, from the words it uses (data/product_kinds.yaml)."""
    for kind, words in _product_words():
        if any(word in text for word in words):
            return kind
    return None


def policy_facts(analysis: Analysis, demands: list[str], today: str, text: str = "") -> dict[str, Any]:
    """The facts the policy engine can take from a reading; the rest it will ask for."""
    facts: dict[str, Any] = {"today": today, "demands": list(demands)}
    found = analysis.facts
    if found.purchase_date:
        facts["purchase_date"] = found.purchase_date
    if found.fault_date:
        facts["fault"] = {"first_seen": found.fault_date}
    kind = product_kind(text)
    if kind is not None:
        models = found.product_models
        facts["product"] = {"kind": kind, **({"model": models[0]} if models else {})}
    return facts


# what ``make_offer`` writes as the proposal: "note(kind amount 元)" or "kind amount 元"
_OFFER = re.compile(r"(?:^|[((])([a-z_]+) ([0-9]+(?:\.[0-9]+)?) 元[))]?$")


def recorded_offer(proposal: str | None) -> dict[str, Any] | None:
    """The offer an agent made through the authority check, read back from the proposal it recorded."""
    m = _OFFER.search((proposal or "").strip())
    return {"kind": m.group(1), "amount": float(m.group(2))} if m else None


def gather(uow: UnitOfWork, number: str, now: datetime, given: Mapping[str, Any] | None = None) -> Case:
    """Re-read the complaint's words and merge the facts: derived from the text, then as recorded, then
    ``given`` (what a caller states for this one question, recorded nowhere)."""
    with uow.reading():
        complaint = uow.complaints.get(number)
        customer = uow.customers.get(complaint.customer_id)
        inbound = [m.body for m in complaint.messages if m.kind.value == "inbound"]
        text = "\n".join([complaint.description, *inbound])
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
    analysis = reading.read(text, today)
    derived = policy_facts(analysis, demands, today.isoformat(), text)
    return Case(number, text, stage, analysis, {**derived, **extra, **recorded, **(given or {})})


# -- answering it ---------------------------------------------------------------------------------------


def _policy(case: Case) -> PolicyResult:
    with engine_input("facts"):
        return check(without_assist_fields(case.facts))


def _advice(uow: UnitOfWork, case: Case, policy: PolicyResult, now: datetime) -> Advice:
    # The promised wait is counted in the centre's working time, its own closures included; the policy
    # check keeps the national calendar, since a statutory period does not move for a centre's day off.
    calendar = calendar_service.centre_calendar(uow)
    with engine_input("facts"):
        return advise(
            case.analysis, policy, case.stage, text=case.text, facts=case.facts, now=now, calendar=calendar
        )


def _stated(facts: Mapping[str, Any] | None) -> dict[str, Any]:
    given = dict(facts or {})
    check_json(given, "facts")
    return given


def policy_for(
    uow: UnitOfWork,
    number: str,
    facts: Mapping[str, Any] | None = None,
    *,
    role: str | None = None,
    now: datetime | None = None,
) -> PolicyAnswer:
    """The policy verdict per demand for a stored complaint, on the same facts as the complaint page's
    panel, with ``facts`` stated for this question on top (an offer is judged for ``role``)."""
    given = _stated(facts)
    if "offer" in given and "role" not in given and role is not None:
        given["role"] = authority_column(role)
    case = gather(uow, number, now or datetime.now(UTC), given)
    return PolicyAnswer(number, _policy(case))


def advise_for(
    uow: UnitOfWork, number: str, facts: Mapping[str, Any] | None = None, *, now: datetime | None = None
) -> CaseAdvice:
    """Next best actions and a reply draft for the complaint at its current stage, with the policy
    verdict they rest on: one gathering, one reading of the text, for both."""
    now = now or datetime.now(UTC)
    case = gather(uow, number, now, _stated(facts))
    policy = _policy(case)
    return CaseAdvice(number, _advice(uow, case, policy, now), policy)


def make_offer(
    uow: UnitOfWork,
    number: str,
    role: str,
    kind: str,
    amount: float,
    note: str,
    actor: str,
    *,
    expected_version: int,
) -> dict[str, Any]:
    """Record an offer as the proposal — only within the caller's authority (else: who to escalate to).
    The complaint's detail, with the authority verdict under ``authority``."""
    if not math.isfinite(amount):
        raise InvalidInput("金额必须是有限的数字", field="amount")
    authority_role = authority_column(role)
    if authority_role is None:
        raise PermissionDenied(f"角色 {role} 不能向客户提出方案", field="role")
    with engine_input("kind"):
        verdict = authority_for(authority_role, {"kind": kind, "amount": amount})
    if not verdict.offer_allowed:
        whom = f"（请上报{ROLE_ZH.get(verdict.escalate_to, verdict.escalate_to)}）" if verdict.escalate_to else ""
        raise PermissionDenied(verdict.reason + whom, field="amount", code="authority_exceeded")
    offer = StatedOffer(kind, amount)
    command = Propose(number=number, solution=note, offer=offer, role=role, actor=actor, expected_version=expected_version)
    detail = handle(uow, command)
    detail["authority"] = verdict.to_dict()
    return detail


# -- the knowledge the answers come from ------------------------------------------------------------------


def rule_packs() -> list[dict[str, Any]]:
    return [r.to_dict() for r in list_rules()]


def playbook_files() -> dict[str, Any]:
    """The playbook files in force, parsed: the centre's copy (knowledge directory) of each, else the
    shipped one (what a centre copies and edits)."""
    folder = shipped("complaintdesk.assist.data")
    out: dict[str, Any] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            local = centre_file(knowledge_dir(), "assist", entry.name)
            text = local.read_text(encoding="utf-8") if local else entry.read_text(encoding="utf-8")
            out[entry.name] = load_yaml(text)
    if not out:
        raise ConfigurationError("没有找到助手手册文件", field="playbook")
    return out
