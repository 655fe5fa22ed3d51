"""The queue's SQL: one statement per combination of filters, built once and cached.

``services.queue`` validates a ``QueueQuery``, looks up whose complaints the viewer may see and binds
the values; this module only turns the names of the filters present into a statement (a page of
rows in newest-first or due-first order, or the count of every row that matches).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, or_, select

from complaintdesk.domain.vocab import Stage
from complaintdesk.services.views import SUMMARY_COLUMNS
from complaintdesk.storage import orm

# A complaint with no running clock sorts after every due time (the keyset needs a value to compare).
NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)
EQUALITY_FILTERS = ("stage", "owner", "category", "channel", "priority", "customer_id")
FLAGS = ("runaround", "repeat", "reopened")


def _running() -> Any:
    clocks = orm.sla_clocks.c
    c = orm.complaints.c
    return exists().where(clocks.complaint_number == c.number).where(clocks.active.is_(True))


def next_due() -> Any:
    """The earliest due time of the complaint's running clocks (NULL when none runs)."""
    clocks = orm.sla_clocks.c
    c = orm.complaints.c
    return (
        select(func.min(clocks.due_at))
        .where(clocks.complaint_number == c.number)
        .where(clocks.active.is_(True))
        .scalar_subquery()
    )


def _sla_condition(sla_state: str) -> Any:
    clocks = orm.sla_clocks.c
    running = _running()
    late = running.where(clocks.due_at < bindparam("now", type_=clocks.due_at.type))
    if sla_state == "breached":
        return late
    if sla_state == "due_soon":  # not late yet, but a clock runs out within the hour
        soon = running.where(clocks.due_at < bindparam("soon", type_=clocks.due_at.type))
        return and_(soon, ~late)
    if sla_state == "on_track":
        return and_(running, ~late)
    return ~running


def conditions(
    present: frozenset[str],
    open_only: bool,
    sla_state: str | None,
    flags: tuple[str, ...],
    escalated: bool | None,
) -> list[ColumnElement[bool]]:
    c = orm.complaints.c
    where: list[ColumnElement[bool]] = [c.import_id.is_(None)]  # an import still writing: not yet
    for name in EQUALITY_FILTERS:
        if name in present:
            where.append(c[name] == bindparam(name, type_=c[name].type))
    if "opened_from" in present:
        where.append(c.opened_at >= bindparam("opened_from", type_=c.opened_at.type))
    if "opened_to" in present:
        where.append(c.opened_at < bindparam("opened_to", type_=c.opened_at.type))
    if open_only:
        where.append(c.stage != Stage.CLOSED.value)
    if "owners" in present:
        where.append(c.owner.in_(bindparam("owners", expanding=True)))
    if sla_state is not None:
        where.append(_sla_condition(sla_state))
    if escalated is not None:
        where.append(c.escalation_level > 0 if escalated else c.escalation_level == 0)
    for flag in flags:
        where.append(c.reopen_count > 0 if flag == "reopened" else c[flag].is_(True))
    return where


Filters = tuple[frozenset[str], bool, str | None, tuple[str, ...], bool | None]


@lru_cache(maxsize=256)
def page_statement(filters: Filters, by_due: bool) -> Any:
    """A page of rows in ``views.QUEUE_ROW_COLUMNS`` order (``summary_from_row`` reads by position),
    then, ordered by due time, the sort key. Rebuilding it per request cost more than running it."""
    c = orm.complaints.c
    columns: list[Any] = [
        c.id,
        *(c[name] for name in SUMMARY_COLUMNS),
        orm.customers.c.name.label("customer_name"),
    ]
    due = func.coalesce(next_due(), bindparam("no_due", type_=orm.sla_clocks.c.due_at.type))
    if by_due:
        columns.append(due.label("due_key"))
    query = select(*columns).select_from(
        orm.complaints.outerjoin(orm.customers, orm.customers.c.id == c.customer_id)
    )
    query = query.where(*conditions(*filters))
    present = filters[0]
    if by_due:
        if "after_id" in present:
            after_due = bindparam("after_due", type_=orm.sla_clocks.c.due_at.type)
            query = query.where(or_(due > after_due, and_(due == after_due, c.id > bindparam("after_id"))))
        return query.order_by(due.asc(), c.id.asc()).limit(bindparam("limit"))
    if "after_id" in present:
        query = query.where(c.id < bindparam("after_id"))
    return query.order_by(c.id.desc()).limit(bindparam("limit"))


@lru_cache(maxsize=256)
def count_statement(filters: Filters) -> Any:
    """How many complaints match, whatever the page (the queue's total and each view's count)."""
    return select(func.count()).select_from(orm.complaints).where(*conditions(*filters))
