"""Finding banned service phrases (服务禁语) in an agent's line: family patterns on the normal form, then
a character-bigram similarity fallback to the bank's tuning part.

Evidence for every hit: the words and their span in the original line, the family, and the bank entry
(phrase and the norm's URL) it corresponds to. The test part of the bank is never indexed for the
fallback, so a recall figure on it measures what generalises.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from complaintdesk.quality.bank import _PARTICLES, _PRONOUNS, CLAUSE, Bank, BankEntry, canonical, load_bank

_DROP = re.compile(rf"{_PARTICLES.pattern}|[\s,，。.!！?？;；:：、…~～—\-\"“”'‘’()（）\[\]【】《》<>·]")
_SWAPS = dict(_PRONOUNS)
_TOKEN = re.compile(
    "|".join(re.escape(k) for k in sorted(_SWAPS, key=len, reverse=True)) + rf"|{_DROP.pattern}"
)


@dataclass(frozen=True)
class BankHit:
    family: str
    start: int  # offsets in the normalised (simplified) line
    end: int
    entry: BankEntry | None  # the bank entry cited as evidence
    how: str  # "pattern" or "similarity"
    score: float = 1.0


def canonical_map(norm: str) -> tuple[str, list[int]]:
    """``canonical`` of an already simplified line, with each output character's offset in ``norm``."""
    out: list[str] = []
    where: list[int] = []
    last = 0
    for token in _TOKEN.finditer(norm):
        for i in range(last, token.start()):
            out.append(norm[i])
            where.append(i)
        swap = _SWAPS.get(token.group(0))
        if swap is not None:
            out.extend(swap)
            where.extend([token.start()] * len(swap))
        last = token.end()
    for i in range(last, len(norm)):
        out.append(norm[i])
        where.append(i)
    return "".join(out), where


def _span(where: list[int], start: int, end: int, norm_len: int) -> tuple[int, int]:
    if not where:
        return 0, norm_len
    return where[start], (where[end - 1] + 1 if end > start else where[start])


def bigrams(canon: str) -> frozenset[str]:
    return frozenset(canon[i:i + 2] for i in range(len(canon) - 1))


class Matcher:
    """Patterns per family plus an inverted bigram index over the bank's tuning part."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.tune = bank.part("tune")
        self.grams = [bigrams(e.canon) for e in self.tune]
        self.index: dict[str, list[int]] = defaultdict(list)
        for i, grams in enumerate(self.grams):
            if len(grams) >= bank.min_grams:
                for gram in grams:
                    self.index[gram].append(i)
        self.by_family: dict[str, list[BankEntry]] = defaultdict(list)
        for entry in bank.entries:
            self.by_family[entry.family].append(entry)

    def similar(self, canon: str) -> tuple[float, BankEntry | None]:
        """The tuning entry most similar to ``canon`` (Dice coefficient of character bigrams)."""
        grams = bigrams(canon)
        if not grams:
            return 0.0, None
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(self.index.get(gram, ()))
        best, best_entry = 0.0, None
        for i, count in shared.items():
            dice = 2 * count / (len(grams) + len(self.grams[i]))
            if dice > best:
                best, best_entry = dice, self.tune[i]
        return best, best_entry

    def cite(self, family: str, canon: str) -> BankEntry | None:
        """The bank entry of ``family`` closest to the matched words: the norm a pattern hit stands for."""
        entries = self.by_family.get(family, [])
        if not entries:
            return None
        grams, chars = bigrams(canon), set(canon)
        return max(entries, key=lambda e: (len(grams & bigrams(e.canon)), len(chars & set(e.canon))))

    def find(self, norm: str) -> list[BankHit]:
        """Banned phrases in one simplified line, at most one per family, in line order."""
        hits: dict[str, BankHit] = {}
        for clause_start, clause_end in _windows(norm):
            text = norm[clause_start:clause_end]
            canon, where = canonical_map(text)
            if not canon:
                continue
            for code, family in self.bank.families.items():
                if code in hits:
                    continue
                for pattern in family.patterns:
                    found = pattern.search(canon)
                    if found:
                        start, end = _span(where, found.start(), found.end(), len(text))
                        hits[code] = BankHit(
                            code, clause_start + start, clause_start + end, self.cite(code, found.group(0)),
                            "pattern",
                        )
                        break
            score, entry = self.similar(canon)
            if entry is not None and score >= self.bank.threshold and entry.family not in hits:
                hits[entry.family] = BankHit(entry.family, clause_start, clause_end, entry, "similarity", score)
        return sorted(hits.values(), key=lambda h: h.start)

    def best_score(self, norm: str) -> float:
        """The highest similarity of any clause window of ``norm`` (used to calibrate the threshold)."""
        return max((self.similar(canonical_map(norm[a:b])[0])[0] for a, b in _windows(norm)), default=0.0)


def _windows(norm: str) -> Iterable[tuple[int, int]]:
    """Each clause, and each pair of adjacent clauses (banned phrases often span a comma)."""
    bounds: list[tuple[int, int]] = []
    last = 0
    for sep in CLAUSE.finditer(norm):
        if sep.start() > last:
            bounds.append((last, sep.start()))
        last = sep.end()
    if last < len(norm):
        bounds.append((last, len(norm)))
    yield from bounds
    for (a, _), (_, d) in zip(bounds, bounds[1:], strict=False):
        yield a, d


@lru_cache(maxsize=4)
def _matcher(bank: Bank) -> Matcher:
    return Matcher(bank)


def matcher(bank: Bank | None = None) -> Matcher:
    """The matcher for ``bank`` (default: the packaged bank), built once."""
    return _matcher(bank or load_bank())


__all__ = ["BankHit", "Matcher", "bigrams", "canonical", "canonical_map", "matcher"]
