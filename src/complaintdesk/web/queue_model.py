"""The queue read model: open complaints of a person or a team, with their most urgent SLA clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.domain.model import Customer
from complaintdesk.domain.sla import SlaPolicy, evaluate
from complaintdesk.domain.sla_policy import load_sla_policy
from complaintdesk.services import calendar_service
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.users import list_users
from complaintdesk.services.views import complaint_summary
from complaintdesk.storage import orm
from complaintdesk.storage.repository import ComplaintFilter
from complaintdesk.web.auth import WebUser

PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
SORT_KEYS = ("sla", "opened", "priority", "stage", "number")
# Seed 001's hardest kinds and the other types the analysis reports, shown as badges.
TYPE_BADGES = (
    "intimidating", "whiner", "silent", "friendly", "negative", "know_it_all", "procrastinator",
    "stubborn", "nagger", "self_important", "boss_demander",
)


@lru_cache(maxsize=1)
def _policy() -> SlaPolicy:
    return load_sla_policy()


def sla_colour(state: str | None) -> str:
    """green while under 75% of the target, amber from the warning line, red once breached."""
    if state == "breached":
        return "red"
    if state == "warning":
        return "amber"
    if state in ("running", "paused"):
        return "green"
    return "none"


@dataclass(frozen=True)
class QueueRow:
    summary: dict[str, Any]
    types: tuple[str, ...]
    threats: tuple[str, ...]
    emotion: str | None
    sla: dict[str, Any] | None

    @property
    def sla_colour(self) -> str:
        return sla_colour(self.sla["state"] if self.sla else None)


def team_members(desk: Desk, team: str | None) -> list[str]:
    return [u.username for u in list_users(desk.uow()) if team is not None and u.team == team]


def visible_owners(desk: Desk, user: WebUser) -> list[str] | None:
    """Whose complaints the user may find: everyone's (None), or their own and their team's."""
    return None if user.sees_all_teams else [user.username, *team_members(desk, user.team)]


def teams_by_user(desk: Desk) -> dict[str, str | None]:
    return {u.username: u.team for u in list_users(desk.uow())}


def may_view(user: WebUser, owner: str | None, teams: dict[str, str | None]) -> bool:
    """Agents and team leads see their own team's complaints; managers, admins, auditors see all."""
    if user.sees_all_teams or owner == user.username:
        return True
    return user.team is not None and teams.get(owner or "") == user.team


def _most_urgent(statuses: list[dict[str, Any]]) -> dict[str, Any] | None:
    live = [s for s in statuses if s["state"] in ("running", "paused", "warning", "breached")]
    if not live:
        return None
    return max(live, key=lambda s: (s["state"] == "breached", s["ratio"]))


def _customers(session: Session, ids: set[int]) -> dict[int, Customer]:
    """The rows' customers in one statement (one lookup per row made "my queue" 200 round trips)."""
    if not ids:
        return {}
    found = session.scalars(select(Customer).where(orm.customers.c.id.in_(sorted(ids))))
    return {customer.id: customer for customer in found if customer.id is not None}


def shown_types(analysis: dict[str, Any], min_score: float) -> tuple[str, ...]:
    """The customer types the queue shows: the agent's correction when there is one, else the engine's
    at or above the centre's confidence (``COMPLAINTDESK_QUEUE_TYPE_MIN_SCORE``)."""
    corrected = (analysis.get("corrections") or {}).get("customer_types")
    if corrected is not None:
        return tuple(str(t) for t in corrected)
    return tuple(
        str(t.get("type")) for t in analysis.get("customer_types") or [] if float(t.get("score") or 0) >= min_score
    )


def load_queue(desk: Desk, owners: list[str] | None, *, now: datetime, limit: int = 200) -> list[QueueRow]:
    """Open complaints of these owners (None: everyone's, newest ``limit``), each with its urgent clock."""
    rows: list[QueueRow] = []
    with desk.uow().reading() as uow:
        complaints = []
        for owner in owners if owners is not None else [None]:
            complaints.extend(uow.complaints.query(ComplaintFilter(owner=owner, open_only=True, limit=limit)))
        clocks = uow.clocks.due_for([c.number for c in complaints])
        customers = _customers(uow.complaints.session, {c.customer_id for c in complaints})
        calendar = calendar_service.cached_calendar(uow)  # the centre's, as on the complaint page
        for c in complaints:
            statuses = []
            for row in clocks.get(c.number, []):
                if not row.active:
                    continue
                status = evaluate(row.clock, now, calendar=calendar, thresholds=_policy().thresholds)
                statuses.append({**status.to_dict(), "label": row.clock.title_zh})
            analysis = c.analysis or {}
            rows.append(
                QueueRow(
                    summary=complaint_summary(c, customers.get(c.customer_id)),
                    types=shown_types(analysis, desk.settings.queue_type_min_score),
                    threats=tuple(str(t.get("kind")) for t in analysis.get("threats") or []),
                    emotion=(analysis.get("emotion") or {}).get("label"),
                    sla=_most_urgent(statuses),
                )
            )
    return rows


def sort_queue(rows: list[QueueRow], key: str, descending: bool) -> list[QueueRow]:
    def sla_key(r: QueueRow) -> float:
        return r.sla["remaining_seconds"] if r.sla else float("inf")

    keys = {
        "sla": sla_key,
        "opened": lambda r: r.summary["opened_at"] or "",
        "priority": lambda r: PRIORITY_ORDER.get(r.summary["priority"], 9),
        "stage": lambda r: r.summary["stage"],
        "number": lambda r: r.summary["number"],
    }
    chosen = keys.get(key, sla_key)
    return sorted(rows, key=chosen, reverse=descending)
