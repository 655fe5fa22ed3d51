"""``any(word in text for word in words)`` by one regular-expression search: the cue files' word lists
(71 negators, the intensifiers, the threat acts …) are tested for every hit of every text, and a generator
over a list costs a Python step per word where one alternation searches in C. Same answer by construction:
an alternation of the escaped words matches somewhere in ``text`` exactly when one of the words occurs
(an empty word occurs everywhere, as its empty alternative matches); no words, no match.
"""

from __future__ import annotations

import re

_PATTERNS: dict[tuple[str, ...], re.Pattern[str] | None] = {}
_MAX = 512  # word lists are the lexicon's (a few dozen); a caller passing ever new tuples starts it again


def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if words not in _PATTERNS:
        if len(_PATTERNS) >= _MAX:
            _PATTERNS.clear()
        _PATTERNS[words] = re.compile("|".join(map(re.escape, words))) if words else None
    return _PATTERNS[words]


def contains_any(text: str, words: tuple[str, ...]) -> bool:
    """Does any of ``words`` occur in ``text``?"""
    pattern = _pattern(words)
    return pattern is not None and pattern.search(text) is not None
