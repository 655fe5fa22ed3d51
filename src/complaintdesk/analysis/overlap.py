"""How much wording two complaints share (the repeat matcher's cheap half): a character n-gram overlap for the
pre-filter, and the longest runs of the new text that the other also holds, shown as the match's evidence.

Pure text work, no model: ``similarity`` decides with these and the embeddings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from complaintdesk.text import fold

EMBED_CHARS = 500
"""Only the head of a text is compared (embedded, searched for shared runs): the incident is stated up front and
cost grows with length."""


@dataclass(frozen=True, slots=True)
class SharedSpan:
    """Wording the new complaint shares with a candidate; offsets index the new complaint's text."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end}


_NOT_CONTENT = re.compile(r"[\W_]+")
"""Everything ``str.isalnum`` rejects: a regex word character is exactly isalnum or the underscore (checked
over every code point in tests/unit/test_similarity_exact.py); one substitution in C, not a test per character."""


def letters_and_digits(text: str) -> str:
    """Letters and digits only: punctuation and spacing must not count as shared wording."""
    return _NOT_CONTENT.sub("", text)


def grams(content: str) -> frozenset[str]:
    """Characters and character bigrams: unigrams catch reworded pairs, bigrams keep word order."""
    return frozenset(content) | frozenset([content[i : i + 2] for i in range(len(content) - 1)])


_SYMBOLS = 0xF0000  # Supplementary Private Use Area-A: one code point per distinct n-gram


def prefilter_score(a: str, b: str) -> float:
    """Character n-gram overlap in [0, 1] of two texts (script and punctuation ignored)."""
    return grams_overlap(grams(letters_and_digits(fold(a))), grams(letters_and_digits(fold(b))))


_STANDINS = 4_096
"""Set sizes up to which the overlap is scored on stand-in strings (three of this many symbols, built once)."""
_SHARED = "".join(chr(_SYMBOLS + i) for i in range(_STANDINS))
_ONLY_LEFT = "".join(chr(_SYMBOLS + _STANDINS + i) for i in range(_STANDINS))
_ONLY_RIGHT = "".join(chr(_SYMBOLS + 2 * _STANDINS + i) for i in range(_STANDINS))


def grams_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    # Each n-gram becomes one symbol; the Indel ratio of two sorted symbol sets is exactly the Dice
    # coefficient 2|A∩B| / (|A|+|B|), and rapidfuzz computes it in C. That ratio depends only on the two
    # lengths and their longest common subsequence (|A∩B|), so strings of the same shape give the same float
    # bit for bit: the shared symbols first, then symbols only one side has.
    common = len(a & b)
    if len(a) <= _STANDINS and len(b) <= _STANDINS:
        left = _SHARED[:common] + _ONLY_LEFT[: len(a) - common]
        right = _SHARED[:common] + _ONLY_RIGHT[: len(b) - common]
    else:  # longer than the stand-ins: one symbol per distinct n-gram
        symbol = {gram: chr(_SYMBOLS + i) for i, gram in enumerate(a | b)}
        left = "".join(sorted(symbol[g] for g in a))
        right = "".join(sorted(symbol[g] for g in b))
    return round(fuzz.ratio(left, right) / 100.0, 4)


def shared_spans(
    new_text: str, other: str, *, min_len: int = 2, limit: int = 6, folded: tuple[str, str] | None = None
) -> tuple[SharedSpan, ...]:
    """Longest runs of the new text (≥ min_len letters/digits) that also occur in the other text. ``folded``:
    ``fold`` of both texts' first ``EMBED_CHARS`` characters, where the caller already has them."""
    norm_new, norm_other = folded or (fold(new_text[:EMBED_CHARS]), fold(other[:EMBED_CHARS]))
    spans: list[SharedSpan] = []
    # no shared run from a position whose first min_len characters the other text lacks: those are all
    # skipped by one comprehension, and only the rest are looked at, in order, as the loop did one by one
    starts = [i for i in range(len(norm_new)) if norm_new[i : i + min_len] in norm_other]
    i = 0
    for start in starts:
        if start < i:
            continue  # inside the span just taken
        i = start
        if not norm_new[i].isalnum() or (i and norm_new[i].isdigit() and norm_new[i - 1].isdigit()):
            continue  # a span starting mid-number ("0天" of "30天") is noise, not shared wording
        end = i + _longest_prefix_in(norm_new, i, norm_other)
        piece = norm_new[i:end].rstrip()
        content = letters_and_digits(piece)
        if len(content) >= min_len and not content.isdigit():
            spans.append(SharedSpan(new_text[i : i + len(piece)], i, i + len(piece)))
            i = end
    spans.sort(key=lambda s: (-(s.end - s.start), s.start))
    return tuple(sorted(spans[:limit], key=lambda s: s.start))


def _longest_prefix_in(text: str, start: int, other: str) -> int:
    """The length of the longest run of ``text`` from ``start`` that occurs in ``other``.

    A run occurs only if every shorter one from the same start does, so the length is found by doubling and
    then halving (a few substring searches) rather than by growing it one character per search."""
    most = len(text) - start
    found, step = 0, 1  # the run of length ``found`` occurs
    while found < most:
        tried = min(found + step, most)
        if text[start : start + tried] not in other:
            break
        found, step = tried, step * 2
    else:
        return found
    low, high = found, tried  # ``low`` occurs, ``high`` does not
    while high - low > 1:
        middle = (low + high) // 2
        if text[start : start + middle] in other:
            low = middle
        else:
            high = middle
    return low
