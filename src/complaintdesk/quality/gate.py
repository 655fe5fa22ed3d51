"""A family's patterns, gated by the characters each one cannot match without.

Searching a family's patterns as one alternation costs a scan of the clause per alternative, and most
alternatives start with optional groups the regex engine cannot skip quickly. Almost every pattern names
characters it needs (找 in "(你)?(去)?找(别人|其他人)"), so a clause that lacks them is never searched with it.
``first`` returns exactly what the alternation's ``search`` returns: the leftmost match, and at that position
the first pattern in order that matches.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser the re module itself uses; without it every pattern is simply searched
    import re._constants as _constants
    import re._parser as _parser
except ImportError:  # pragma: no cover - CPython always has them
    _parser = _constants = None


def required_chars(pattern: str) -> frozenset[str]:
    """Characters every match of ``pattern`` contains (literals outside optional parts; for alternatives,
    those all of them need). Empty when unknown: such a pattern is always searched."""
    if _parser is None:
        return frozenset()
    try:
        return frozenset(_needed(_parser.parse(pattern)))
    except Exception:  # a pattern the private parser reads differently is searched ungated
        return frozenset()


def _needed(items: Any) -> set[str]:
    out: set[str] = set()
    for op, arg in items:
        if op is _constants.LITERAL:
            out.add(chr(arg))
        elif op is _constants.SUBPATTERN:
            out |= _needed(arg[-1])
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and arg[0] >= 1:
            out |= _needed(arg[2])
        elif op is _constants.BRANCH:
            branches = [_needed(branch) for branch in arg[1]]
            out |= set.intersection(*branches) if branches else set()
    return out


class Gate:
    """One family's patterns, each under the characters it needs, indexed by one of them."""

    def __init__(self, patterns: tuple[re.Pattern[str], ...]) -> None:
        self.patterns = patterns
        self.always: list[int] = []  # patterns that need no particular character
        self.by_char: dict[str, list[int]] = {}
        self.needs: list[frozenset[str]] = []
        for i, pattern in enumerate(patterns):
            needed = required_chars(pattern.pattern)
            self.needs.append(needed)
            if needed:
                self.by_char.setdefault(min(needed), []).append(i)
            else:
                self.always.append(i)

    def first(self, canon: str) -> re.Match[str] | None:
        """The match the alternation of all the patterns would find in ``canon``."""
        chars = set(canon)
        candidates = list(self.always)
        for char in chars:
            candidates.extend(i for i in self.by_char.get(char, ()) if self.needs[i] <= chars)
        found: re.Match[str] | None = None
        found_at = (len(canon) + 1, len(self.patterns))
        for i in candidates:
            match = self.patterns[i].search(canon)
            if match is not None and (match.start(), i) < found_at:
                found, found_at = match, (match.start(), i)
        return found
