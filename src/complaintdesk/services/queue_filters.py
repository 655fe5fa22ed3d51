"""The queue's query string (``stage``, ``sla``, ``category``, ``channel``, ``team``, ``owner``,
``escalated``, ``flag``, ``from``, ``to``, ``order``, ``closed``) as a typed ``QueueQuery``.

The queue page, the board's click-throughs and each user's saved views (``services.saved_views``) speak
this one vocabulary; the queue service checks each value and names the field it refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services.queue import QueueQuery, Scope
from complaintdesk.settings import local_zone

SCOPES = {"mine": Scope.MINE, "team": Scope.TEAM, "all": Scope.VISIBLE}
FILTER_NAMES = ("stage", "sla", "category", "channel", "team", "owner", "escalated", "from", "to", "order", "closed")
# The query's field named by an error, as the query string calls it.
PARAM_OF_FIELD = {"sla_state": "sla", "opened_from": "from", "opened_to": "to", "flags": "flag"}


def _day(value: str, field: str) -> datetime:
    try:
        return datetime.combine(datetime.strptime(value.strip(), "%Y-%m-%d").date(), time(), local_zone())
    except ValueError:
        raise InvalidInput(f"{field} 应为日期，例如 2026-12-06", field=field) from None


def _escalated(value: str) -> bool | None:
    if value in ("", None):
        return None
    if value in ("1", "0"):
        return value == "1"
    raise InvalidInput("escalated 可选：1（升级过）或 0（从未升级）", field="escalated")


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


def scope_of(scope: str, field: str = "scope") -> Scope:
    if scope not in SCOPES:
        raise InvalidInput(f"{field} 可选：{', '.join(SCOPES)}", field=field)
    return SCOPES[scope]


def count_query(scope: str, params: Mapping[str, str], flags: list[str]) -> QueueQuery:
    """The query that counts what these filters find (no page, no signals)."""
    return QueueQuery(scope=scope_of(scope), **filters_of(params, flags))  # type: ignore[arg-type]
