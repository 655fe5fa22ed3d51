"""The queue read model: which complaints a member of staff may find, one page at a time.

The API's ``GET /complaints``, the queue page and ``complaintdesk complaint list`` all list through
``list_queue`` (a typed ``QueueQuery`` in, a typed ``QueuePage`` out); who sees what is
``services.permissions``' rule, applied here with the facts it needs looked up. A customer's history
(``services.customers``) is the same listing for one customer.
"""

from __future__ import annotations

import base64
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, exists, select

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.vocab import Category, Channel, Priority, Stage, parse_enum
from complaintdesk.services import accounts, permissions, sla_service
from complaintdesk.services.permissions import Permission, Staff
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import SUMMARY_COLUMNS, summary_from_row
from complaintdesk.storage import orm
from complaintdesk.storage.db import single_read_connection

SLA_STATES = ("breached", "on_track", "none")
MAX_LIMIT = 1000
PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
LIVE_CLOCK_STATES = ("running", "paused", "warning", "breached")


class Scope(StrEnum):
    MINE = "mine"  # the viewer's own complaints
    TEAM = "team"  # the viewer's and their team's
    VISIBLE = "visible"  # every complaint the viewer may see (everyone's, for who reads every one)


class SortKey(StrEnum):
    SLA = "sla"  # the most urgent running clock first
    OPENED = "opened"
    PRIORITY = "priority"
    STAGE = "stage"
    NUMBER = "number"


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
    sla_state: str | None = None  # breached | on_track | none
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

    @property
    def summaries(self) -> list[dict[str, Any]]:
        return [item.summary for item in self.items]

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.summaries, "next_cursor": self.next_cursor}

    def sorted_by(self, key: SortKey, descending: bool = False) -> list[QueueItem]:
        return sort_items(self.items, key, descending)


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


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"c:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = raw.partition(":")
        if prefix != "c":
            raise ValueError(raw)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("分页游标无效,请使用上一页返回的 next_cursor", field="cursor") from None


def _validate(query: QueueQuery) -> None:
    if query.stage:
        parse_enum(Stage, query.stage, "stage")
    if query.category:
        parse_enum(Category, query.category, "category")
    if query.channel:
        parse_enum(Channel, query.channel, "channel")
    if query.priority:
        parse_enum(Priority, query.priority, "priority")
    if query.sla_state is not None and query.sla_state not in SLA_STATES:
        raise InvalidInput(f"sla_state 可选: {', '.join(SLA_STATES)}", field="sla_state")
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


_EQUALITY_FILTERS = ("stage", "owner", "category", "channel", "priority", "customer_id")


@lru_cache(maxsize=256)
def _statement(present: frozenset[str], open_only: bool, sla_state: str | None) -> Any:
    """The queue statement for one combination of filters, built once with named parameters:
    rebuilding it per request cost more Python than running it."""
    c = orm.complaints.c
    clocks = orm.sla_clocks.c
    # Only the columns the summary shows, the customer's name joined in, as plain rows: loading entities
    # (and a second query for their customers) cost several times more CPU than the query itself. The
    # order is views.QUEUE_ROW_COLUMNS: summary_from_row reads the row by position.
    query = select(c.id, *(c[name] for name in SUMMARY_COLUMNS), orm.customers.c.name.label("customer_name"))
    query = query.select_from(orm.complaints.outerjoin(orm.customers, orm.customers.c.id == c.customer_id))
    query = query.where(c.import_id.is_(None))  # an import still writing: not yet
    for name in _EQUALITY_FILTERS:
        if name in present:
            query = query.where(c[name] == bindparam(name, type_=c[name].type))
    if "opened_from" in present:
        query = query.where(c.opened_at >= bindparam("opened_from", type_=c.opened_at.type))
    if "opened_to" in present:
        query = query.where(c.opened_at < bindparam("opened_to", type_=c.opened_at.type))
    if open_only:
        query = query.where(c.stage != Stage.CLOSED.value)
    if "owners" in present:
        query = query.where(c.owner.in_(bindparam("owners", expanding=True)))
    if sla_state is not None:
        running = exists().where(clocks.complaint_number == c.number).where(clocks.active.is_(True))
        late = running.where(clocks.due_at < bindparam("now", type_=clocks.due_at.type))
        if sla_state == "breached":
            query = query.where(late)
        elif sla_state == "on_track":
            query = query.where(running).where(~late)
        else:
            query = query.where(~running)
    if "after_id" in present:
        query = query.where(c.id < bindparam("after_id"))
    return query.order_by(c.id.desc()).limit(bindparam("limit"))


def list_queue(
    uow: UnitOfWork, query: QueueQuery, *, viewer: Staff | None, now: datetime | None = None
) -> QueuePage:
    """One page of the queue, newest first, limited to what ``viewer`` may see (None: a process
    acting for the whole centre, such as the operator's CLI)."""
    _validate(query)
    after_id = decode_cursor(query.cursor)
    return _page(uow, query, _scoped_owners(uow, viewer, query.scope), after_id, now or datetime.now(UTC))


def list_for_owners(
    uow: UnitOfWork, query: QueueQuery, owners: Collection[str] | None, *, now: datetime | None = None
) -> QueuePage:
    """The same listing for a caller that already knows whose complaints it may show (a customer's
    history, scoped like the customer lookup that preceded it)."""
    _validate(query)
    return _page(uow, query, owners, decode_cursor(query.cursor), now or datetime.now(UTC))


def _page(
    uow: UnitOfWork, query: QueueQuery, owners: Collection[str] | None, after_id: int | None, now: datetime
) -> QueuePage:
    params: dict[str, Any] = {"limit": query.limit + 1, "now": now}
    for name in _EQUALITY_FILTERS:
        value = getattr(query, name)
        if value is not None and value != "":
            params[name] = value
    for name in ("opened_from", "opened_to"):
        if getattr(query, name) is not None:
            params[name] = getattr(query, name)
    if after_id is not None:
        params["after_id"] = after_id
    if owners is not None:
        params["owners"] = sorted(owners)
    statement = _statement(frozenset(params), query.open_only, query.sla_state)
    with uow.reading():
        rows = single_read_connection(uow.complaints.session).execute(statement, params).all()
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        summaries = [summary_from_row(r) for r in rows]
        items = (
            _with_signals(uow, summaries, query, now)
            if query.with_signals
            else [QueueItem(s) for s in summaries]
        )
    last_id = rows[-1].id if rows and more else None
    return QueuePage(items, encode_cursor(last_id) if last_id is not None else None)


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


def sort_items(items: list[QueueItem], key: SortKey, descending: bool = False) -> list[QueueItem]:
    def sla_key(item: QueueItem) -> float:
        return float(item.sla["remaining_seconds"]) if item.sla else float("inf")

    keys: dict[SortKey, Any] = {
        SortKey.SLA: sla_key,
        SortKey.OPENED: lambda item: item.summary["opened_at"] or "",
        SortKey.PRIORITY: lambda item: PRIORITY_ORDER.get(item.summary["priority"], 9),
        SortKey.STAGE: lambda item: item.summary["stage"],
        SortKey.NUMBER: lambda item: item.summary["number"],
    }
    return sorted(items, key=keys[key], reverse=descending)
