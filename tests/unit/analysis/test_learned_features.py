"""The learned layer reads a traditional text and its simplified twin alike, by construction: its
features come from a character-by-character fold, not from a conversion that swaps whole words."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import opencc

from complaintdesk.analysis import corpus, learned
from complaintdesk.analysis.features import feature_text
from complaintdesk.analysis.learned import ngrams

DEV = Path(__file__).resolve().parents[3] / "eval" / "analysis_dev.jsonl"


def _dev_texts() -> list[str]:
    return [json.loads(line)["text"] for line in DEV.read_text("utf-8").splitlines() if line.strip()]


def test_every_dev_and_tune_complaint_folds_to_the_same_features_as_its_traditional_twin() -> None:
    to_traditional = opencc.OpenCC("s2t")
    simplified = _dev_texts() + [
        str(r["text"]) for r in corpus.tune_complaints() if r.get("script") == "simplified"
    ]
    assert len(simplified) > 300
    for text in simplified:
        assert feature_text(to_traditional.convert(text)) == feature_text(text), text[:40]


def test_every_traditional_tune_complaint_folds_like_its_simplified_twin() -> None:
    to_simplified = opencc.OpenCC("t2s")
    traditional = [str(r["text"]) for r in corpus.tune_complaints() if r.get("script") == "traditional"]
    assert len(traditional) > 100
    for text in traditional:
        assert feature_text(to_simplified.convert(text)) == feature_text(text), text[:40]


def test_round_trip_pairs_and_width_read_as_one_spelling() -> None:
    # 答复 → 答覆 and 家具 → 傢俱 come back from traditional script as themselves only here
    assert feature_text("答覆") == feature_text("答复") == "答复"
    assert feature_text("傢俱") == feature_text("家具")
    assert feature_text("走著瞧") == feature_text("走着瞧")
    assert feature_text("ＩＰＨＯＮＥ１３") == "iphone13"
    assert len(feature_text("衞生局話")) == 4


def test_the_shipped_model_gives_a_twin_the_same_probabilities() -> None:
    model = learned.active()
    assert model is not None
    text = "你们的网络三天两头断线，客服答复说要等工程师，家具都被师傅弄脏了，我要求退款并赔偿。"
    twin = opencc.OpenCC("s2t").convert(text)
    assert twin != text
    ours, theirs = model.predict(text), model.predict(twin)
    for head, probs in ours.items():
        assert np.allclose(list(probs.values()), list(theirs[head].values())), head
    assert set(ngrams(twin)) == set(ngrams(text))


def test_all_heads_read_at_once_give_each_head_its_own_reading_bit_for_bit() -> None:
    model = learned.active()
    assert model is not None
    texts = [*_dev_texts(), *(str(r["text"]) for r in corpus.tune_complaints()), "", "好"]
    for text in texts:
        together = model.predict(text)
        for head in model.heads.values():
            alone = model.predict(text, only=(head.name,))[head.name]
            assert together[head.name] == alone, (head.name, text[:40])
            assert [type(p) for p in alone.values()] == [float] * len(alone)
