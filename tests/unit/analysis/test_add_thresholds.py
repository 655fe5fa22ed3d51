"""Raised add thresholds (issue 19, Session 18): the model's adds measured per label, a label's threshold raised
by the data file only upwards, a model file rewritten with nothing else of it moving, the shipped model checked."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from complaintdesk.analysis import add_thresholds, learned
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import shipped
from tests.scripts import load_script

adds_report = load_script("adds_report")
SHIPPED = shipped("complaintdesk.analysis.data", learned.MODEL_FILE)


def _adds(*pairs: tuple[float, bool]) -> list[object]:
    return [adds_report.Add("f.jsonl", "demands", "refund", p, right) for p, right in pairs]


def test_a_label_right_at_least_half_the_time_keeps_its_threshold() -> None:
    assert adds_report.proposed(_adds((0.75, True), (0.8, False), (0.9, True), (0.72, False), (0.95, True)), 0.7) is None


def test_fewer_than_five_adds_are_too_few_to_raise_a_threshold() -> None:
    assert adds_report.proposed(_adds((0.75, False), (0.8, False), (0.9, False), (0.72, False)), 0.7) is None


def test_a_mostly_wrong_label_is_raised_to_the_lowest_grid_value_where_its_adds_reach_half_right() -> None:
    adds = _adds((0.72, False), (0.75, False), (0.81, False), (0.85, True), (0.92, True), (0.93, False))
    assert adds_report.proposed(adds, 0.7) == 0.8  # above 0.8: 2 right of 4


def test_a_label_wrong_at_every_threshold_is_never_added() -> None:
    assert adds_report.proposed(_adds(*[(0.75 + i / 100, False) for i in range(6)]), 0.7) == math.inf


def test_the_thresholds_file_takes_known_heads_labels_and_probabilities_or_never() -> None:
    assert add_thresholds.parse({"demands": {"refund": 0.9, "explanation": "never"}}, "t.yaml") == {
        "demands": {"refund": 0.9, "explanation": math.inf}
    }
    for bad in ({"moods": {"refund": 0.9}}, {"demands": {"hug": 0.9}}, {"demands": {"refund": 1.5}},
                {"demands": {"refund": "high"}}, {"demands": ["refund"]}, ["demands"]):  # fmt: skip
        with pytest.raises(ConfigurationError):
            add_thresholds.parse(bad, "t.yaml")


def test_a_listed_threshold_only_raises_the_models() -> None:
    labels = ("refund", "exchange", "repair")
    add_at = np.array([0.7, 0.9, np.inf], np.float32)
    out = add_thresholds.raised("demands", labels, add_at, {"demands": {"refund": 0.95, "exchange": 0.5, "repair": 0.6}})
    assert out.tolist() == pytest.approx([0.95, 0.9, math.inf])


def test_rewriting_a_model_file_changes_its_add_thresholds_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "model.npz"
    changes = add_thresholds.rewrite(SHIPPED, out, {"demands": {"refund": math.inf}})
    assert list(changes) == ["demands.refund"] and changes["demands.refund"][1] == math.inf
    with np.load(SHIPPED) as before, np.load(out) as after:
        assert before.files == after.files
        for key in before.files:
            if key != "demands__add_at":
                assert before[key].dtype == after[key].dtype and np.array_equal(before[key], after[key]), key
        labels = [str(x) for x in before["demands__labels"]]
        moved = np.flatnonzero(before["demands__add_at"] != after["demands__add_at"]).tolist()
        assert moved == [labels.index("refund")]


def test_a_model_rewritten_with_a_never_threshold_no_longer_adds_that_label(tmp_path: Path) -> None:
    out = tmp_path / "model.npz"
    add_thresholds.rewrite(SHIPPED, out, {"demands": {"explanation": math.inf}})
    assert learned.read(out, "m").heads["demands"].add_at_by_label["explanation"] == math.inf


def test_the_shipped_model_meets_the_shipped_thresholds_file() -> None:
    model = learned.read(SHIPPED, "shipped")
    heads = {name: head.add_at_by_label for name, head in model.heads.items()}
    assert add_thresholds.unmet(heads, add_thresholds.load()) == []


def test_a_shipped_model_below_a_listed_threshold_is_refused_at_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(add_thresholds, "load", lambda path=None: {"demands": {"refund": 0.99}})
    with pytest.raises(ConfigurationError, match=r"demands\.refund"):
        learned._checked(learned.read(SHIPPED, "shipped"))


def test_training_keeps_a_listed_label_at_its_raised_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    from complaintdesk.analysis import training

    monkeypatch.setattr(add_thresholds, "load", lambda path=None: {"demands": {"refund": 0.99, "explanation": math.inf}})
    texts = [f"{'我要退款' if i % 2 else '请解释清楚'}第{i}次{'退钱' if i % 3 else '说法'}" for i in range(40)]
    rows = [training.Example(t, {"demands": {"refund"} if "退" in t else {"explanation"}}, {"demands": set()}) for t in texts]
    vocab = training.vocabulary(texts)
    report: dict[str, object] = {}
    head = training._train_multi("demands", rows, training.matrix(texts, vocab), report)
    assert head.add_at_by_label["refund"] >= np.float32(0.99) and head.add_at_by_label["explanation"] == math.inf
