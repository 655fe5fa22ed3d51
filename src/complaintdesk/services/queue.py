"""The queue read model: which complaints a member of staff may find, one page at a time.

The API's ``GET /complaints``, the queue page and ``complaintdesk complaint list`` all list through
``list_queue`` (a typed ``QueueQuery`` in, a typed ``QueuePage`` out); who sees what is
``services.permissions``' rule, applied here with the facts it needs looked up. A customer's history
(``services.customers``) is the same listing for one customer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.vocab import Category, Channel, Priority, Stage, parse_enum
from complaintdesk.services import accounts, permissions, sla_service
from complaintdesk.services.permissions import Permission, Staff
from complaintdesk.services.queue_cursor import Cursor, decode_cursor, encode_cursor
from complaintdesk.services.queue_statement import (
    DATED,
    EQUALITY_FILTERS,
    FLAGS,
    NEWEST,
    NO_DUE,
    UNDATED,
    Filters,
    count_statement,
    counts_statement,
    covered,
    page_statement,
)
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import summary_from_row
from complaintdesk.storage import driver_sql, orm

SLA_STATES = ("breached", "due_soon", "on_track", "none")
ORDERS = ("newest", "due")  # newest first (by id), or the earliest running clock first
DUE_SOON = timedelta(hours=1)
MAX_LIMIT = 1000
LIVE_CLOCK_STATES = ("running", "paused", "warning", "breached")


class Scope(StrEnum):
    MINE = "mine"  # the viewer's own complaints
    TEAM = "team"  # the viewer's and their team's
    VISIBLE = "visible"  # every complaint the viewer may see (everyone's, for who reads every one)


@dataclass(frozen=True)
class QueueQuery:
    """What to list. Text filters are checked against their vocabularies (422 naming the field)."""

    scope: Scope = Scope.VISIBLE
    stage: str | None = None
    owner: str | None = None
    category: str | None = None
    channel: str | None = None
    priority: str | None = None
    customer_id: int | None = None
    sla_state: str | None = None  # breached | due_soon (within the hour) | on_track | none
    team: str | None = None  # owners whose account is in that team
    escalated: bool | None = None  # True: escalated at least once; False: never
    flags: tuple[str, ...] = ()  # every one of: runaround, repeat, reopened
    order: str = "newest"  # newest | due
    with_total: bool = False  # count every match too (one more statement)
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    open_only: bool = False
    limit: int = 50
    cursor: str | None = None
    # The queue page's extras: the most urgent running clock, customer types, threats and emotion.
    with_signals: bool = False
    type_min_score: float = 0.5


@dataclass(frozen=True)
class QueueItem:
    summary: dict[str, Any]
    types: tuple[str, ...] = ()
    threats: tuple[str, ...] = ()
    emotion: str | None = None
    sla: dict[str, Any] | None = None

    @property
    def sla_colour(self) -> str:
        return sla_colour(self.sla["state"] if self.sla else None)


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    next_cursor: str | None
    total: int | None = None  # every complaint matching the filters, when asked for

    @property
    def summaries(self) -> list[dict[str, Any]]:
        return [item.summary for item in self.items]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"items": self.summaries, "next_cursor": self.next_cursor}
        if self.total is not None:
            data["total"] = self.total
        return data


def sla_colour(state: str | None) -> str:
    """green while under 75% of the target, amber from the warning line, red once breached."""
    if state == "breached":
        return "red"
    if state == "warning":
        return "amber"
    if state in ("running", "paused"):
        return "green"
    return "none"


# -- Who sees what --------------------------------------------------------------------------------------


def visible_owners(uow: UnitOfWork, viewer: Staff) -> frozenset[str] | None:
    """None means every owner; otherwise the owners whose complaints ``viewer`` may see."""
    if permissions.allows(viewer.role, Permission.READ_EVERY_COMPLAINT):
        return None  # no lookup for who sees everything
    return permissions.visible_owners(viewer, accounts.team_members(uow, viewer.team))


def may_see_owner(uow: UnitOfWork, viewer: Staff, owner: str | None) -> bool:
    """Whether ``viewer`` may see a complaint of ``owner`` (whose team is looked up only when it matters)."""
    if (
        permissions.allows(viewer.role, Permission.READ_EVERY_COMPLAINT)
        or not owner
        or owner == viewer.username
    ):
        return permissions.may_see_complaint(viewer, owner, None)
    return permissions.may_see_complaint(viewer, owner, accounts.user_team(uow, owner))


def check_visible(uow: UnitOfWork, viewer: Staff, number: str) -> None:
    """NotFound for an unknown number; PermissionDenied for a complaint outside the viewer's queues."""
    with uow.reading():
        owner = uow.complaints.get(number).owner
    if not may_see_owner(uow, viewer, owner):
        raise permissions.refuse_unseen(number)


def _scoped_owners(uow: UnitOfWork, viewer: Staff | None, scope: Scope) -> frozenset[str] | None:
    if viewer is None:  # a process or an operator's CLI: the whole centre
        if scope is not Scope.VISIBLE:
            raise InvalidInput("只有登录的用户才有自己的或班组的队列", field="scope")
        return None
    visible = visible_owners(uow, viewer)
    if scope is Scope.VISIBLE:
        return visible
    wanted = frozenset({viewer.username})
    if scope is Scope.TEAM:
        wanted |= accounts.team_members(uow, viewer.team)
    return wanted if visible is None else wanted & visible


# -- The listing ------------------------------------------------------------------------------------


def validate(query: QueueQuery) -> None:
    if query.stage:
        parse_enum(Stage, query.stage, "stage")
    if query.category:
        parse_enum(Category, query.category, "category")
    if query.channel:
        parse_enum(Channel, query.channel, "channel")
    if query.priority:
        parse_enum(Priority, query.priority, "priority")
    if query.sla_state is not None and query.sla_state not in SLA_STATES:
        raise InvalidInput(f"sla_state 可选：{', '.join(SLA_STATES)}", field="sla_state")
    if query.order not in ORDERS:
        raise InvalidInput(f"order 可选：{', '.join(ORDERS)}", field="order")
    unknown = [f for f in query.flags if f not in FLAGS]
    if unknown:
        raise InvalidInput(f"flag 可选：{', '.join(FLAGS)}（不认识 {unknown[0]}）", field="flag")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidInput(f"limit 必须在 1 到 {MAX_LIMIT} 之间", field="limit")
    for name in ("opened_from", "opened_to"):
        value = getattr(query, name)
        if value is not None and value.tzinfo is None:
            raise InvalidInput(f"{name} 必须带时区", field=name)
        if value is not None:
            try:  # year 1 east of Greenwich, or 9999 west of it, has no UTC instant to compare with
                value.astimezone(UTC)
            except OverflowError:
                raise InvalidInput(f"{name} 超出可表示的时间范围", field=name) from None


def list_queue(
    uow: UnitOfWork, query: QueueQuery, *, viewer: Staff | None, now: datetime | None = None
) -> QueuePage:
    """One page of the queue (newest first, or the earliest due first), limited to what ``viewer``
    may see (None: a process acting for the whole centre, such as the operator's CLI)."""
    validate(query)
    cursor = decode_cursor(query.cursor, query.order)
    return _page(uow, query, _owners(uow, query, _scoped_owners(uow, viewer, query.scope)), cursor, now)


def count_queue(
    uow: UnitOfWork, query: QueueQuery, *, viewer: Staff | None, now: datetime | None = None
) -> int:
    """How many complaints ``query`` finds for ``viewer`` (a view's count, without its rows)."""
    validate(query)
    owners = _owners(uow, query, _scoped_owners(uow, viewer, query.scope))
    params = _params(query, owners, now or datetime.now(UTC))
    with uow.single_read() as connection:
        return int(connection.execute(count_statement(_filters(query, params)), params).scalar_one())


def count_many(
    uow: UnitOfWork, queries: Sequence[QueueQuery], *, viewer: Staff | None, now: datetime | None = None
) -> list[int]:
    """How many complaints each of ``queries`` finds for ``viewer``, in one pass over the complaints
    (a page's total, its views and its tabs), in the order given."""
    if not queries:
        return []
    now = now or datetime.now(UTC)
    parts = []
    for query in queries:
        validate(query)
        params = _params(query, _owners(uow, query, _scoped_owners(uow, viewer, query.scope)), now)
        parts.append((_filters(query, params), params))
    together = [i for i, (filters, _) in enumerate(parts) if covered(filters)]
    counts: dict[int, int] = {}
    with uow.single_read() as connection:
        if together:
            row = connection.execute(counts_statement([parts[i] for i in together])).one()
            counts.update(zip(together, (int(v or 0) for v in row), strict=True))
        for i, (filters, params) in enumerate(parts):
            if i not in counts:
                counts[i] = int(connection.execute(count_statement(filters), params).scalar_one())
    return [counts[i] for i in range(len(parts))]


def list_for_owners(
    uow: UnitOfWork, query: QueueQuery, owners: Collection[str] | None, *, now: datetime | None = None
) -> QueuePage:
    """The same listing for a caller that already knows whose complaints it may show (a customer's
    history, scoped like the customer lookup that preceded it)."""
    validate(query)
    scoped = frozenset(owners) if owners is not None else None
    return _page(uow, query, _owners(uow, query, scoped), decode_cursor(query.cursor, query.order), now)


def _owners(uow: UnitOfWork, query: QueueQuery, scoped: frozenset[str] | None) -> frozenset[str] | None:
    """The viewer's reach narrowed to the members of ``query.team`` when one is asked for."""
    if not query.team:
        return scoped
    members = frozenset(accounts.team_members(uow, query.team))
    return members if scoped is None else scoped & members


def _params(query: QueueQuery, owners: Collection[str] | None, now: datetime) -> dict[str, Any]:
    params: dict[str, Any] = {"now": now}
    if query.sla_state == "due_soon":
        params["soon"] = now + DUE_SOON
    for name in EQUALITY_FILTERS:
        value = getattr(query, name)
        if value is not None and value != "":
            params[name] = value
    for name in ("opened_from", "opened_to"):
        if getattr(query, name) is not None:
            params[name] = getattr(query, name)
    if owners is not None:
        params["owners"] = sorted(owners)
    return params


def _filters(query: QueueQuery, params: dict[str, Any]) -> Filters:
    flags = tuple(sorted(set(query.flags)))
    return (frozenset(params), query.open_only, query.sla_state, flags, query.escalated)


def _rows(connection: Connection, query: QueueQuery, params: dict[str, Any], cursor: Cursor | None) -> list[Any]:
    """Up to ``limit + 1`` rows from where ``cursor`` left off: newest first, or in due order the
    complaints with a running clock and, when those run out, the ones without (each by an index).
    With ``query.with_total`` the first part sent carries the total in each row (see ``_total``); in
    due order the second part carries it again only when the first found nothing."""
    wanted = query.limit + 1
    total = query.with_total
    if query.order != "due":
        part = dict(params, limit=wanted)
        if cursor is not None:
            part["after_id"] = cursor.last_id
        return driver_sql.fetch(connection, page_statement(_filters(query, part), NEWEST, total), part)
    rows: list[Any] = []
    undated_cursor = cursor is not None and (cursor.due is None or cursor.due >= NO_DUE)
    if not undated_cursor:
        part = dict(params, limit=wanted)
        if cursor is not None:
            part |= {"after_id": cursor.last_id, "after_due": cursor.due}
        rows = driver_sql.fetch(connection, page_statement(_filters(query, part), DATED, total), part)
    if len(rows) < wanted:
        part = dict(params, limit=wanted - len(rows), no_due=NO_DUE)
        if cursor is not None and undated_cursor:
            part["after_id"] = cursor.last_id
        statement = page_statement(_filters(query, part), UNDATED, total and not rows)
        rows += driver_sql.fetch(connection, statement, part)
    return rows


def _total(connection: Connection, query: QueueQuery, params: dict[str, Any], cursor: Cursor | None, rows: list[Any]) -> int:
    """Every complaint matching the filters: read from the page's own rows; a first page that found no
    row matched nothing; only an empty page further on asks the database again."""
    if rows:
        return int(rows[0].total)
    if cursor is None:
        return 0
    return int(connection.execute(count_statement(_filters(query, params)), params).scalar_one())


def _page(
    uow: UnitOfWork,
    query: QueueQuery,
    owners: Collection[str] | None,
    cursor: Cursor | None,
    now: datetime | None,
) -> QueuePage:
    now = now or datetime.now(UTC)
    params = _params(query, owners, now)
    by_due = query.order == "due"
    with uow.single_read() as connection:
        rows = _rows(connection, query, params, cursor)
        total = _total(connection, query, params, cursor, rows) if query.with_total else None
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    summaries = [summary_from_row(r) for r in rows]
    if query.with_signals:
        with uow.reading():
            items = _with_signals(uow, summaries, query, now)
    else:
        items = [QueueItem(s) for s in summaries]
    next_cursor = None
    if rows and more:
        next_cursor = encode_cursor(rows[-1].id, rows[-1].due_key if by_due else None)
    return QueuePage(items, next_cursor, total)


def _with_signals(
    uow: UnitOfWork, summaries: list[dict[str, Any]], query: QueueQuery, now: datetime
) -> list[QueueItem]:
    """Each row with its most urgent running clock and what the analysis saw (two more statements)."""
    numbers = [s["number"] for s in summaries]
    clocks = sla_service.active_statuses(uow, numbers, now)
    c = orm.complaints.c
    analyses: dict[str, Any] = {}
    if numbers:
        found = uow.complaints.session.execute(select(c.number, c.analysis).where(c.number.in_(numbers)))
        analyses = {row.number: row.analysis for row in found}
    items = []
    for summary in summaries:
        analysis = analyses.get(summary["number"]) or {}
        items.append(
            QueueItem(
                summary=summary,
                types=shown_types(analysis, query.type_min_score),
                threats=tuple(str(t.get("kind")) for t in analysis.get("threats") or []),
                emotion=(analysis.get("emotion") or {}).get("label"),
                sla=_most_urgent(clocks.get(summary["number"], [])),
            )
        )
    return items


def shown_types(analysis: dict[str, Any], min_score: float) -> tuple[str, ...]:
    """The customer types the queue shows: the agent's correction when there is one, else the engine's
    at or above the centre's confidence (``COMPLAINTDESK_QUEUE_TYPE_MIN_SCORE``)."""
    corrected = (analysis.get("corrections") or {}).get("customer_types")
    if corrected is not None:
        return tuple(str(t) for t in corrected)
    return tuple(
        str(t.get("type"))
        for t in analysis.get("customer_types") or []
        if float(t.get("score") or 0) >= min_score
    )


def _most_urgent(statuses: list[dict[str, Any]]) -> dict[str, Any] | None:
    live = [s for s in statuses if s["state"] in LIVE_CLOCK_STATES]
    if not live:
        return None
    return max(live, key=lambda s: (s["state"] == "breached", s["ratio"]))
