"""The acceptance floors of issue 21 on the frozen splits, and ``complaintdesk eval quality``.

Targets: 禁语 recall ≥ 0.9 on the bank's test part and ≥ 0.8 on paraphrases of it, false alarms ≤ 1 % of
courteous lines, bad < good on ≥ 0.95 of the pairs. Recall on the bank's test part reached its target in the seventh
bank-recall round (0.909, 190 of 209 phrases of the 518-phrase bank; 0.885 after the sixth, 0.856 after the fifth, 0.852
after the fourth, 0.837 before, 0.840 on 200 of 480, 0.855 on 193 of 456, 0.822 on 180 of 428 and 0.810 on 174 of 418):
its floor is now the target, 0.9 (189 of 209), so losing two phrases fails, and docs/quality.md says so; paraphrase
recall (0.926) is held at its target.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.cli import main
from complaintdesk.quality.evaluate import SplitReport, calibration, evaluate

EVAL = Path(__file__).resolve().parents[3] / "eval"


def _rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (EVAL / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=1)
def _reports() -> dict[str, SplitReport]:
    paraphrases = _rows("quality_paraphrases.jsonl") + _rows("quality_paraphrases_tune.jsonl")
    return evaluate(_rows("quality_courteous.jsonl"), _rows("quality_real.jsonl"), paraphrases)


def _value(rate: Any) -> float:
    """The figure alone: a failing assertion must print numbers, never the frozen test part's items (pytest
    shows the repr of what an assertion reads, and a Rate lists its misses)."""
    total, value = int(rate.total), rate.value
    assert total > 0
    return float(value)


def test_eval_sets_are_as_large_as_the_issue_asks() -> None:
    assert len(_rows("quality_courteous.jsonl")) >= 600
    assert len(_rows("quality_real.jsonl")) >= 120
    assert len(_rows("quality_paraphrases.jsonl")) >= 100
    assert all(r["source"] for name in ("quality_courteous.jsonl", "quality_real.jsonl") for r in _rows(name))


def test_banned_phrase_recall_on_the_frozen_test_part() -> None:
    recall = _value(_reports()["test"].bank_recall)
    assert recall >= 0.9  # the target, reached in the seventh bank-recall round (0.909; 0.885 after the sixth, 0.856 before)


def test_banned_phrase_recall_on_paraphrases_of_the_test_part() -> None:
    recall = _value(_reports()["test"].paraphrase_recall)
    assert recall >= 0.80  # target 0.8


@pytest.mark.parametrize("split", ["tune", "test"])
def test_false_alarms_on_courteous_lines_stay_under_one_percent(split: str) -> None:
    rate = _value(_reports()[split].false_alarms)
    assert rate <= 0.01


@pytest.mark.parametrize("split", ["tune", "test"])
def test_bad_reply_scores_below_its_good_counterpart(split: str) -> None:
    ordering = _value(_reports()[split].ordering)
    assert ordering >= 0.95


def test_tune_paraphrases_rephrase_only_tune_part_entries_of_the_same_family() -> None:
    from complaintdesk.quality.bank import load_bank

    entries = {e.phrase: e for e in load_bank().entries}
    tune = _rows("quality_paraphrases_tune.jsonl")
    assert tune and all(row["split"] == "tune" for row in tune)
    assert all(entries[row["of"]].split == "tune" and entries[row["of"]].family == row["family"] for row in tune)
    assert all(entries[row["of"]].split == "test" for row in _rows("quality_paraphrases.jsonl"))


def test_tune_paraphrases_are_reported_under_tune_and_never_count_as_test() -> None:
    reports = _reports()
    assert reports["tune"].paraphrase_recall.total == len(_rows("quality_paraphrases_tune.jsonl"))
    assert reports["test"].paraphrase_recall.total == len(_rows("quality_paraphrases.jsonl"))


def test_bank_holds_the_400_published_phrases_the_issue_asks_for() -> None:
    from complaintdesk.quality.bank import load_bank

    bank = load_bank()
    assert len(bank.entries) >= 400
    assert all(entry.source for entry in bank.entries)


def test_similarity_settings_in_the_bank_are_the_calibrated_ones() -> None:
    from complaintdesk.quality.bank import load_bank

    settings = calibration(_rows("quality_courteous.jsonl"))
    assert load_bank().threshold == settings["threshold"]
    assert dict(load_bank().common_bigrams) == settings["common_bigrams"]


def test_calibration_counts_only_the_tune_part_of_the_courteous_lines() -> None:
    rows = _rows("quality_courteous.jsonl")
    assert calibration(rows) == calibration([r for r in rows if r["split"] == "tune"])


def test_eval_quality_command_prints_every_figure_per_split(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "quality", "--eval-dir", str(EVAL), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"tune", "test"}
    for key in ("bank_recall", "paraphrase_recall", "false_alarms", "pair_ordering", "family_recall"):
        assert key in data["test"]
    assert data["test"]["family_recall"]["shirking"]["total"] > 0
    # figures only by default: no item of either part is listed (a count, so a failure prints no item)
    listed = sum(len(part["misses"]) for parts in data.values() for part in parts.values()
                 if isinstance(part, dict) and "misses" in part)
    assert listed == 0


def test_eval_quality_command_refuses_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "quality", "--eval-dir", str(tmp_path)]) == 2
    printed = capsys.readouterr()
    assert "评测文件不存在" in printed.err + printed.out
