"""Where each number of the supervisor's board leads: the queue filtered to exactly what was counted
(the same query string the queue page reads, ``web.queue_form``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from complaintdesk.services.board import Board


def queue(scope: str, filters: Mapping[str, str]) -> str:
    return "/queue?" + urlencode([("scope", scope), *((k, v) for k, v in filters.items() if v)])


def live_context(board: Board, scope: str) -> dict[str, Any]:
    """The board with a link for every number and every chart segment."""
    agents = [
        {
            "agent": agent,
            "open_link": queue(scope, {"owner": agent.owner}),
            "overdue_link": queue(scope, {"owner": agent.owner, "sla": "breached"}),
            "oldest_link": f"/complaints/{agent.oldest_number}" if agent.oldest_number else None,
            "age_seconds": (board.as_of - agent.oldest_opened_at).total_seconds()
            if agent.oldest_opened_at
            else None,
        }
        for agent in board.agents
    ]
    teams = [
        {
            "team": team,
            "link": queue(scope, {"team": team.team}),
            "missed_link": queue(scope, {"team": team.team, "sla": "breached"}),
        }
        for team in board.teams
    ]
    chart = {
        "agents": {
            "names": [a.owner for a in board.agents],
            "overdue": [a.overdue for a in board.agents],
            "on_time": [a.open - a.overdue for a in board.agents],
            "overdue_links": [row["overdue_link"] for row in agents],
            "open_links": [row["open_link"] for row in agents],
        },
        "teams": {
            "names": [t.team for t in board.teams],
            "rates": [None if t.rate is None else round(t.rate * 100, 1) for t in board.teams],
            "links": [row["link"] for row in teams],
        },
    }
    return {
        "board": board,
        "links": {
            "open": queue(scope, {}),
            "overdue": queue(scope, {"sla": "breached"}),
            "due_soon": queue(scope, {"sla": "due_soon"}),
        },
        "agents": agents,
        "teams": teams,
        "chart": chart,
    }
