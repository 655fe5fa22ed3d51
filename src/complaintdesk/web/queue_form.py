"""The queue page's query string as a ``QueueQuery``, and the views it counts.

The page, the board's click-throughs and a user's saved views all speak this query string (``stage``,
``sla``, ``category``, ``team``, ``owner``, ``escalated``, ``flag``, ``from``, ``to``, ``order``,
``cursor``); the service checks each value against its vocabulary and names the field it refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services.queue import QueueQuery, Scope
from complaintdesk.settings import local_zone

SCOPES = {"mine": Scope.MINE, "team": Scope.TEAM, "all": Scope.VISIBLE}
FILTER_NAMES = ("stage", "sla", "category", "channel", "team", "owner", "escalated", "from", "to", "order", "closed")
PAGE_SIZE = 50


@dataclass(frozen=True)
class View:
    """A preset of the queue with its count on the page (the board links to the same presets)."""

    key: str
    params: tuple[tuple[str, str], ...]


VIEWS = (
    View("open", ()),
    View("breached", (("sla", "breached"),)),
    View("due_soon", (("sla", "due_soon"),)),
    View("escalated", (("escalated", "1"),)),
    View("runaround", (("flag", "runaround"),)),
)


def _day(value: str, field: str) -> datetime:
    try:
        return datetime.combine(datetime.strptime(value.strip(), "%Y-%m-%d").date(), time(), local_zone())
    except ValueError:
        raise InvalidInput(f"{field} 应为日期,例如 2026-12-06", field=field) from None


def _escalated(value: str) -> bool | None:
    if value in ("", None):
        return None
    if value in ("1", "0"):
        return value == "1"
    raise InvalidInput("escalated 可选: 1 (升级过) 或 0 (从未升级)", field="escalated")


def filters_of(params: Mapping[str, str], flags: list[str]) -> dict[str, object]:
    """The filters the query string asks for, typed (the dates as the centre's local days, ``to``
    inclusive); empty values are no filter."""
    value = {name: (params.get(name) or "").strip() for name in FILTER_NAMES}
    return {
        "stage": value["stage"] or None,
        "sla_state": value["sla"] or None,
        "category": value["category"] or None,
        "channel": value["channel"] or None,
        "team": value["team"] or None,
        "owner": value["owner"] or None,
        "escalated": _escalated(value["escalated"]),
        "flags": tuple(f for f in flags if f),
        "opened_from": _day(value["from"], "from") if value["from"] else None,
        "opened_to": _day(value["to"], "to") + timedelta(days=1) if value["to"] else None,
        "order": value["order"] or "due",
        "open_only": value["closed"] != "1",  # closed=1: closed complaints too (the dashboard's counts)
    }


def query_of(
    scope: str,
    params: Mapping[str, str],
    flags: list[str],
    *,
    type_min_score: float,
    cursor: str | None = None,
) -> QueueQuery:
    return QueueQuery(
        scope=SCOPES[scope],
        limit=PAGE_SIZE,
        cursor=cursor or None,
        with_signals=True,
        with_total=True,
        type_min_score=type_min_score,
        **filters_of(params, flags),  # type: ignore[arg-type]
    )


def view_query(scope: str, view: View) -> QueueQuery:
    params = dict(view.params)
    flags = [v for k, v in view.params if k == "flag"]
    return QueueQuery(scope=SCOPES[scope], **filters_of(params, flags))  # type: ignore[arg-type]


def href(scope: str, params: Mapping[str, str], flags: list[str], **changes: str) -> str:
    """The queue's address for these filters (with ``changes``; an empty value drops a filter)."""
    pairs = [("scope", scope)]
    merged = {name: params.get(name, "") for name in FILTER_NAMES} | changes
    pairs += [(k, v) for k, v in merged.items() if v and k in (*FILTER_NAMES, "cursor")]
    pairs += [("flag", f) for f in flags if f]
    return "/queue?" + urlencode(pairs)


def view_href(scope: str, view: View) -> str:
    return "/queue?" + urlencode([("scope", scope), *view.params])


def active_view(params: Mapping[str, str], flags: list[str]) -> str | None:
    """Which preset the filters are exactly, if any (its tab is marked current)."""
    given = {(k, v) for k, v in params.items() if k in FILTER_NAMES and v and k != "order"}
    given |= {("flag", f) for f in flags if f}
    for view in VIEWS:
        if given == set(view.params):
            return view.key
    return None
