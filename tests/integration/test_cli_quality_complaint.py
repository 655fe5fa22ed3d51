"""``complaintdesk qa complaint``: a complaint's own conversation scored and kept under the agent."""

from __future__ import annotations

import json
from pathlib import Path


def _a_number_with_replies(cli) -> str:  # type: ignore[no-untyped-def]
    code, out, _ = cli("complaint", "list", "--json")
    assert code == 0
    for row in json.loads(out):
        code, detail, _ = cli("complaint", "show", row["number"], "--json")
        if any(m["kind"] == "outbound" for m in json.loads(detail).get("messages", [])):
            return str(row["number"])
    raise AssertionError("the demo data has no complaint with a reply")


def test_qa_complaint_scores_its_own_messages_and_keeps_the_agent(cli, demo_db) -> None:  # type: ignore[no-untyped-def]
    number = _a_number_with_replies(cli)
    code, out, err = cli("qa", "complaint", number, "--agent", "1024", "--actor", "zhang_lead", "--json")
    assert code == 0, err
    kept = json.loads(out)
    assert kept["agent_id"] == "1024" and kept["scorecard"]["agent_id"] == "1024"
    code, _, _ = cli("audit", "verify")
    assert code == 0


def test_qa_complaint_with_a_transcript_file_uses_its_header_agent(cli, demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    number = _a_number_with_replies(cli)
    call = tmp_path / "call.txt"
    call.write_text("# agent: 2048\n客户: 我要投诉!\n客服: 嫌贵你别买啊。\n", encoding="utf-8")
    code, out, err = cli("qa", "complaint", number, "-t", str(call), "--json")
    assert code == 0, err
    card = json.loads(out)["scorecard"]
    assert card["agent_id"] == "2048" and card["score"] <= 39


def test_qa_complaint_unknown_number_exits_3(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("qa", "complaint", "TS-20990101-000001")
    assert code == 3 and "Traceback" not in err
