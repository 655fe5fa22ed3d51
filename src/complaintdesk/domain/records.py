"""The records a complaint keeps of what happened to it: messages, attachments, transfers, promises
and links to earlier complaints. Plain classes, mapped by ``storage.orm`` like the entities."""

from __future__ import annotations

from datetime import datetime

from complaintdesk.domain.vocab import MessageKind


class Message:
    def __init__(self, kind: MessageKind, author: str, body: str, at: datetime) -> None:
        self.id: int | None = None
        self.kind = MessageKind(kind)
        self.author = author
        self.body = body
        self.at = at


class Attachment:
    def __init__(
        self, filename: str, content_type: str, size: int, sha256: str, at: datetime, from_customer: bool = False
    ) -> None:
        self.id: int | None = None
        self.filename = filename
        self.content_type = content_type
        self.size = size
        self.sha256 = sha256
        self.at = at
        self.from_customer = from_customer  # uploaded by the customer on their status page


class Transfer:
    def __init__(self, from_owner: str | None, to_owner: str, reason: str, actor: str, at: datetime) -> None:
        self.id: int | None = None
        self.from_owner = from_owner
        self.to_owner = to_owner
        self.reason = reason
        self.actor = actor
        self.at = at


class Promise:
    """Something the customer was told will happen by a time (seed 004: promised 24 h, delivered 48 h)."""

    def __init__(self, what: str, due_at: datetime, made_at: datetime, made_by: str) -> None:
        self.id: int | None = None
        self.what = what
        self.due_at = due_at
        self.made_at = made_at
        self.made_by = made_by
        self.kept: bool | None = None
        self.resolved_at: datetime | None = None

    def is_overdue(self, now: datetime) -> bool:
        return self.kept is None and now > self.due_at


class RepeatLink:
    def __init__(self, earlier_number: str, score: float, reason: str, at: datetime) -> None:
        self.id: int | None = None
        self.earlier_number = earlier_number
        self.score = score
        self.reason = reason
        self.at = at
