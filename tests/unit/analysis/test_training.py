"""Retraining the learned layer: a model that scores worse on the centre's held-out corrections is not
installed; a model is a plain npz that loads back and marks what it decided."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaintdesk.analysis import analyze, corpus, learned
from complaintdesk.services import analysis_training

DEV = Path(__file__).resolve().parents[3] / "eval" / "analysis_dev.jsonl"


@pytest.fixture
def small_corpus(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    records = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line.strip()]
    monkeypatch.setattr(corpus, "tune_complaints", lambda: records[:90])
    monkeypatch.setattr(corpus, "tune_reviews", lambda: [])
    yield records[90:140]
    learned.use(None)


def test_a_retrained_model_no_worse_on_held_out_corrections_is_installed_and_serves(
    small_corpus: list[dict[str, object]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = iter([0.5, 0.6])  # before, after
    monkeypatch.setattr(analysis_training, "_score", lambda records, read: next(scores))
    out = tmp_path / "model.npz"
    result = analysis_training.retrain(small_corpus, out)
    assert result["installed"] and out.is_file()
    assert result["held_out"]["n"] >= 1
    model = learned.read(out, str(out))
    assert {"emotion", "category", "demands"} <= set(model.heads)
    learned.use(out)
    reading = analyze("你们必须给我退款!")
    assert "refund" in reading.demand_kinds


def test_a_model_worse_on_the_held_out_corrections_is_not_installed(
    small_corpus: list[dict[str, object]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = iter([0.9, 0.5])  # before, after
    monkeypatch.setattr(analysis_training, "_score", lambda records, read: next(scores))
    out = tmp_path / "model.npz"
    result = analysis_training.retrain(small_corpus, out)
    assert not result["installed"] and not out.exists()
    assert result["held_out"]["before"] == 0.9 and result["held_out"]["after"] == 0.5
    assert not list(tmp_path.glob(".analysis_model.*"))  # the staged file is gone too


def test_a_broken_model_file_is_a_configuration_error_naming_it(tmp_path: Path) -> None:
    from complaintdesk.domain.errors import ConfigurationError

    broken = tmp_path / "model.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ConfigurationError) as refused:
        learned.read(broken, str(broken))
    assert str(broken) in refused.value.message


def test_the_valence_cue_weight_is_chosen_where_negative_and_positive_reviews_separate_best() -> None:
    """Complaints are nearly all negative: on them the weight would be chosen for telling a complaint from a
    review. With reviews of both kinds among the rows, the reviews choose it (0.8 here, the cues separate
    them); without the review mark the same rows choose 0.5."""
    import numpy as np

    from complaintdesk.analysis.training import Example, _valence_cue_weight

    def row(cue: float, review: bool) -> Example:
        return Example("", {"valence": set()}, {"dissatisfaction": cue, **({"review": True} if review else {})})

    for marked, expected in ((True, 0.8), (False, 0.5)):
        rows = [row(-1.0, False)] * 10 + [row(0.5, marked)] * 2 + [row(-0.5, marked)] * 2
        y = np.array([1] * 12 + [0] * 2)
        oof = np.array([0.95] * 10 + [0.3] * 2 + [0.6] * 2)
        assert _valence_cue_weight(rows, y, oof) == expected
