"""The learned layer's vocabulary lookup by array operations: every 1–3-character gram of a text at once.

``learned.LearnedModel`` used to find a text's vocabulary grams with an Aho–Corasick automaton and count
them with a ``Counter`` over the automaton's ``(end, index)`` tuples: one Python tuple per match, about
three per character. Here a text becomes an array of code points; every gram ending at each position
(the trigram, the bigram, the character: longest first, as the automaton reports them) is one 63-bit key,
looked up in the vocabulary's sorted keys by one ``searchsorted``. The grams found, in the order of their
first match, and their counts are what the automaton and the ``Counter`` gave, so every score keeps its bits
(tests compare the two on random text).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

_BITS = 21  # a code point is below 0x110000 < 2**21; +1 keeps a gram's key apart from a shorter gram's
_LONGEST = 3


def _key(gram: str) -> int:
    key = 0
    for ch in gram:
        key = (key << _BITS) | (ord(ch) + 1)
    return key


class GramTable:
    """The vocabulary's grams as sorted keys, each with its index."""

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        keys = np.array([_key(g) for g in vocabulary], dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._indices = np.array(list(vocabulary.values()), dtype=np.int64)[order]

    @staticmethod
    def fits(vocabulary: Mapping[str, int]) -> bool:
        """Whether every gram is one to three characters long: what this table reads."""
        return bool(vocabulary) and all(0 < len(g) <= _LONGEST for g in vocabulary)

    def found(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The vocabulary grams in ``text`` (their indices, in the order of their first match by end position,
        the longest first at one end) and how often each occurs."""
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64) + 1
        size = len(codes)
        if not size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        grams = np.zeros((size, _LONGEST), dtype=np.int64)  # 0: no gram (every key is at least 1)
        grams[:, 2] = codes
        grams[1:, 1] = (codes[:-1] << _BITS) | codes[1:]
        grams[2:, 0] = (grams[1:-1, 1] << _BITS) | codes[2:]
        flat = grams.ravel()
        places = self._keys.searchsorted(flat)
        np.minimum(places, len(self._keys) - 1, out=places)
        hit = self._keys[places] == flat
        matched = self._indices[places[hit]]
        if not len(matched):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        # np.unique's steps without its wrapper: sorted (stable, so each run starts at its first match), the
        # runs' starts, their lengths, then the runs in the order of their first match
        size = len(matched)
        order = matched.argsort(kind="stable")
        ranked = matched[order]
        starts = np.empty(size, dtype=bool)
        starts[0] = True
        np.not_equal(ranked[1:], ranked[:-1], out=starts[1:])
        (run_starts,) = starts.nonzero()
        run_ends = np.empty_like(run_starts)
        run_ends[:-1] = run_starts[1:]
        run_ends[-1] = size
        by_first = order[run_starts].argsort()
        return ranked[run_starts][by_first], (run_ends - run_starts)[by_first].astype(np.float32)
