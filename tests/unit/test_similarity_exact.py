"""The repeat pre-filter's cheaper steps say exactly what the plain ones said: each is compared here with the
straightforward form it replaced, on every code point or on random texts with much shared wording."""

from __future__ import annotations

import random

from rapidfuzz import fuzz

from complaintdesk.analysis import overlap
from complaintdesk.analysis import similarity as sim
from complaintdesk.text import fold

_ALPHABET = "宽带停机客服退费师傅上门30天元，。 ab1_"


def _plain_content(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _plain_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    symbol = {gram: chr(0xF0000 + i) for i, gram in enumerate(a | b)}
    left = "".join(sorted(symbol[g] for g in a))
    right = "".join(sorted(symbol[g] for g in b))
    return round(fuzz.ratio(left, right) / 100.0, 4)


def _plain_spans(new_text: str, other: str, min_len: int = 2, limit: int = 6) -> tuple[overlap.SharedSpan, ...]:
    norm_new, norm_other = fold(new_text[: overlap.EMBED_CHARS]), fold(other[: overlap.EMBED_CHARS])
    spans: list[overlap.SharedSpan] = []
    i = 0
    while i < len(norm_new):
        if not norm_new[i].isalnum() or (i and norm_new[i].isdigit() and norm_new[i - 1].isdigit()):
            i += 1
            continue
        end = i
        while end < len(norm_new) and norm_new[i : end + 1] in norm_other:
            end += 1
        piece = norm_new[i:end].rstrip()
        if len(_plain_content(piece)) >= min_len and not _plain_content(piece).isdigit():
            spans.append(overlap.SharedSpan(new_text[i : i + len(piece)], i, i + len(piece)))
            i = end
        else:
            i += 1
    spans.sort(key=lambda s: (-(s.end - s.start), s.start))
    return tuple(sorted(spans[:limit], key=lambda s: s.start))


def _text(chooser: random.Random, length: int) -> str:
    return "".join(chooser.choice(_ALPHABET) for _ in range(length))


def _reworded(chooser: random.Random, text: str) -> str:
    """The text with a few characters changed, dropped or added: long shared runs, as a repeat has."""
    chars = list(text)
    for _ in range(chooser.randint(0, 6)):
        where = chooser.randrange(len(chars) + 1)
        action = chooser.choice(("change", "drop", "add"))
        if action == "add" or where == len(chars):
            chars.insert(where, chooser.choice(_ALPHABET))
        elif action == "drop":
            del chars[where]
        else:
            chars[where] = chooser.choice(_ALPHABET)
    return "".join(chars)


def test_content_keeps_exactly_the_characters_isalnum_keeps_over_every_code_point() -> None:
    every = "".join(chr(code) for code in range(0x110000))
    assert overlap.letters_and_digits(every) == _plain_content(every)


def test_overlap_on_stand_in_strings_scores_every_float_as_one_symbol_per_gram() -> None:
    chooser = random.Random(26)
    pool = [chr(0x4E00 + i) for i in range(6_000)]
    for round_ in range(400):
        size_a, size_b = chooser.randint(0, 300), chooser.randint(0, 300)
        if round_ % 50 == 0:  # past the stand-ins' length: the one-symbol-per-gram path
            size_a, size_b = overlap._STANDINS + chooser.randint(1, 50), chooser.randint(1, 400)
        a = frozenset(chooser.sample(pool, size_a))
        b = frozenset(chooser.sample(sorted(a), min(len(a), chooser.randint(0, size_b)))) | frozenset(
            chooser.sample(pool, size_b)
        )
        assert repr(overlap.grams_overlap(a, b)) == repr(_plain_overlap(a, b))
        assert repr(overlap.grams_overlap(b, a)) == repr(_plain_overlap(b, a))


def test_shared_spans_found_by_doubling_are_the_spans_grown_one_character_at_a_time() -> None:
    chooser = random.Random(17)
    for _ in range(600):
        text = _text(chooser, chooser.randint(0, 80))
        other = _reworded(chooser, text) if chooser.random() < 0.8 else _text(chooser, chooser.randint(0, 80))
        assert overlap.shared_spans(text, other) == _plain_spans(text, other)
        assert overlap.shared_spans(other, text) == _plain_spans(other, text)


def test_repeat_match_of_a_reworded_complaint_quotes_the_same_shared_wording_as_the_plain_spans() -> None:
    earlier = "我家宽带欠费不到30天就被停机了，客服说先开通是不可能的，要求马上恢复宽带并道歉。"
    later = "宽带欠费不到30天就停机，客服说先开通不可能，我要求恢复宽带并且道歉！（第二次来电）"
    found = sim.RepeatMatcher(use_embeddings=False).match(later, [("a", earlier)])
    assert found[0].shared == _plain_spans(later, earlier)
    assert [span.text for span in found[0].shared][:2] == ["宽带欠费不到30天就", "停机"]
    assert found[0].prefilter_score == _plain_overlap(
        overlap.grams(_plain_content(fold(later))), overlap.grams(_plain_content(fold(earlier)))
    )
