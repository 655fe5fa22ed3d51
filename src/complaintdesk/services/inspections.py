"""Quality inspection (质检) of a conversation: scored on the spot, or scored and kept in a complaint's
tamper-evident audit trail, where the dashboard reads it under the agent it is attributed to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.model import Complaint, DomainEvent
from complaintdesk.quality import Scorecard, Transcript, inspect, parse_transcript
from complaintdesk.services.engine_input import engine_input
from complaintdesk.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Inspection:
    """A scorecard and the transcript it scored (the complaint's own conversation when none was given)."""

    number: str | None
    transcript: str
    scorecard: Scorecard

    @property
    def agent_id(self) -> str | None:
        return self.scorecard.agent_id

    def turns(self) -> Transcript:
        """The transcript's turns as the inspector numbered them (for marking the offending lines)."""
        with engine_input("transcript"):
            return parse_transcript(self.transcript, agent_id=self.agent_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "scorecard": self.scorecard.to_dict(),
            "agent_id": self.agent_id,
            "transcript": self.transcript,
        }


@dataclass(frozen=True)
class StoredInspection:
    at: datetime
    actor: str
    scorecard: dict[str, Any]  # as the audit chain keeps it (JSON)

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "actor": self.actor, "scorecard": self.scorecard}


def inspect_transcript(transcript: str, category: str | None = None, agent_id: str | None = None) -> Inspection:
    """Score a pasted conversation; nothing is kept."""
    with engine_input("transcript"):
        card = inspect(transcript, logged_category=category, agent_id=agent_id or None)
    return Inspection(None, transcript, card)


def conversation(complaint: Complaint) -> tuple[str, str | None]:
    """The complaint's own conversation as a transcript (its text, then inbound messages as 客户 and
    outbound ones as 客服; notes are internal), and the agent who wrote most of the outbound messages.
    A line break inside a message never starts a new speaker turn: customer text is hostile."""
    lines = [f"客户：{' '.join(complaint.description.split())}"]
    authors: Counter[str] = Counter()
    for message in sorted(complaint.messages, key=lambda m: m.at):
        body = " ".join(message.body.split())
        if message.kind.value == "inbound" and body:
            lines.append(f"客户：{body}")
        elif message.kind.value == "outbound" and body:
            lines.append(f"客服：{body}")
            authors[message.author] += 1
    if not authors:
        raise InvalidInput(
            f"投诉单 {complaint.number} 还没有客服回复的消息，没有可质检的客服发言；请粘贴通话记录", field="transcript"
        )
    return "\n".join(lines), authors.most_common(1)[0][0]


def inspect_for(
    uow: UnitOfWork, number: str, transcript: str | None, actor: str, agent_id: str | None = None
) -> Inspection:
    """Score a conversation of this complaint and keep the scorecard in its (tamper-evident) audit trail.

    Without a transcript the complaint's own messages are scored. The scorecard is attributed to the
    agent given, else to the transcript's ``# agent:`` header, else to the author of the complaint's
    outbound messages (when those are what was scored); the dashboard lists it under that agent."""
    now = datetime.now(UTC)
    agent = (agent_id or "").strip() or None
    with uow:
        complaint = uow.complaints.get(number)
        if transcript is None or not transcript.strip():
            transcript, author = conversation(complaint)
            agent = agent or author
        with engine_input("transcript"):
            card = inspect(transcript, logged_category=complaint.category.value, agent_id=agent)
        payload = {"scorecard": card.to_dict(), "agent_id": card.agent_id}
        complaint.pending_events.append(DomainEvent("qa_inspected", actor, now, payload))
        uow.commit()
    return Inspection(number, transcript, card)


def stored_inspections(uow: UnitOfWork, number: str) -> list[StoredInspection]:
    with uow.reading():
        uow.complaints.get(number)
        return [
            StoredInspection(r.at, r.actor, r.payload.get("scorecard") or {})
            for r in uow.audit.for_complaint(number)
            if r.kind == "qa_inspected"
        ]
