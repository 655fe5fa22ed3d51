"""`complaintdesk policy check|rules` through cli.main, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaintdesk.cli import main

BROADBAND = {
    "today": "2010-03-23", "product": {"kind": "broadband"},
    "billing": {"prepaid": False, "monthly_fee": 60, "due_date": "2010-03-01", "suspended_on": "2010-03-20",
                "paid_on": "2010-03-20", "restored_on": "2010-03-20"},
    "role": "agent", "offer": {"kind": "compensation", "amount": 80},
}


def _write(tmp_path: Path, content: str) -> str:
    path = tmp_path / "facts.json"
    path.write_text(content, "utf-8")
    return str(path)


def test_check_json_gives_the_result_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["policy", "check", _write(tmp_path, json.dumps(BROADBAND)), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["company_violations"][0]["rule"]["id"] == "telecom.arrears_suspension"
    assert data["remedies"][0]["amount_yuan"] == 2.0
    assert data["authority"] == {"offer_allowed": False, "escalate_to": "team_lead",
                                 "reason": data["authority"]["reason"]}


def test_check_prints_a_table_for_people(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "check", _write(tmp_path, json.dumps(BROADBAND))]) == 0
    out = capsys.readouterr().out
    assert "公司违规" in out and "补救" in out and "权限" in out


def test_malformed_json_is_a_clear_error_with_nonzero_exit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["policy", "check", _write(tmp_path, '{"today": "2025-06-30",')])
    assert code == 2
    err = capsys.readouterr().err
    assert "不是有效的 JSON" in err and "Traceback" not in err


def test_json_array_and_missing_file_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "check", _write(tmp_path, "[1, 2]")]) == 2
    assert main(["policy", "check", str(tmp_path / "absent.json")]) == 2
    assert "文件不存在" in capsys.readouterr().err


def test_contradictory_facts_exit_with_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = {"today": "2025-06-30", "purchase_date": "2025-05-01", "repairs": [{"date": "2025-04-01"}]}
    assert main(["policy", "check", _write(tmp_path, json.dumps(facts))]) == 2
    assert "repairs[0].date" in capsys.readouterr().err


def test_rules_lists_every_rule_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "rules", "--json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    ids = {r["id"] for r in rules}
    assert {"sanbao.return_7d", "telecom.arrears_suspension", "cpl.art55", "company.authority"} <= ids
    assert all(r["source"] and r["article"] and r["text"] for r in rules)


def test_rules_and_check_accept_a_centre_pack_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "centre.yaml").write_text(
        "pack: centre\nkind: company\nrules:\n"
        "  - id: company.authority\n    kind: authority_limits\n    source: 本中心授权表\n    article: 第1条\n"
        "    text: 坐席可承诺补偿至100元\n    params:\n      agent: {compensation: 100}\n"
        "      team_lead: {compensation: 500}\n      manager: {compensation: 2000}\n", "utf-8")
    assert main(["policy", "rules", "--packs", str(packs), "--json"]) == 0
    rules = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rules["company.authority"]["source"] == "本中心授权表"
    assert main(["policy", "check", _write(tmp_path, json.dumps(BROADBAND)), "--packs", str(packs), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["authority"]["offer_allowed"] is True


def test_broken_centre_pack_exits_with_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.yaml").write_text("pack: x\nrules:\n  - id: x.1\n    kind: fault_window\n", "utf-8")
    assert main(["policy", "rules", "--packs", str(tmp_path)]) == 7
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "x.1" in err


def test_rules_table_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "rules"]) == 0
    assert "生效规则" in capsys.readouterr().out
