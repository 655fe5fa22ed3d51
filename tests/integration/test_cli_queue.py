"""`complaint list` with the queue's filters and pages, and `complaint reassign` for an absent agent."""

from __future__ import annotations

import json


def test_list_filters_by_team_and_pages_in_due_order(cli, demo_db) -> None:  # type: ignore[no-untyped-def]
    team_one = json.loads(cli("complaint", "list", "--team", "一组", "--json")[1])
    assert team_one and {row["owner"] for row in team_one} <= {"li_agent", "wu_agent", "zhang_lead"}
    code, out, _ = cli("complaint", "list", "--order", "due", "--limit", "2", "--open")
    assert code == 0 and "下一页：--cursor" in out and "共" in out
    cursor = out.split("下一页：--cursor ", 1)[1].split()[0]
    code, out, _ = cli(
        "complaint", "list", "--order", "due", "--limit", "2", "--open", "--cursor", cursor, "--json"
    )
    assert code == 0 and len(json.loads(out)) == 2
    code, _, err = cli("complaint", "list", "--flag", "vip")
    assert code != 0 and "flag" in err and "Traceback" not in err


def test_reassign_moves_an_absent_agents_open_complaints(cli, demo_db) -> None:  # type: ignore[no-untyped-def]
    theirs = json.loads(cli("complaint", "list", "--owner", "li_agent", "--open", "--json")[1])
    assert theirs
    code, out, err = cli(
        "complaint",
        "reassign",
        "--from-owner",
        "li_agent",
        "--to",
        "wu_agent",
        "--reason",
        "病假",
        "--actor",
        "zhang_lead",
    )
    assert code == 0, err
    assert f"已转派 {len(theirs)} 张给 wu_agent" in out
    assert json.loads(cli("complaint", "list", "--owner", "li_agent", "--open", "--json")[1]) == []
    code, _, err = cli(
        "complaint", "reassign", "TS-1", "--to", "wu_agent", "--reason", "r", "--actor", "li_agent"
    )
    assert code != 0 and "Traceback" not in err
