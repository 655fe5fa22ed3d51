"""A family's patterns, gated by the characters each one cannot match without.

Searching a family's patterns as one alternation costs a scan of the clause per alternative, and most
alternatives start with optional groups the regex engine cannot skip quickly. Almost every pattern names
characters it needs (找 in "(你)?(去)?找(别人|其他人)"), so a clause that lacks them is never searched with it.
``Gates.first`` returns, per family, exactly what the alternation's ``search`` returns: the leftmost match,
and at that position the first pattern in order that matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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


def literal_runs(pattern: str) -> list[str]:
    """The fixed words of ``pattern``: each run of consecutive literal characters, in every branch and group
    (look-arounds aside), in order. Empty when the pattern cannot be parsed here."""
    if _parser is None:
        return []
    out: list[str] = []
    try:
        _runs(_parser.parse(pattern), out)
    except Exception:  # a pattern the private parser reads differently has no words to check
        return []
    return out


def _runs(items: Any, out: list[str]) -> None:
    run = ""
    for op, arg in items:
        if op is _constants.LITERAL:
            run += chr(arg)
            continue
        if run:
            out.append(run)
            run = ""
        if op is _constants.SUBPATTERN:
            _runs(arg[-1], out)
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            _runs(arg[2], out)
        elif op is _constants.BRANCH:
            for branch in arg[1]:
                _runs(branch, out)
    if run:
        out.append(run)


class Gates:
    """Every family's patterns, each under the characters it needs, indexed by one of them: a clause's
    characters are looked up once for all the families."""

    def __init__(self, families: Mapping[str, tuple[re.Pattern[str], ...]]) -> None:
        self.families = dict(families)
        self.always: list[tuple[str, int]] = []  # patterns that need no particular character
        self.by_char: dict[str, list[tuple[str, int, frozenset[str]]]] = {}
        for code, patterns in self.families.items():
            for i, pattern in enumerate(patterns):
                needed = required_chars(pattern.pattern)
                if needed:
                    self.by_char.setdefault(min(needed), []).append((code, i, needed))
                else:
                    self.always.append((code, i))

    def first(self, canon: str) -> dict[str, re.Match[str]]:
        """Per family, the match the alternation of its patterns would find in ``canon`` (families without
        one are absent), in the families' order."""
        chars = set(canon)
        candidates = list(self.always)
        for char in chars:
            for code, i, needed in self.by_char.get(char, ()):
                if needed <= chars:
                    candidates.append((code, i))
        best: dict[str, tuple[int, int, re.Match[str]]] = {}
        for code, i in candidates:
            match = self.families[code][i].search(canon)
            if match is not None:
                held = best.get(code)
                if held is None or (match.start(), i) < held[:2]:
                    best[code] = (match.start(), i, match)
        return {code: best[code][2] for code in self.families if code in best}
