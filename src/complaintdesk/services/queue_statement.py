"""The queue's SQL: one statement per combination of filters, built once and cached.

``services.queue`` validates a ``QueueQuery``, looks up whose complaints the viewer may see and binds
the values; this module only turns the names of the filters present into a statement (a page of
rows in newest-first or due-first order, or the count of every row that matches).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, String, and_, bindparam, case, func, select, tuple_, type_coerce

from complaintdesk.domain.vocab import Stage
from complaintdesk.services.views import SUMMARY_COLUMNS, VOCABULARY_COLUMNS
from complaintdesk.storage import orm

# A complaint with no running clock sorts after every due time (the keyset needs a value to compare).
NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)
EQUALITY_FILTERS = ("stage", "owner", "category", "channel", "priority", "customer_id")
FLAGS = ("runaround", "repeat", "reopened")


def next_due() -> Any:
    """The earliest due time of the complaint's running clocks (NULL when none runs): a column that the
    database's triggers keep (migration 0012), so neither a sort nor a count reads the clocks."""
    return orm.complaints.c.next_due_at


Bind = Callable[..., Any]  # (name, type_=…, expanding=…) → the bind parameter for that value


def _named(name: str, **kw: Any) -> Any:
    """A named parameter, its value bound at execution (the cached statements)."""
    return bindparam(name, **kw)


def _sla_condition(sla_state: str, bind: Bind = _named) -> Any:
    due = next_due()
    now = bind("now", type_=due.type)
    if sla_state == "breached":
        return due < now
    if sla_state == "due_soon":  # not late yet, but a clock runs out within the hour
        return and_(due >= now, due < bind("soon", type_=due.type))
    if sla_state == "on_track":
        return due >= now
    return due.is_(None)


def conditions(
    present: frozenset[str],
    open_only: bool,
    sla_state: str | None,
    flags: tuple[str, ...],
    escalated: bool | None,
    bind: Bind = _named,
) -> list[ColumnElement[bool]]:
    c = orm.complaints.c
    where: list[ColumnElement[bool]] = [c.import_id.is_(None)]  # an import still writing: not yet
    for name in EQUALITY_FILTERS:
        if name in present:
            where.append(c[name] == bind(name, type_=c[name].type))
    if "opened_from" in present:
        where.append(c.opened_at >= bind("opened_from", type_=c.opened_at.type))
    if "opened_to" in present:
        where.append(c.opened_at < bind("opened_to", type_=c.opened_at.type))
    if open_only:
        where.append(c.stage != Stage.CLOSED.value)
    if "owners" in present:
        where.append(c.owner.in_(bind("owners", expanding=True)))
    if sla_state is not None:
        where.append(_sla_condition(sla_state, bind))
    if escalated is not None:
        where.append(c.escalation_level > 0 if escalated else c.escalation_level == 0)
    for flag in flags:
        where.append(c.reopen_count > 0 if flag == "reopened" else c[flag].is_(True))
    return where


Filters = tuple[frozenset[str], bool, str | None, tuple[str, ...], bool | None]


# The parts of a listing: newest first, or in due order the complaints with a running clock (by due
# time) and then those without one (by id). Each is one index-ordered statement; a page in due order
# reads the second part only when the first runs out.
NEWEST, DATED, UNDATED = "newest", "dated", "undated"


@lru_cache(maxsize=256)
def page_statement(filters: Filters, part: str, with_total: bool = False) -> Any:
    """A page of rows in ``views.QUEUE_ROW_COLUMNS`` order (``summary_from_row`` reads by position),
    then, in due order, the sort key ``due_key``, then with ``with_total`` the count of every match
    whatever the page (``total``: the same statement, so one round trip and one snapshot for both).
    Rebuilding it per request cost more than running it."""
    c = orm.complaints.c
    due = next_due()
    columns: list[Any] = [
        c.id,
        # the vocabulary columns as the strings stored (the summary shows the value, not the enum)
        *(
            type_coerce(c[name], String).label(name) if name in VOCABULARY_COLUMNS else c[name]
            for name in SUMMARY_COLUMNS
        ),
        orm.customers.c.name.label("customer_name"),
    ]
    if part == DATED:
        columns.append(due.label("due_key"))
    elif part == UNDATED:
        columns.append(bindparam("no_due", type_=due.type).label("due_key"))
    if with_total:
        # correlate(None): the count reads every matching complaint, not the outer row's.
        columns.append(count_statement(filters).correlate(None).scalar_subquery().label("total"))
    query = select(*columns).select_from(
        orm.complaints.outerjoin(orm.customers, orm.customers.c.id == c.customer_id)
    )
    query = query.where(*conditions(*filters))
    after = "after_id" in filters[0]
    if part == DATED:
        query = query.where(due.is_not(None))
        if after:
            after_due = bindparam("after_due", type_=due.type)
            query = query.where(tuple_(due, c.id) > tuple_(after_due, bindparam("after_id")))
        return query.order_by(due.asc(), c.id.asc()).limit(bindparam("limit"))
    if part == UNDATED:
        query = query.where(due.is_(None))
        if after:
            query = query.where(c.id > bindparam("after_id"))
        return query.order_by(c.id.asc()).limit(bindparam("limit"))
    if after:
        query = query.where(c.id < bindparam("after_id"))
    return query.order_by(c.id.desc()).limit(bindparam("limit"))


@lru_cache(maxsize=256)
def count_statement(filters: Filters) -> Any:
    """How many complaints match, whatever the page (the queue's total and each view's count)."""
    return select(func.count()).select_from(orm.complaints).where(*conditions(*filters))


# What the combined count reads from ix_complaints_owner_due alone: a query filtering on anything else
# is counted on its own, by the index that suits it (a category's, the due time's).
COVERED_PARAMS = frozenset({"now", "soon", "owners", "owner", "stage"})
COVERED_FLAGS = frozenset({"runaround"})


def covered(filters: Filters) -> bool:
    present, _open_only, _sla, flags, _escalated = filters
    return present <= COVERED_PARAMS and set(flags) <= COVERED_FLAGS


def counts_statement(queries: Sequence[tuple[Filters, Mapping[str, Any]]]) -> Any:
    """Many counts in one pass over the complaints: for each (filters, values), how many rows match
    (a page's total, its views and its tabs read the index once, not once each). What every query
    asks (open complaints, a set of owners) narrows the pass itself."""
    c = orm.complaints.c
    all_open = all(filters[1] for filters, _ in queries)
    owner_sets = [values.get("owners") if "owners" in filters[0] else None for filters, values in queries]
    owners = None if any(o is None for o in owner_sets) else sorted({x for o in owner_sets for x in o or ()})
    sums = []
    for i, (filters, values) in enumerate(queries):

        def bind(name: str, i: int = i, values: Mapping[str, Any] = values, **kw: Any) -> Any:
            return bindparam(f"q{i}_{name}", values[name], **kw)

        present, open_only, sla_state, flags, escalated = filters
        if owners is not None and set(values.get("owners") or ()) == set(owners):
            present = present - {"owners"}  # the pass itself reads only these owners
        where = conditions(present, open_only and not all_open, sla_state, flags, escalated, bind=bind)[1:]
        sums.append(func.coalesce(func.sum(case((and_(*where), 1), else_=0)), 0) if where else func.count())
    query = select(*sums).select_from(orm.complaints).where(c.import_id.is_(None))
    if all_open:
        query = query.where(c.stage != Stage.CLOSED.value)
    if owners is not None:
        query = query.where(c.owner.in_(owners))
    return query
