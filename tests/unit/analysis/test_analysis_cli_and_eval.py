"""The CLI (`analyze`, `analyze --batch`, `eval analysis`), the evaluator and the cue-file validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.analysis.evaluate import evaluate
from complaintdesk.analysis.lexicon import parse_cue_file
from complaintdesk.analysis.model import DEMAND_KINDS
from complaintdesk.cli import app, main
from complaintdesk.commands.analysis import eval_app, get_eval_app
from complaintdesk.domain.errors import ConfigurationError, InvalidInput
from tests.knowledge_dirs import serving, write

COMPLAINT = "我上个月买的冰箱修了两次还是不制冷!你们必须给我换一台,不然我就打12315。"


def test_analyze_json_follows_the_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "c.txt"
    source.write_text(COMPLAINT, encoding="utf-8")
    assert main(["analyze", str(source), "--today", "2024-06-15", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"emotion", "customer_types", "chronic_complainer", "demands", "threats", "category",
                        "facts", "escalation_risk"}
    assert out["facts"]["purchase_date"] == "2024-05-15"
    assert out["facts"]["repair_count"] == 2
    assert [d["kind"] for d in out["demands"]] == ["exchange"]
    for demand in out["demands"]:
        for span in demand["evidence"]:
            assert COMPLAINT[span["start"] : span["end"]] == span["text"]


def test_analyze_human_output_names_the_labels_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "c.txt"
    source.write_text(COMPLAINT, encoding="utf-8")
    assert main(["analyze", str(source), "--today", "2024-06-15"]) == 0
    out = capsys.readouterr().out
    assert "换货" in out and "监管部门" in out


def test_analyze_bad_today_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "c.txt"
    source.write_text(COMPLAINT, encoding="utf-8")
    assert main(["analyze", str(source), "--today", "yesterday"]) == 2
    assert "today" in capsys.readouterr().err


def test_analyze_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "/nonexistent/complaint.txt"]) == 2
    assert "文件不存在" in capsys.readouterr().err


def test_analyze_binary_file_gets_an_empty_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "blob.bin"
    source.write_bytes(bytes(range(256)) * 8)
    assert main(["analyze", str(source), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"]


def test_batch_streams_one_json_line_per_input_and_survives_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "text": COMPLAINT, "today": "2024-06-15"}, ensure_ascii=False) + "\n"
        + "not json\n\n" + json.dumps({"id": "c", "text": "请问营业时间?"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    assert main(["analyze", "--batch", str(batch)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, "c"]
    assert lines[0]["analysis"]["demands"][0]["kind"] == "exchange"
    assert lines[1]["error"]["code"] == "invalid_input"


def test_eval_analysis_prints_scores_and_disagreements(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"text": COMPLAINT, "today": "2024-06-15",
                    "expect": {"demands": ["exchange"], "threats": ["regulator"], "category": "billing",
                               "facts": {"repair_count": 2}}}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    assert main(["eval", "analysis", str(gold), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    fields = {f["field"]: f for f in report["fields"]}
    assert fields["demands"]["macro_f1"] == 1.0
    assert fields["category"]["accuracy"] == 0.0
    assert fields["facts.repair_count"]["accuracy"] == 1.0
    assert [d["field"] for d in report["disagreements"]] == ["category"]
    assert main(["eval", "analysis", str(gold), "--json", "--show", "0"]) == 0
    figures_only = json.loads(capsys.readouterr().out)
    assert figures_only["disagreements"] == [] and figures_only["fields"] == report["fields"]
    assert main(["eval", "analysis", str(gold)]) == 0
    assert "macro-F1" in capsys.readouterr().out


def test_eval_rejects_gold_labels_outside_the_vocabulary() -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate([{"text": "退款", "expect": {"demands": ["installation"]}}], analyze)
    assert caught.value.field == "demands"


def test_evaluate_counts_precision_and_recall_per_label() -> None:
    records = [
        {"text": "我要退款。", "expect": {"demands": ["refund"]}},
        {"text": "我要退款,还要赔偿。", "expect": {"demands": ["refund"]}},
    ]
    scores = {s.label: s for s in evaluate(records, analyze).field("demands").labels}
    assert (scores["refund"].tp, scores["refund"].fp, scores["refund"].fn) == (2, 0, 0)
    assert scores["compensation"].fp == 1 and scores["compensation"].precision == 0.0


def test_the_eval_group_is_shared_with_other_areas() -> None:
    assert get_eval_app(app) is eval_app


def test_a_bad_cue_file_is_refused_naming_file_entry_and_field() -> None:
    bad = {"labels": {"refund": {"cues": ["退款", {"text": "退钱", "weight": 9}]}}}
    with pytest.raises(ConfigurationError) as caught:
        parse_cue_file("demand", "analysis/data/demands.yaml", bad, DEMAND_KINDS)
    assert "demands.yaml" in caught.value.message
    assert caught.value.field == "labels.refund.cues[1].weight"


def test_an_unknown_label_in_a_cue_file_is_refused() -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_cue_file("demand", "analysis/data/demands.yaml", {"labels": {"installation": {"cues": ["装"]}}},
                       DEMAND_KINDS)
    assert caught.value.field == "labels.installation"


def test_the_shipped_cue_files_load() -> None:
    from complaintdesk.analysis.lexicon import load

    lexicon = load()
    assert set(lexicon.files) == {"emotion", "customer_type", "chronic", "demand", "threat", "category", "company_fault"}


def test_a_centre_can_replace_a_cue_file_without_touching_code(tmp_path: Path) -> None:
    write(tmp_path, "analysis/threats.yaml", "source: our centre\nlabels:\n  regulator:\n    cues: [找区长]\n")
    with serving(tmp_path):
        assert analyze("再不处理我就去找区长。").threat_kinds == ("regulator",)
        assert analyze("不处理我就打12315").threat_kinds == ()


def test_a_centre_cue_file_that_extends_keeps_the_packaged_cues(tmp_path: Path) -> None:
    write(tmp_path, "analysis/threats.yaml",
          "extends: true\nsource: our centre\nlabels:\n  regulator:\n    cues: [找区长]\n")
    with serving(tmp_path):
        assert analyze("再不处理我就去找区长。").threat_kinds == ("regulator",)
        assert analyze("不处理我就打12315").threat_kinds == ("regulator",)


def test_a_broken_override_file_names_itself(tmp_path: Path) -> None:
    from complaintdesk.analysis import lexicon

    write(tmp_path, "analysis/demands.yaml", "labels: [oops")
    with serving(tmp_path), pytest.raises(ConfigurationError) as caught:
        lexicon.load()
    assert "demands.yaml" in caught.value.message
