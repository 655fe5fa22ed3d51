"""The expertise engines applied to stored complaints: policy verdicts, handling advice, quality
inspection (stored in the audit chain with the complaint) and offers checked against the authority
table. Each engine is optional: ``available()`` says which have landed; the API offers only those."""

from __future__ import annotations

import importlib
import logging
import math
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from complaintdesk.domain.errors import ConfigurationError, InvalidInput, PermissionDenied
from complaintdesk.domain.json_input import check_json
from complaintdesk.domain.model import DomainEvent
from complaintdesk.services import complaints
from complaintdesk.services.proposals import AUTHORITY_ROLE, StatedOffer
from complaintdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@contextmanager
def engine_input(field: str) -> Iterator[None]:
    """Facts of a shape the engine did not foresee are the caller's input error, not a server error."""
    try:
        yield
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        log.warning("engine rejected %s: %r", field, exc)
        raise InvalidInput(f"{field} 的内容格式不正确: {exc}", field=field) from None


ROLE_ZH = {"team_lead": "班组长", "manager": "投诉部经理", "head_office": "总部"}
_ROLE_ZH = ROLE_ZH
_AUTHORITY_ROLE = AUTHORITY_ROLE


def available() -> dict[str, bool]:
    found = {}
    for name in ("policy", "assist", "quality"):
        try:
            importlib.import_module(f"complaintdesk.{name}")
            found[name] = True
        except ImportError:
            found[name] = False
    return found


def policy_for(uow: UnitOfWork, number: str, facts: dict[str, Any], role: str) -> dict[str, Any]:
    """The policy verdict per demand for a stored complaint, on the same facts as the complaint page's
    panel (derived from its text, then as recorded), with ``facts`` stated for this question on top."""
    from complaintdesk.services import assist_service

    check_json(facts, "facts")
    given = dict(facts)
    if "offer" in given and "role" not in given:
        given["role"] = _AUTHORITY_ROLE.get(role)
    with engine_input("facts"):
        result = assist_service.policy_for_complaint(uow, number, given=given)
    result["number"] = number
    return result


def advise_for(
    uow: UnitOfWork, number: str, facts: dict[str, Any], *, now: datetime | None = None
) -> dict[str, Any]:
    """Next best actions and a reply draft for the complaint at its current stage, as on its page."""
    from complaintdesk.services import assist_service

    check_json(facts, "facts")
    with engine_input("facts"):
        return assist_service.advise_for_complaint(uow, number, now=now, given=facts)


def inspect_transcript(transcript: str, category: str | None = None, agent_id: str | None = None) -> dict[str, Any]:
    from complaintdesk.quality import inspect

    with engine_input("transcript"):
        card: dict[str, Any] = inspect(transcript, logged_category=category, agent_id=agent_id or None).to_dict()
    return card


def conversation(complaint: Any) -> tuple[str, str | None]:
    """The complaint's own conversation as a transcript (its text, then inbound messages as 客户 and
    outbound ones as 客服; notes are internal), and the agent who wrote most of the outbound messages.
    A line break inside a message never starts a new speaker turn: customer text is hostile."""
    lines = [f"客户: {' '.join(complaint.description.split())}"]
    authors: Counter[str] = Counter()
    for message in sorted(complaint.messages, key=lambda m: m.at):
        body = " ".join(message.body.split())
        if message.kind.value == "inbound" and body:
            lines.append(f"客户: {body}")
        elif message.kind.value == "outbound" and body:
            lines.append(f"客服: {body}")
            authors[message.author] += 1
    if not authors:
        raise InvalidInput(
            f"投诉单 {complaint.number} 还没有客服回复的消息,没有可质检的客服发言;请粘贴通话记录", field="transcript"
        )
    return "\n".join(lines), authors.most_common(1)[0][0]


def inspect_for(
    uow: UnitOfWork, number: str, transcript: str | None, actor: str, agent_id: str | None = None
) -> dict[str, Any]:
    """Score a conversation of this complaint and keep the scorecard in its (tamper-evident) audit trail.

    Without a transcript the complaint's own messages are scored. The scorecard is attributed to the
    agent given, else to the transcript's ``# agent:`` header, else to the author of the complaint's
    outbound messages (when those are what was scored); the dashboard lists it under that agent."""
    from complaintdesk.quality import inspect

    now = datetime.now(UTC)
    agent = (agent_id or "").strip() or None
    with uow:
        complaint = uow.complaints.get(number)
        if transcript is None or not transcript.strip():
            transcript, author = conversation(complaint)
            agent = agent or author
        with engine_input("transcript"):
            card: dict[str, Any] = inspect(
                transcript, logged_category=complaint.category.value, agent_id=agent
            ).to_dict()
        payload = {"scorecard": card, "agent_id": card.get("agent_id")}
        complaint.pending_events.append(DomainEvent("qa_inspected", actor, now, payload))
        uow.commit()
    return {"number": number, "scorecard": card, "agent_id": card.get("agent_id"), "transcript": transcript}


def stored_inspections(uow: UnitOfWork, number: str) -> list[dict[str, Any]]:
    with uow.reading():
        uow.complaints.get(number)
        return [
            {"at": r.at.isoformat(), "actor": r.actor, "scorecard": r.payload.get("scorecard")}
            for r in uow.audit.for_complaint(number)
            if r.kind == "qa_inspected"
        ]


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
    """Record an offer as the proposal — only within the caller's authority (else: who to escalate to)."""
    from complaintdesk.policy import authority_for

    if not math.isfinite(amount):
        raise InvalidInput("金额必须是有限的数字", field="amount")
    authority_role = _AUTHORITY_ROLE.get(role)
    if authority_role is None:
        raise PermissionDenied(f"角色 {role} 不能向客户提出方案", field="role")
    with engine_input("kind"):
        verdict = authority_for(authority_role, {"kind": kind, "amount": amount})
    if not verdict.offer_allowed:
        raise PermissionDenied(
            verdict.reason + (f"(请上报{_ROLE_ZH.get(verdict.escalate_to, verdict.escalate_to)})"
                              if verdict.escalate_to else ""),
            field="amount",
            code="authority_exceeded",
        )
    detail = complaints.propose(
        uow, number, note, actor, offer=StatedOffer(kind, amount), role=role, expected_version=expected_version
    )
    detail["authority"] = verdict.to_dict()
    return detail


def rule_packs() -> list[dict[str, Any]]:
    from complaintdesk.policy import list_rules

    return [r.to_dict() for r in list_rules()]


def playbook_files() -> dict[str, Any]:
    """The playbook files in force, parsed: the centre's copy (knowledge directory) of each, else the
    shipped one."""
    from complaintdesk.yamldata import centre_file, knowledge_dir, load_yaml

    try:
        folder = resources.files("complaintdesk.assist.data")
    except ModuleNotFoundError as exc:
        raise ConfigurationError("助手手册不可用", field="playbook") from exc
    out: dict[str, Any] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            local = centre_file(knowledge_dir(), "assist", entry.name)
            text = local.read_text(encoding="utf-8") if local else entry.read_text(encoding="utf-8")
            out[entry.name] = load_yaml(text)
    if not out:
        raise InvalidInput("没有找到助手手册文件", field="playbook")
    return out
