"""`complaintdesk view`: a user's saved queue views from the command line — the same records as the
queue page and /api/v1/views — saved, listed with their counts, renamed, deleted; bad input named."""

from __future__ import annotations

import json


def test_a_view_saved_from_the_command_line_lists_with_its_count_and_can_be_renamed_and_deleted(cli, demo_db) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("view", "save", "一组已升级", "--user", "zhang_lead", "--scope", "team",
                       "--filter", "escalated=1", "--filter", "team=一组", "--json")  # fmt: skip
    assert code == 0, out
    saved = json.loads(out)
    listed = json.loads(cli("complaint", "list", "--team", "一组", "--escalated", "--open", "--json")[1])
    assert saved["count"] == len(listed) > 0
    code, out, _ = cli("view", "list", "--user", "zhang_lead")
    assert code == 0 and "一组已升级" in out and f"{saved['count']} 张" in out
    assert json.loads(cli("view", "list", "--user", "li_agent", "--json")[1]) == []
    assert cli("view", "rename", str(saved["id"]), "升级单", "--user", "zhang_lead")[0] == 0
    code, _, err = cli("view", "delete", str(saved["id"]), "--user", "li_agent")  # not hers
    assert code == 3 and "不存在" in err and "Traceback" not in err
    assert cli("view", "delete", str(saved["id"]), "--user", "zhang_lead")[0] == 0
    assert json.loads(cli("view", "list", "--user", "zhang_lead", "--json")[1]) == []


def test_bad_views_are_refused_with_a_message_naming_the_field(cli, demo_db) -> None:  # type: ignore[no-untyped-def]
    for args, field in (
        (("--filter", "sla"), "filter"),
        (("--filter", "sla=late"), "filters.sla"),
        (("--filter", "colour=red"), "filters.colour"),
        (("--scope", "everyone"), "scope"),
    ):
        code, _, err = cli("view", "save", "坏视图", "--user", "zhang_lead", *args)
        assert code == 2 and field in err and "Traceback" not in err, (args, err)
    code, _, err = cli("view", "list")
    assert code == 2 and "--user" in err
