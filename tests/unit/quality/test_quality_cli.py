"""The qa commands, through complaintdesk.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaintdesk.cli import main
from complaintdesk.quality.batch import run_batch, summarize

FIXTURES = Path(__file__).parent / "fixtures"
SEED000 = FIXTURES / "seed000_first_call.txt"
GOOD = FIXTURES / "seed002_better_reply.txt"
BAD = FIXTURES / "seed002_as_it_happened.txt"


def test_qa_file_prints_a_readable_report_with_the_violation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", str(SEED000)]) == 0
    out = capsys.readouterr().out
    assert "质检得分" in out and "forbidden_phrase" in out and "这是不可能的" in out


def test_qa_check_json_gives_the_scorecard_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", "check", str(SEED000), "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["score"] < 50 and {"respect", "sincerity", "steps", "violations"} <= set(card)


def test_qa_default_accepts_json_and_logged_category(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", str(GOOD), "--json", "--logged-category", "咨询"]) == 0
    assert json.loads(capsys.readouterr().out)["downgraded_complaint"] is True


def test_qa_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", "no-such-call.txt"]) == 3
    assert "找不到转写文件" in capsys.readouterr().err


def test_qa_malformed_transcript_exits_with_invalid_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "call.txt"
    file.write_text("没有说话人的一段话", encoding="utf-8")
    assert main(["qa", str(file)]) == 2
    assert "invalid_input" in capsys.readouterr().err


def test_qa_phrases_lists_the_forbidden_phrases(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", "phrases", "--json"]) == 0
    assert "这是不可能的" in {p["phrase"] for p in json.loads(capsys.readouterr().out)}


def _batch_dir(tmp_path: Path) -> Path:
    root = tmp_path / "calls"
    (root / "1024").mkdir(parents=True)
    (root / "2048").mkdir()
    (root / "1024" / "bad.txt").write_text(BAD.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "1024" / "broken.txt").write_text("只有一段话", encoding="utf-8")
    (root / "2048" / "good.txt").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def test_qa_batch_writes_jsonl_and_a_per_agent_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["qa", "batch", str(_batch_dir(tmp_path)), "--workers", "1", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["1024/bad.txt", "1024/broken.txt", "2048/good.txt"]
    assert "error" in records[1]
    agents = {a["agent"]: a for a in summary["agents"]}
    assert agents["1024"]["calls"] == 2 and agents["1024"]["errors"] == 1
    assert agents["2048"]["mean_score"] > agents["1024"]["mean_score"]
    # seed 002's call: the self-service pushed four times (deflection) and the hang-up cost the most
    assert {r["rule"] for r in agents["1024"]["worst_rules"][:2]} == {"deflection", "agent_hung_up"}


def test_qa_batch_reports_its_throughput_and_workers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, calls = tmp_path / "out.jsonl", _batch_dir(tmp_path)
    assert main(["qa", "batch", str(calls), "--workers", "1", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["workers"] == 1 and summary["total"] == 3
    assert summary["seconds"] > 0 and summary["per_second"] > 0
    assert main(["qa", "batch", str(calls), "--workers", "1", "--out", str(out)]) == 0
    assert "通/秒" in capsys.readouterr().out


def test_batch_jsonl_with_two_workers_matches_one_worker(tmp_path: Path) -> None:
    source = tmp_path / "calls.jsonl"
    lines = [
        json.dumps({"id": f"c{i}", "agent": "7", "text": (BAD if i % 2 else GOOD).read_text(encoding="utf-8")},
                   ensure_ascii=False)
        for i in range(4)
    ]
    source.write_text("\n".join([*lines, "{not json"]) + "\n", encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    with one.open("w", encoding="utf-8") as handle:
        first = run_batch(source, handle, workers=1)
    with two.open("w", encoding="utf-8") as handle:
        second = run_batch(source, handle, workers=2)
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")
    assert first == second and first.failed == 1 and first.total == 5


def test_summary_of_no_records_is_empty() -> None:
    assert summarize([]).total == 0
