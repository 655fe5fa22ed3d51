"""`complaintdesk assist` through cli.main, as a user runs it."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.cli import main

TEXT = "宽带欠费不到30天就被停了，客服说这是不可能的！我要求恢复宽带、赔偿，不然我就向工信部申诉。"
FACTS = {"customer_name": "王女士", "product": {"kind": "broadband"},
         "billing": {"prepaid": False, "monthly_fee": 60, "due_date": "2026-11-05", "suspended_on": "2026-11-20",
                     "paid_on": "2026-11-22", "restored_on": "2026-11-22"},
         "demands": ["restore_service", "compensation"]}


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_assist_json_follows_the_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _write(tmp_path, "c.txt", TEXT)
    facts = _write(tmp_path, "f.json", json.dumps(FACTS, ensure_ascii=False))
    code = main(["assist", "--text", str(text), "--facts", str(facts), "--stage", "proposing",
                 "--today", "2026-11-23", "--now", "2026-11-23T10:00:00+08:00", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stage"] == "proposing"
    assert data["apology"]["style"] == "full"
    assert data["technique"] == "admit_error"
    # service was restored on the 22nd: the promise is the refund and a call back, not the restoration
    assert data["expectation"]["due"].startswith("2026-11-23T15:00")
    assert "把退费办好" in data["expectation"]["promise"]
    assert data["escalate"]["to"] == "manager"
    assert "一共6元" in data["reply_draft"]
    assert all(a["why"] and a["source"] for a in data["next_actions"])


def test_assist_human_output_shows_draft_and_reasons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _write(tmp_path, "c.txt", TEXT)
    assert main(["assist", "--text", str(text), "--stage", "calming"]) == 0
    out = capsys.readouterr().out
    assert "回复草稿" in out and "为什么" in out and "避免" in out


def test_unknown_stage_is_advice_with_a_note_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _write(tmp_path, "c.txt", TEXT)
    assert main(["assist", "--text", str(text), "--stage", "whatever", "--json"]) == 0
    assert any("未知阶段" in n for n in json.loads(capsys.readouterr().out)["notes"])


@pytest.mark.parametrize(("args", "field"), [
    (["assist"], "text"),
    (["assist", "--text", "/no/such/file.txt"], "text"),
    (["assist", "--text", "-", "--today", "23/11/2026"], "today"),
    (["assist", "--text", "-", "--now", "noon"], "now"),
])
def test_bad_input_is_a_message_and_exit_code_2(args: list[str], field: str, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=types.SimpleNamespace(read=lambda: TEXT.encode())))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"[{field}]" in err and "Traceback" not in err


def test_bad_facts_json_names_the_facts_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _write(tmp_path, "c.txt", TEXT)
    facts = _write(tmp_path, "f.json", "{not json")
    assert main(["assist", "--text", str(text), "--facts", str(facts)]) == 2
    assert "[facts]" in capsys.readouterr().err


def test_stored_complaint_goes_through_the_service_layer(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[str] = []

    def fake_advise_for(uow: Any, number: str) -> Any:
        calls.append(number)
        from complaintdesk.assist import advise

        return types.SimpleNamespace(to_dict=lambda: {**advise(None).to_dict(), "number": number})

    import complaintdesk.commands._context as context
    from complaintdesk.services import casework

    monkeypatch.setattr(casework, "advise_for", fake_advise_for)
    monkeypatch.setattr(context, "desk", lambda: types.SimpleNamespace(uow=lambda: None))
    assert main(["assist", "TS-20261123-0001", "--json"]) == 0
    assert calls == ["TS-20261123-0001"]
    assert json.loads(capsys.readouterr().out)["number"] == "TS-20261123-0001"
