"""A head retrained alone (issue 19, session 18): it carries a vocabulary of its own, and every head kept
from the base model reads every text bit for bit as it did there."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from complaintdesk.analysis import corpus, learned, training
from complaintdesk.analysis.learned import Head
from complaintdesk.cli import main
from complaintdesk.domain.errors import ConfigurationError

DEV = Path(__file__).resolve().parents[3] / "eval" / "analysis_dev.jsonl"
_HAN = "投诉退款维修师傅上门电话客服不满意赔偿换货安装收费宽带停机快递延误价格承诺态度差"


def _head(name: str, kind: str, labels: tuple[str, ...], rows: int, rng: np.random.Generator,
          vocabulary: tuple[str, ...] | None = None) -> Head:  # fmt: skip
    coef = rng.normal(0.0, 2.0, (rows, len(labels))).astype(np.float16).astype(np.float32)  # as a file holds it
    add_at = np.array([0.3, 0.1], np.float32) if kind == "single" else np.full(len(labels), 0.6, np.float32)
    veto = np.array([1.5], np.float32) if kind == "single" else np.full(len(labels), 0.05, np.float32)
    return Head(name, kind, labels, coef, rng.normal(0, 1, len(labels)).astype(np.float32), add_at, veto, vocabulary)


def _grams(rng: random.Random, count: int) -> list[str]:
    grams = {"".join(rng.choice(_HAN) for _ in range(rng.randint(1, 3))) for _ in range(count * 2)}
    return sorted(grams)[:count]


def _base(tmp_path: Path) -> tuple[Path, list[str]]:
    """A model of every head on one shared vocabulary, as shipped."""
    rng = np.random.default_rng(5)
    vocabulary = _grams(random.Random(5), 300)
    heads = [_head(name, "single" if name in learned.SINGLE_HEADS else "multi", training.LABELS[name], len(vocabulary), rng)
             for name in (*learned.SINGLE_HEADS, *learned.MULTI_HEADS)]  # fmt: skip
    path = tmp_path / "base.npz"
    learned.save(path, vocabulary, heads, {"valence_cue_weight": 0.5})
    return path, vocabulary


def _texts(vocabularies: list[list[str]], count: int = 400) -> list[str]:
    rng = random.Random(11)
    pool = [g for v in vocabularies for g in v] + ["，", " ", "！", "a", "7"]
    return ["", "好", *("".join(rng.choice(pool) for _ in range(rng.randint(1, 120))) for _ in range(count))]


def test_a_head_not_retrained_gives_identical_probabilities_for_random_texts(tmp_path: Path) -> None:
    path, shared = _base(tmp_path)
    base = learned.read(path, str(path))
    own = _grams(random.Random(6), 250)  # overlaps the shared vocabulary in part
    category = _head("category", "single", training.LABELS["category"], len(own), np.random.default_rng(6))
    vocabulary, heads, meta = training.onto(base, own, [category], {})
    merged_path = tmp_path / "merged.npz"
    learned.save(merged_path, vocabulary, heads, meta)
    merged = learned.read(merged_path, str(merged_path))
    assert merged.heads["category"].vocabulary == tuple(own) and merged.heads["emotion"].vocabulary is None
    assert meta["retrained"] == ["category"] and meta["valence_cue_weight"] == 0.5
    changed = 0
    for text in _texts([shared, own]):
        before, after = base.predict(text), merged.predict(text)
        for name in base.heads:
            if name != "category":
                assert after[name] == before[name], (name, text)
        assert merged.predict(text, only=("emotion",))["emotion"] == before["emotion"]
        changed += after["category"] != before["category"]
    assert changed > 300  # the category head is the new one, on its own grams


def test_a_head_on_its_own_vocabulary_reads_as_it_did_in_a_model_of_its_own(tmp_path: Path) -> None:
    """What a head scored when it was trained and measured alone is what it scores merged into a model."""
    path, shared = _base(tmp_path)
    base = learned.read(path, str(path))
    own = _grams(random.Random(8), 200)
    category = _head("category", "single", training.LABELS["category"], len(own), np.random.default_rng(8))
    alone = learned.LearnedModel({g: i for i, g in enumerate(own)}, {"category": category}, {})
    vocabulary, heads, meta = training.onto(base, own, [category], {})
    merged = learned.LearnedModel({g: i for i, g in enumerate(vocabulary)}, {h.name: h for h in heads}, meta)
    for text in _texts([shared, own], 200):
        assert merged.predict(text)["category"] == alone.predict(text)["category"], text


def test_heads_retrained_together_read_one_vocabulary_of_their_own(tmp_path: Path) -> None:
    path, shared = _base(tmp_path)
    base = learned.read(path, str(path))
    own = _grams(random.Random(9), 150)
    rng = np.random.default_rng(9)
    new = [_head("category", "single", training.LABELS["category"], len(own), rng),
           _head("company_faults", "multi", training.LABELS["company_faults"], len(own), rng)]  # fmt: skip
    vocabulary, heads, meta = training.onto(base, own, new, {})
    merged = learned.LearnedModel({g: i for i, g in enumerate(vocabulary)}, {h.name: h for h in heads}, meta)
    assert len(merged._own) == 1
    for text in _texts([shared, own], 100):
        before, after = base.predict(text), merged.predict(text)
        assert all(after[n] == before[n] for n in base.heads if n not in ("category", "company_faults"))


def test_a_model_whose_heads_share_the_vocabulary_reads_its_heads_on_it(tmp_path: Path) -> None:
    path, shared = _base(tmp_path)
    model = learned.read(path, str(path))
    assert not model._own and all(head.vocabulary is None for head in model.heads.values())
    text = "".join(shared[:40])
    indices, values = model.vector(text)
    expected = values @ model.heads["category"].coef[indices] + model.heads["category"].intercept
    # equal but for the last bits: the stacked product of every head blocks its sums otherwise
    assert model.predict(text)["category"] == pytest.approx(model.heads["category"].from_scores(expected), rel=1e-5)


def _rewrite(path: Path, **changes: object) -> Path:
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    arrays.update(changes)
    out = path.with_name("changed.npz")
    with out.open("wb") as handle:
        np.savez_compressed(handle, **arrays)
    return out


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"category__vocabulary": np.array(["退款", "换货"])}, "category__coef"),
        ({"category__vocabulary": np.array(["退款"] * 300)}, "重复"),
        ({"category__vocabulary": np.array([], dtype=np.str_)}, "为空"),
        ({"category__vocabulary": np.zeros(300)}, "字符串"),
    ],
)
def test_a_head_vocabulary_that_does_not_fit_is_refused_naming_the_file_the_head_and_the_array(
    tmp_path: Path, change: dict[str, object], words: str
) -> None:
    path, _ = _base(tmp_path)
    broken = _rewrite(path, **change)
    with pytest.raises(ConfigurationError) as refused:
        learned.read(broken, str(broken))
    message = refused.value.message
    assert str(broken) in message and "category" in message and words in message
    assert refused.value.field.startswith("category__")


def test_a_merge_refuses_a_head_the_base_model_does_not_have(tmp_path: Path) -> None:
    path, _ = _base(tmp_path)
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files if not k.startswith("valence__")}
    slim = tmp_path / "slim.npz"
    with slim.open("wb") as handle:
        np.savez_compressed(handle, **arrays)
    base = learned.read(slim, str(slim))
    valence = _head("valence", "multi", ("negative",), 3, np.random.default_rng(1))
    with pytest.raises(ValueError, match="valence"):
        training.onto(base, ["退", "款", "退款"], [valence], {})


@pytest.fixture
def small_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    records = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line.strip()]
    monkeypatch.setattr(corpus, "tune_complaints", lambda parts=None: records[:120])
    monkeypatch.setattr(corpus, "tune_reviews", lambda: [])
    yield
    learned.use(None)


def test_train_analysis_retrains_the_chosen_head_onto_a_base_and_keeps_the_others(
    small_corpus: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, shared = _base(tmp_path)
    out = tmp_path / "out.npz"
    code = main(["train", "analysis", "--heads", "category", "--base", str(path), "--tune", "a-c", "--out", str(out), "--json"])
    assert code == 0, capsys.readouterr().err
    result = json.loads(capsys.readouterr().out)
    assert result["retrained"] == ["category"] and result["tune"] == ["a", "b", "c"] and result["installed"]
    base, merged = learned.read(path, str(path)), learned.read(out, str(out))
    assert merged.heads["category"].vocabulary is not None
    for text in _texts([shared, list(merged.heads["category"].vocabulary or ())], 100):
        before, after = base.predict(text), merged.predict(text)
        assert all(after[n] == before[n] for n in base.heads if n != "category")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--heads", "category,mood"], "mood"),
        (["--heads", "category", "--tune", "a-c,zz"], "zz"),
        (["--heads", "category", "--tune", "c-a"], "c-a"),
        (["--base", "x.npz"], "--heads"),
        (["--heads", "category", "--base", "/nonexistent/base.npz"], "/nonexistent/base.npz"),
    ],
)
def test_train_analysis_refuses_an_unknown_head_or_tune_file_with_exit_code_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    assert main(["train", "analysis", *args, "--out", str(tmp_path / "m.npz")]) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "m.npz").exists()


def test_the_tune_files_can_be_chosen_and_a_file_not_chosen_is_not_read() -> None:
    parts = corpus.tune_parts()
    assert {"a", "g", "m"} <= set(parts)
    assert corpus.chosen_parts("a-c,g") == ["a", "b", "c", "g"]
    chosen = corpus.tune_complaints(["b"])
    assert chosen and all(str(r["id"]).startswith("tb-") for r in chosen)
