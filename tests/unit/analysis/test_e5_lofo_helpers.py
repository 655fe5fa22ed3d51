"""The pure helpers of scripts/e5_lofo.py (the session-17 embedding experiment), with a character count standing
in for e5's tokenizer so the cut points can be worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from tests.scripts import load_script

e5_lofo = load_script("e5_lofo")


def test_first_tokens_keeps_the_longest_prefix_within_the_limit() -> None:
    # two "special tokens" per text, as e5 counts [CLS] and [SEP]: 10 characters leave room for 8
    count = lambda text: len(text) + 2  # noqa: E731
    assert e5_lofo.first_tokens("一二三四五六七八九十", count, limit=10) == "一二三四五六七八"
    assert e5_lofo.first_tokens("短句。", count, limit=10) == "短句。"


def test_sentence_chunks_pack_whole_sentences_up_to_the_limit_and_lose_nothing() -> None:
    text = "  我买的冰箱坏了。修了三次！还是不制冷？我要退货。  "
    chunks = e5_lofo.sentence_chunks(text, len, limit=12)
    # 我买的冰箱坏了。(8) + 修了三次！(5) would make 13: a new chunk starts; 修了三次！还是不制冷？ is 11
    assert chunks == ["我买的冰箱坏了。", "修了三次！还是不制冷？", "我要退货。"]
    assert "".join(chunks) == text.strip()


def test_a_sentence_longer_than_the_limit_is_a_chunk_of_its_own() -> None:
    chunks = e5_lofo.sentence_chunks("好。这一句话非常非常非常长没有标点一直说下去。好。", len, limit=6)
    assert chunks == ["好。", "这一句话非常非常非常长没有标点一直说下去。", "好。"]


def test_text_without_sentence_ends_is_one_chunk() -> None:
    assert e5_lofo.sentence_chunks("没有任何标点的一句话", len, limit=4) == ["没有任何标点的一句话"]


def test_mean_direction_is_the_unit_mean_of_the_chunk_vectors() -> None:
    rows = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    assert e5_lofo.mean_direction(rows) == pytest.approx(np.array([1.0, 1.0]) / np.sqrt(2))


def test_micro_f1_counts_every_label_of_every_text() -> None:
    gold = [{"refund"}, {"refund", "apology"}, set()]
    predicted = [{"refund"}, {"apology", "exchange"}, {"exchange"}]
    f1, tp, fp, fn = e5_lofo.micro_f1(gold, predicted)
    assert (tp, fp, fn) == (2, 2, 1)  # refund, apology found; exchange twice wrong; the second refund missed
    assert f1 == pytest.approx(4 / 7)


def test_files_come_from_tune_ids_and_anything_else_always_trains() -> None:
    assert e5_lofo.file_of({"id": "tl-0080"}) == "l"
    assert e5_lofo.file_of({"text": "dev record without an id"}) == "?"
    assert e5_lofo.letters("a-d,g-l") == "abcdghijkl"
