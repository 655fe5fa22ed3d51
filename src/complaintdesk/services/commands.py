"""The workflow's commands: what a person asks to be done to a complaint, as data.

The API, the pages and the CLI build one of these from their own input and pass it to
``services.handlers.handle``; none of them calls a use-case of its own. Every command names the
complaint, who acts (their username, written to the audit trail) and, for a change of state, the
version they read: a stale one is refused (409) instead of overwriting what someone else did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from complaintdesk.services.proposals import StatedOffer


@dataclass(frozen=True, kw_only=True)
class Command:
    number: str
    actor: str
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class Move(Command):
    """To another stage of the workflow, closing included (``waiver_reason``: closed unsigned)."""

    stage: str
    waiver_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class Propose(Command):
    """A proposed solution, within the proposer's authority (``role``: whose authority; without it,
    the actor's account's, and for an actor without one, an agent's)."""

    solution: str
    offer: StatedOffer | None = None
    role: str | None = None


@dataclass(frozen=True, kw_only=True)
class AddMessage(Command):
    """A call, a reply or an internal note. An append conflicts with no other change: its
    ``expected_version`` is accepted and never compared (a concurrent writer makes it append again)."""

    kind: str
    body: str
    # A reply also sent to the customer, through the mail or SMS outbox (docs/channels.md); ``via``
    # chooses "email" or "sms" (None: the customer's own channel, services.outbound).
    send_to_customer: bool = False
    via: str | None = None


@dataclass(frozen=True, kw_only=True)
class Transfer(Command):
    to_owner: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Escalate(Command):
    """Up to a level (None: one up), to a person who takes that level (None: at level 1, the owner's
    team lead); beyond one level, an agent's or team lead's escalation waits for their lead's approval."""

    reason: str
    to_level: int | None = None
    to_user: str | None = None


@dataclass(frozen=True, kw_only=True)
class Decide(Command):
    """A lead's answer to an approval request (``services.approvals``): approved, it is carried out."""

    request_id: int
    approve: bool
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class MakePromise(Command):
    what: str
    due_at: datetime


@dataclass(frozen=True, kw_only=True)
class ResolvePromise(Command):
    index: int  # from 0, in the order the promises were made
    kept: bool


@dataclass(frozen=True, kw_only=True)
class SignOff(Command):
    satisfied: bool
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class ScheduleFollowUp(Command):
    due: datetime


@dataclass(frozen=True, kw_only=True)
class CompleteFollowUp(Command):
    outcome: str


@dataclass(frozen=True, kw_only=True)
class RecordTaskOutcome(Command):
    """How a call-back or follow-up task went: reached | not_reached | satisfied."""

    task_id: int
    outcome: str


@dataclass(frozen=True, kw_only=True)
class Reopen(Command):
    reason: str


@dataclass(frozen=True, kw_only=True)
class RecordFacts(Command):
    """What the agent established (the policy engine's facts), validated before it is stored."""

    facts: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ReplyAndMove(Command):
    """One action of the one-screen page: a reply (or note) and the move to the next stage, in one unit of
    work (both or neither). What the next stage's guard asks for may come with it: a ``solution`` (with its
    ``offer``) before acting, a ``follow_up_due`` before follow_up, the customer's sign-off before closed.
    An empty ``body`` moves without a message. ``stage``: the stage the form offered (None: the next one);
    a sign-off "not satisfied" reopens the complaint and nothing moves."""

    body: str = ""
    kind: str = "outbound"
    send_to_customer: bool = False
    stage: str | None = None
    solution: str | None = None
    offer: StatedOffer | None = None
    role: str | None = None
    follow_up_due: datetime | None = None
    satisfied: bool | None = None
    signoff_reason: str | None = None
