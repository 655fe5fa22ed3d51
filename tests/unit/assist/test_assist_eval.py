"""`complaintdesk eval assist`: the reviewed reply scenarios, their frozen split, and the floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.assist.evaluate import parse_scenario, split_of
from complaintdesk.cli import main
from complaintdesk.domain.errors import InvalidInput

SCENARIOS = Path(__file__).resolve().parents[3] / "eval" / "assist_real.jsonl"


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SCENARIOS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_shipped_scenarios_are_at_least_sixty_each_with_a_source_and_the_split_of_its_hash() -> None:
    records = _records()
    assert len(records) >= 60
    assert len({r["id"] for r in records}) == len(records)
    for i, record in enumerate(records, start=1):
        scenario = parse_scenario(record, f"line {i}")
        assert scenario.source and scenario.text
        assert scenario.split == split_of(scenario.id)
    assert {r["split"] for r in records} == {"tune", "test"}


def test_a_scenario_moved_to_another_split_by_hand_is_refused_naming_the_field() -> None:
    record = _records()[0]
    moved = {**record, "split": "tune" if record["split"] == "test" else "test"}
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(moved, "line 1")
    assert caught.value.field == "line 1.split"


def test_eval_assist_prints_scores_per_split_and_the_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = next(s for s in (f"probe-{i}" for i in range(50)) if split_of(s) == "test")
    record = {"id": sid, "split": "test", "source": "seed 000", "text": "宽带欠费不到30天就被停了！", "stage": "calming",
              "expect": {"apology": "none", "escalate": None, "must_say": [["绝不会出现的话"]], "must_not_say": []}}
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["eval", "assist", str(path)]) == 0
    out = capsys.readouterr().out
    assert "test" in out and sid in out and "缺:绝不会出现的话" in out
    assert main(["eval", "assist", str(path), "--json"]) == 0
    data = {s["split"]: s for s in json.loads(capsys.readouterr().out)}
    assert data["test"]["n"] == 1 and data["test"]["must_say_rate"] == 0.0
    assert data["test"]["failures"][0]["expected_style"] == "none"


def test_eval_assist_names_a_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    assert main(["eval", "assist", str(path)]) == 2
    assert "第 1 行" in capsys.readouterr().err


def _test_split(cues_only: bool, *, out_of_sample: bool = False) -> dict[str, Any]:
    """The frozen split's figures (only its out-of-sample ``ar-oos-*`` scenarios when asked)."""
    from complaintdesk.analysis import learned
    from complaintdesk.assist.evaluate import run
    from complaintdesk.commands.assist import _advise_scenario, _scenarios
    from complaintdesk.quality import check_text

    scenarios = [s for s in _scenarios(SCENARIOS)
                 if s.split == "test" and (not out_of_sample or s.id.startswith("ar-oos-"))]
    if cues_only:
        learned.disable()
    try:
        return run(scenarios, _advise_scenario, check_text)["test"].to_dict()
    finally:
        if cues_only:
            learned.use(None)


def test_frozen_test_split_holds_its_figures_with_the_shipped_analysis_engine() -> None:
    """Issue 20's targets: style >= 0.9, must-say >= 0.95, no must-not-say violation. The split now holds
    the 19 corpus and seed scenarios (style 1.000, must-say 0.942: in-sample for the analysis engine,
    whose learned layer was trained on their texts) and 19 out-of-sample ones (ar-oos-*, from pages no
    corpus uses): together 0.868 style and 0.901 must-say, held here minus a small margin. The targets
    are not met on texts neither engine has seen: see the out-of-sample floors below."""
    test = _test_split(cues_only=False)
    assert test["n"] >= 38
    assert test["must_not_say_violations"] == 0, test["failures"]
    assert test["apology_style_accuracy"] >= 0.85
    assert test["must_say_rate"] >= 0.89
    assert test["escalation_accuracy"] >= 0.92


def test_frozen_test_split_holds_the_cue_scan_floors() -> None:
    """With the cue scan alone the style follows the cues' and the assistant's own readings' recall of
    company faults: 0.658 style, 0.733 must-say, still no violation. Held at the achieved figures minus
    a small margin."""
    test = _test_split(cues_only=True)
    assert test["must_not_say_violations"] == 0, test["failures"]
    assert test["apology_style_accuracy"] >= 0.63
    assert test["must_say_rate"] >= 0.71


def test_out_of_sample_test_scenarios_hold_their_floors() -> None:
    """The held-out scenarios written from pages no corpus uses, expectations fixed before the engine
    ran: 0.737 style and 0.857 must-say with the shipped engine (0.579 and 0.755 before the tune-split
    fixes), no violation."""
    test = _test_split(cues_only=False, out_of_sample=True)
    assert test["n"] >= 19
    assert test["must_not_say_violations"] == 0, test["failures"]
    assert test["apology_style_accuracy"] >= 0.72
    assert test["must_say_rate"] >= 0.84
