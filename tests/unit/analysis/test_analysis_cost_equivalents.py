"""The analysis's cheaper steps (Session 19, issue 26) give what the steps they replace gave: the learned
layer's gram lookup by arrays against the Aho–Corasick automaton and ``Counter``, and a word list's
alternation search against ``any(word in text …)``."""

from __future__ import annotations

import random
from collections import Counter
from operator import itemgetter

import numpy as np
import pytest

from complaintdesk.analysis import gram_table, learned, wordsets
from complaintdesk.analysis.features import feature_text
from complaintdesk.analysis.gram_table import GramTable

ALPHABET = "宽带停机要求退款投诉工信部师傅上门修了三次还是坏的12aB，。！? \n\x00𨋢\ud800"


def _automaton_counts(vocabulary: dict[str, int], text: str) -> tuple[list[int], list[float]]:
    """What ``LearnedModel._found`` read before: the automaton's matches counted in the order of the first."""
    automaton = learned._automaton(vocabulary)
    found = Counter(map(itemgetter(1), automaton.iter(text)))
    return list(found.keys()), [float(v) for v in found.values()]


def _random_vocabulary(rng: random.Random) -> dict[str, int]:
    grams = {"".join(rng.choice(ALPHABET[:-1]) for _ in range(rng.randint(1, 3))) for _ in range(300)}
    return {gram: index for index, gram in enumerate(sorted(grams, key=lambda g: rng.random()))}


@pytest.mark.parametrize("seed", range(40))
def test_gram_table_finds_the_automatons_grams_in_the_order_of_their_first_match(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = _random_vocabulary(rng)
    table = GramTable(vocabulary)
    for length in (0, 1, 2, 3, 7, 60, 400):
        text = "".join(rng.choice(ALPHABET) for _ in range(length))
        indices, counts = table.found(text)
        assert (indices.tolist(), counts.tolist()) == _automaton_counts(vocabulary, text)
        assert indices.dtype == np.int64 and counts.dtype == np.float32


def test_gram_table_reads_the_shipped_model_as_the_automaton_did() -> None:
    model = learned.active()
    if model is None:
        pytest.skip("no learned model shipped")
    vocabulary = dict(model.vocabulary)
    text = feature_text("宽带欠费不到30天就被停机,影响在家办公,要求马上恢复并退还停机期间的费用,否则投诉到工信部。" * 3)
    indices, counts = GramTable(vocabulary).found(text)
    assert (indices.tolist(), counts.tolist()) == _automaton_counts(vocabulary, text)


def test_a_vocabulary_with_a_gram_longer_than_three_characters_keeps_the_automaton() -> None:
    assert GramTable.fits({"宽带": 0, "停机": 1})
    assert not GramTable.fits({"宽带停机": 0})
    assert not GramTable.fits({})
    assert max(learned.NGRAM_SIZES) == gram_table._LONGEST


@pytest.mark.parametrize("seed", range(30))
def test_contains_any_answers_as_any_word_in_the_text(seed: int) -> None:
    rng = random.Random(seed)
    pieces = ["不", "没有", "别", "a.b", "(", "*", "[退", "\\", "", "要求", "？", "|"]
    words = tuple(rng.sample(pieces, rng.randint(0, 5)))
    for _ in range(30):
        text = "".join(rng.choice([*pieces, "x", "宽带", "."]) for _ in range(rng.randint(0, 8)))
        assert wordsets.contains_any(text, words) == any(word in text for word in words)


def test_contains_any_of_no_words_is_false_and_of_the_empty_word_true() -> None:
    assert not wordsets.contains_any("不要", ())
    assert wordsets.contains_any("", ("",))


def _clause_start_by_loop(text: str, position: int, limit: int, breaks: str) -> int:
    lower = max(0, position - limit)
    for i in range(position - 1, lower - 1, -1):
        if text[i] in breaks:
            return i + 1
    return lower


def _clause_end_by_loop(text: str, position: int, breaks: str) -> int:
    end = position
    while end < len(text) and text[end] not in breaks:
        end += 1
    return end


@pytest.mark.parametrize("seed", range(20))
def test_a_clauses_bounds_are_where_the_character_loop_found_them(seed: int) -> None:
    from complaintdesk.analysis.voice import CLAUSE_BREAKS, SENTENCE_BREAKS, clause_end, clause_start

    rng = random.Random(seed)
    text = "".join(rng.choice("我要退款，,。!！?？；;：:\n…~、]^-\\ab") for _ in range(rng.randint(0, 40)))
    for breaks in (CLAUSE_BREAKS, SENTENCE_BREAKS, SENTENCE_BREAKS + "，,", "。，,！!？?；;：:\n…~、", "]^-\\", ""):
        for position in range(len(text) + 1):
            for limit in (0, 1, 5, 14, 20, 100):
                assert clause_start(text, position, limit, breaks) == _clause_start_by_loop(text, position, limit, breaks)
            assert clause_end(text, position, breaks) == _clause_end_by_loop(text, position, breaks)


@pytest.mark.parametrize("repeat", [1, 40])
def test_the_repeat_matcher_reads_each_text_folded_once_with_the_same_shared_spans(repeat: int) -> None:
    from complaintdesk.analysis.overlap import shared_spans
    from complaintdesk.analysis.similarity import RepeatMatcher, find_cue

    new = "我上周已经投诉过宽带断網的事，到現在還沒人處理，这是第二次打电话了。" * repeat  # past EMBED_CHARS at 40
    earlier = [("a", "宽带断网三天了，師傅一直没来。" * repeat), ("b", "电视机黑屏，要求换新。")]
    found = RepeatMatcher(use_embeddings=False).match(new, earlier)
    by_id = {m.candidate_id: m for m in found}
    for candidate_id, text in earlier:
        assert by_id[candidate_id].shared == shared_spans(new, text)
        assert by_id[candidate_id].cue == find_cue(new)


def _shared_spans_by_loop(new_text: str, other: str, min_len: int = 2, limit: int = 6) -> tuple[object, ...]:
    """``overlap.shared_spans`` as it was: every position of the new text tested one by one."""
    from complaintdesk.analysis.overlap import EMBED_CHARS, SharedSpan, _longest_prefix_in, letters_and_digits
    from complaintdesk.text import fold

    norm_new, norm_other = fold(new_text[:EMBED_CHARS]), fold(other[:EMBED_CHARS])
    spans: list[SharedSpan] = []
    i = 0
    while i < len(norm_new):
        if not norm_new[i].isalnum() or (i and norm_new[i].isdigit() and norm_new[i - 1].isdigit()):
            i += 1
            continue
        if norm_new[i : i + min_len] not in norm_other:
            i += 1
            continue
        end = i + _longest_prefix_in(norm_new, i, norm_other)
        piece = norm_new[i:end].rstrip()
        content = letters_and_digits(piece)
        if len(content) >= min_len and not content.isdigit():
            spans.append(SharedSpan(new_text[i : i + len(piece)], i, i + len(piece)))
            i = end
        else:
            i += 1
    spans.sort(key=lambda s: (-(s.end - s.start), s.start))
    return tuple(sorted(spans[:limit], key=lambda s: s.start))


@pytest.mark.parametrize("seed", range(30))
def test_shared_spans_are_the_ones_the_position_by_position_loop_found(seed: int) -> None:
    from complaintdesk.analysis.overlap import shared_spans

    rng = random.Random(seed)
    alphabet = "宽带断网三天师傅没来要求退款12305 ，。!²_a"
    for _ in range(20):
        new = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        other = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        for min_len in (1, 2, 3):
            assert shared_spans(new, other, min_len=min_len) == _shared_spans_by_loop(new, other, min_len=min_len)
