"""Who takes a complaint that a channel opened on its own (a mail): the routing rules in force
(``domain.routing``), applied to the active staff inside the intake's unit of work."""

from __future__ import annotations

from sqlalchemy import func, select

from complaintdesk.domain.routing import active_routing, pick_member
from complaintdesk.domain.vocab import Role, Stage
from complaintdesk.services.permissions import may_own
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage import orm


def owner_for_mail(uow: UnitOfWork, category: str) -> str | None:
    """Inside an open unit of work: the owner the routing names for a mail of ``category``, or None
    (no rule, an unknown or inactive account, a team with nobody to take it): the channel keeps it."""
    rule = active_routing().rule_for(category)
    if rule is None:
        return None
    if rule.owner is not None:
        user = uow.users.get(rule.owner)
        return user.username if user is not None and may_own(user) else None
    members = [u for u in uow.users.all() if u.team == rule.team and may_own(u)]
    agents = [u.username for u in members if u.role == Role.AGENT] or [u.username for u in members]
    if not agents:
        return None
    c = orm.complaints.c
    rows = uow.users.session.execute(
        select(c.owner, func.count()).where(c.owner.in_(agents), c.stage != Stage.CLOSED.value).group_by(c.owner)
    ).all()
    counts = {name: 0 for name in agents} | {owner: int(n) for owner, n in rows}
    return pick_member(counts)
