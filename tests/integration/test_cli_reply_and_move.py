"""``complaintdesk complaint reply-and-move``: the CLI builds the same one command as the page and the API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta


def test_reply_and_move_takes_a_complaint_through_the_stages_and_a_refusal_exits_without_a_reply(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(
        "complaint", "open", "--name", "赵女士", "--phone", "13600002222", "--title", "水壶不加热",
        "--text", "买的电水壶三天就不加热了。", "--json",
    )  # fmt: skip
    assert code == 0, err
    number = json.loads(out)["number"]
    code, out, err = cli("complaint", "reply-and-move", number, "--body", "您好,非常抱歉。", "--json")
    assert code == 0, err
    assert json.loads(out)["stage"] == "calming"
    for _ in ("clarifying", "proposing"):
        assert cli("complaint", "reply-and-move", number)[0] == 0
    code, _, err = cli("complaint", "reply-and-move", number, "--body", "马上处理")
    assert code != 0 and "解决方案" in err and "Traceback" not in err
    due = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    steps = [("--solution", "安排师傅上门检测"), (), ("--follow-up", due), ("--satisfied",)]
    for extra in steps:
        code, out, err = cli("complaint", "reply-and-move", number, *extra, "--json")
        assert code == 0, err
    detail = json.loads(out)
    assert detail["stage"] == "closed" and [m["body"] for m in detail["messages"]] == ["您好,非常抱歉。"]
