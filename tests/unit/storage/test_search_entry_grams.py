"""A search entry's tokens: each CJK run as its neighbouring pairs, every other run whole, in text order."""

from __future__ import annotations

import random

from complaintdesk.storage.search_entries import _TOKEN_RUN, grams, is_cjk


def _pairs_one_by_one(text: str) -> str:
    out: list[str] = []
    for run in _TOKEN_RUN.findall(text):
        if is_cjk(run) and len(run) > 1:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return " ".join(out)


def test_a_complaint_text_is_indexed_as_bigrams_of_its_chinese_and_whole_latin_words() -> None:
    assert grams("宽带停机30天ok要求退费") == "宽带 带停 停机 30 天 ok 要求 求退 退费"
    assert grams("") == "" and grams("，。") == "" and grams("断") == "断"


def test_random_mixed_text_gives_the_pairs_read_one_position_at_a_time() -> None:
    chooser = random.Random(26)
    alphabet = "宽带停机退费ab12 ，。アイ가나Z-䷀豈\n"  # ䷀ and 豈: the class's edges
    for _ in range(5_000):
        text = "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 40)))
        assert grams(text) == _pairs_one_by_one(text), text
