"""The queue page's query string as a ``QueueQuery``, and the views it counts.

The page, the board's click-throughs and a user's saved views all speak this query string (``stage``,
``sla``, ``category``, ``team``, ``owner``, ``escalated``, ``flag``, ``from``, ``to``, ``order``,
``cursor``); the service checks each value against its vocabulary and names the field it refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from complaintdesk.services.queue import QueueQuery
from complaintdesk.services.queue_filters import FILTER_NAMES, SCOPES, filters_of

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


def query_of(
    scope: str,
    params: Mapping[str, str],
    flags: list[str],
    *,
    type_min_score: float,
    cursor: str | None = None,
    with_total: bool = True,
) -> QueueQuery:
    return QueueQuery(
        scope=SCOPES[scope],
        limit=PAGE_SIZE,
        cursor=cursor or None,
        with_signals=True,
        with_total=with_total,
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


def current_pairs(scope: str, params: Mapping[str, str], flags: list[str]) -> frozenset[tuple[str, str]]:
    """What a set of filters asks for, to compare a saved view with the page (order and empties aside;
    due order is the default)."""
    given = {(k, v) for k, v in params.items() if k in FILTER_NAMES and v and (k, v) != ("order", "due")}
    return frozenset({("scope", scope), *given, *(("flag", f) for f in flags if f)})
