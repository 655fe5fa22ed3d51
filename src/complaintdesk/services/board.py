"""The supervisor's live board: what is open now, overdue now, due within the hour, each agent's load
with their oldest open complaint, and each team's SLA compliance today.

The counts are one grouped pass over the open complaints the viewer may see, with the queue's own
conditions (the kept next due time: overdue is ``sla=breached``, within the hour ``sla=due_soon``), so the
board's numbers and the queues they link to agree; the per-team figures are one more grouped statement
over the clocks that fell due today (a team lead sees their team, a manager the centre).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import and_, case, func, select

from complaintdesk.domain.vocab import Stage
from complaintdesk.services import queue
from complaintdesk.services.permissions import Staff
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import local_zone
from complaintdesk.storage import orm


@dataclass(frozen=True)
class AgentLoad:
    owner: str
    team: str | None
    open: int
    overdue: int
    oldest_number: str | None
    oldest_opened_at: datetime | None


@dataclass(frozen=True)
class TeamCompliance:
    team: str
    met: int  # clocks due today so far, stopped in time
    missed: int  # stopped late, or still running past their due time

    @property
    def rate(self) -> float | None:
        done = self.met + self.missed
        return round(self.met / done, 4) if done else None


@dataclass(frozen=True)
class Board:
    as_of: datetime
    open_now: int
    overdue_now: int
    due_next_hour: int
    agents: list[AgentLoad]
    teams: list[TeamCompliance]

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "open_now": self.open_now,
            "overdue_now": self.overdue_now,
            "due_next_hour": self.due_next_hour,
            "agents": [
                {
                    **a.__dict__,
                    "oldest_opened_at": a.oldest_opened_at.isoformat() if a.oldest_opened_at else None,
                }
                for a in self.agents
            ],
            "teams": [{**t.__dict__, "rate": t.rate} for t in self.teams],
        }


def board(uow: UnitOfWork, viewer: Staff, now: datetime) -> Board:
    owners = queue.visible_owners(uow, viewer)
    with uow.single_read() as connection:
        agents, due_next_hour = _agents(connection, owners, now)
        teams = _teams(connection, owners, now)
    return Board(
        as_of=now,
        open_now=sum(a.open for a in agents),
        overdue_now=sum(a.overdue for a in agents),
        due_next_hour=due_next_hour,
        agents=agents,
        teams=teams,
    )


def _open(owners: frozenset[str] | None) -> list[Any]:
    """The queue's open, visible complaints (``queue_statement.conditions`` with ``open_only``)."""
    c = orm.complaints.c
    where = [c.stage != Stage.CLOSED.value, c.import_id.is_(None)]
    if owners is not None:
        where.append(c.owner.in_(sorted(owners)))
    return where


def _agents(session: Any, owners: frozenset[str] | None, now: datetime) -> tuple[list[AgentLoad], int]:
    """Each owner's open and overdue counts and oldest open complaint, and how many fall due within
    the hour: one grouped pass over the open complaints (by the kept next due time, as the queue's
    ``sla`` filters count them), then the oldest one's number by owner and time."""
    c, u = orm.complaints.c, orm.users.c
    due = c.next_due_at
    late = due < now
    soon = and_(due >= now, due < now + queue.DUE_SOON)
    totals = session.execute(
        select(
            c.owner,
            func.count(),
            func.sum(case((late, 1), else_=0)),
            func.min(c.opened_at),
            func.sum(case((soon, 1), else_=0)),
        )
        .where(*_open(owners))
        .group_by(c.owner)
    ).all()
    firsts = {(row[0], row[3]) for row in totals}
    oldest: dict[str, tuple[str, datetime]] = {}
    if firsts:
        found = session.execute(
            select(c.owner, c.number, c.opened_at, c.id)
            .where(*_open(frozenset(owner for owner, _ in firsts)))
            .where(c.opened_at.in_(sorted({opened for _, opened in firsts})))
            .order_by(c.id)
        ).all()
        for row in found:
            if (row.owner, row.opened_at) in firsts and row.owner not in oldest:
                oldest[row.owner] = (row.number, row.opened_at)
    teams = dict(session.execute(select(u.username, u.team)).all())
    loads = []
    for owner, n, overdue, _first, _soon in totals:
        number, opened_at = oldest.get(owner, (None, None))
        loads.append(AgentLoad(str(owner), teams.get(owner), int(n), int(overdue or 0), number, opened_at))
    due_next_hour = sum(int(row[4] or 0) for row in totals)
    return sorted(loads, key=lambda a: (-a.overdue, -a.open, a.owner)), due_next_hour


def _teams(session: Any, owners: frozenset[str] | None, now: datetime) -> list[TeamCompliance]:
    """Clocks due between the centre's midnight and now, by the owner's team."""
    c, k, u = orm.complaints.c, orm.sla_clocks.c, orm.users.c
    zone = local_zone()  # "today" is the centre's day
    midnight = datetime.combine(now.astimezone(zone).date(), time(), zone)
    met = and_(k.active.is_(False), k.updated_at <= k.due_at)
    statement = (
        select(u.team, func.sum(case((met, 1), else_=0)), func.sum(case((met, 0), else_=1)))
        .select_from(
            orm.sla_clocks.join(orm.complaints, c.number == k.complaint_number).join(
                orm.users, u.username == c.owner
            )
        )
        .where(k.due_at >= midnight, k.due_at < now, u.team.is_not(None), c.import_id.is_(None))
        .group_by(u.team)
    )
    if owners is not None:
        statement = statement.where(c.owner.in_(sorted(owners)))
    rows = session.execute(statement).all()
    return sorted(
        (TeamCompliance(str(team), int(m or 0), int(x or 0)) for team, m, x in rows), key=lambda t: t.team
    )
