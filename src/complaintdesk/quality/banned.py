"""Finding banned service phrases (服务禁语) in an agent's line: family patterns on the normal form, then
a character-bigram similarity fallback to the bank's tuning part.

Evidence for every hit: the words and their span in the original line, the family, and the bank entry
(phrase and the norm's URL) it corresponds to. The test part of the bank is never indexed for the
fallback, so a recall figure on it measures what generalises.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from complaintdesk.quality.bank import _PARTICLES, _PRONOUNS, CLAUSE, Bank, BankEntry, canonical, load_bank
from complaintdesk.quality.transcript import normalize

_DROP = re.compile(rf"{_PARTICLES.pattern}|[\s,，。.!！?？;；:：、…~～—\-\"“”'‘’()（）\[\]【】《》<>·]")
_SWAPS = dict(_PRONOUNS)
_TOKEN = re.compile(
    "|".join(re.escape(k) for k in sorted(_SWAPS, key=len, reverse=True)) + rf"|{_DROP.pattern}"
)


_CACHE_SIZE = 50_000


@dataclass(frozen=True)
class BankHit:
    family: str
    start: int  # offsets in the normalised (simplified) line
    end: int
    entry: BankEntry | None  # the bank entry cited as evidence
    how: str  # "pattern", "similarity" (close to one tune phrase) or "style" (worded as banned phrases are)
    score: float = 1.0


def canonical_map(norm: str) -> tuple[str, list[int]]:
    """``canonical`` of an already simplified line, with each output character's offset in ``norm``."""
    out: list[str] = []
    where: list[int] = []
    last = 0
    for token in _TOKEN.finditer(norm):
        if token.start() > last:
            out.append(norm[last:token.start()])
            where.extend(range(last, token.start()))
        swap = _SWAPS.get(token.group(0))
        if swap:
            out.append(swap)
            where.extend([token.start()] * len(swap))
        last = token.end()
    if last < len(norm):
        out.append(norm[last:])
        where.extend(range(last, len(norm)))
    return "".join(out), where


def _span(where: list[int], start: int, end: int, norm_len: int) -> tuple[int, int]:
    if not where:
        return 0, norm_len
    return where[start], (where[end - 1] + 1 if end > start else where[start])


def bigrams(canon: str) -> frozenset[str]:
    return frozenset(canon[i:i + 2] for i in range(len(canon) - 1))


def word_bigrams(canon: str) -> frozenset[str]:
    """The bigrams of ``canon`` with no digit in them: what the similarity index compares."""
    return frozenset(gram for gram in bigrams(canon) if not any(char.isdigit() for char in gram))


class Matcher:
    """Patterns per family plus an inverted bigram index over the bank's tuning part (and its rewordings)."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        # the tune part's phrases and our rewordings of them, each indexed under the entry it stands for
        indexed = [(e.canon, e) for e in bank.part("tune")] + list(bank.variants)
        if bank.index_clauses:  # and each clause of a phrase of several, under the same entry
            indexed += [(clause, e) for e in bank.part("tune") for clause in _clauses(e.phrase)
                        if len(word_bigrams(clause)) >= bank.min_grams]
        self.tune = [entry for _, entry in indexed]
        self.grams = [word_bigrams(canon) for canon, _ in indexed]
        self.index: dict[str, list[int]] = defaultdict(list)
        for i, grams in enumerate(self.grams):
            if len(grams) >= bank.min_grams:
                for gram in grams:
                    self.index[gram].append(i)
        self._cache: dict[str, list[BankHit]] = {}
        self._window_patterns: dict[str, list[tuple[str, int, int, str]]] = {}
        self._window_similar: dict[str, tuple[float, BankEntry | None, float]] = {}
        # per family: each entry with its bigrams and characters, for citing the norm a pattern hit stands for
        self.by_family: dict[str, list[tuple[BankEntry, frozenset[str], frozenset[str]]]] = defaultdict(list)
        for entry in bank.entries:
            self.by_family[entry.family].append((entry, bigrams(entry.canon), frozenset(entry.canon)))
        # the tune part's entries, in the same order, for citing a style-alone quote (``nearest``)
        self._tune_entries = [item for entries in self.by_family.values() for item in entries if item[0].split == "tune"]

    def weight(self, gram: str) -> float:
        """A bigram's weight: 1, less the more courteous lines share it (您好, 帮您 prove nothing)."""
        return 1.0 / (1 + self.bank.common_bigrams.get(gram, 0))

    def similar(self, canon: str) -> tuple[float, BankEntry | None]:
        """The tuning entry most similar to ``canon``: Dice coefficient of character bigrams, each shared
        bigram counted by how rarely courteous agents say it. Digits are left out: an amount or a time
        ("一共100元") is not near "100%有效"; a promise in numbers is the patterns' to find."""
        grams = word_bigrams(canon)
        if not grams or self._courteous(canon):
            return 0.0, None  # a courteous act is no banned phrase, whatever words it shares with one
        shared: defaultdict[int, float] = defaultdict(float)
        for gram in grams:
            weight = self.weight(gram)
            for i in self.index.get(gram, ()):
                shared[i] += weight
        best, best_entry = 0.0, None
        for i, common in shared.items():
            # only the shared bigrams are discounted: a clause full of polite words does not grow closer
            dice = 2 * common / (len(grams) + len(self.grams[i]))
            if dice > best:
                best, best_entry = dice, self.tune[i]
        return best, best_entry

    def _courteous(self, canon: str) -> bool:
        return self.bank.courtesy is not None and self.bank.courtesy.search(canon) is not None

    def nearest(self, canon: str) -> BankEntry | None:
        """The tune entry sharing most characters (then bigrams) with ``canon``: the family a style-alone quote stands for."""
        grams, chars = bigrams(canon), frozenset(canon)
        tune = self._tune_entries
        return max(tune, key=lambda e: (len(chars & e[2]), len(grams & e[1])))[0] if tune else None

    def cite(self, family: str, canon: str) -> BankEntry | None:
        """The bank entry of ``family`` closest to the matched words: the norm a pattern hit stands for."""
        entries = self.by_family.get(family, [])
        if not entries:
            return None
        grams, chars = bigrams(canon), frozenset(canon)
        return max(entries, key=lambda e: (len(grams & e[1]), len(chars & e[2])))[0]

    def find(self, norm: str) -> list[BankHit]:
        """Banned phrases in one simplified line, at most one per family, in line order (memoised: the
        same agent line recurs across calls)."""
        cached = self._cache.get(norm)
        if cached is None:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            cached = self._cache[norm] = self._find(norm)
        return cached

    def _find(self, norm: str) -> list[BankHit]:
        hits: dict[str, BankHit] = {}
        quoted: list[tuple[int, int]] = []  # every span a pattern matched, of a family already hit or not
        clauses, pairs = _windows(norm)
        whole = [(clauses[0][0], clauses[-1][1])] if len(clauses) > 1 else []
        # patterns read each clause (they anchor on ^ and $), then the whole line: a phrase may span a comma
        for window_start, window_end in (*clauses, *whole):
            for code, start, end, words in self._patterns(norm[window_start:window_end]):
                quoted.append((window_start + start, window_start + end))
                if code not in hits and not self._polite(code, norm[window_start:window_start + start]):
                    hits[code] = BankHit(
                        code, window_start + start, window_start + end, self.cite(code, words), "pattern"
                    )
        courtesy = self.bank.courtesy
        if courtesy is not None and courtesy.search(canonical_map(norm)[0]):
            # a line that performs a courteous act (我会, 帮你, 谢谢 …) is quoted by the patterns only: none of the
            # tune part's phrases or rewordings performs one, and "您之前是怎么操作的?我帮您看看" shares words with
            # a banned phrase in a clause the act does not reach
            return sorted(hits.values(), key=lambda h: h.start)
        for window_start, window_end in (*clauses, *pairs):  # a quotation may span a comma
            spans = (*quoted, *((hit.start, hit.end) for hit in hits.values()))
            if any(start < window_end and window_start < end for start, end in spans):
                continue  # words already quoted as one banned phrase are not a second, weaker one
            score, entry, style = self._similar_window(norm[window_start:window_end])
            if entry is None or entry.family in hits:
                continue
            if score >= self.bank.threshold:
                hits[entry.family] = BankHit(entry.family, window_start, window_end, entry, "similarity", score)
            elif self._styled(score, style):
                # worded as banned phrases are: the family of the closest tune phrase, which is cited
                hits[entry.family] = BankHit(entry.family, window_start, window_end, entry, "style", style)
        return sorted(hits.values(), key=lambda h: h.start)

    def _styled(self, similarity: float, style: float) -> bool:
        """Does the style model quote a window of this similarity and style score? Jointly: a window both near a
        tune phrase and worded as banned phrases are; and, when ``style_alone``, also any window scoring at least the
        model's own threshold."""
        model = self.bank.style
        if model is None:
            return False
        if self.bank.style_alone and style >= model.threshold:
            return True
        return model.joint is not None and similarity >= model.joint[0] and style >= model.joint[1]

    def _polite(self, code: str, before: str) -> bool:
        """Is a politeness word of ``code``'s family said before its match (``before``: the window up to it)?"""
        words = self.bank.families[code].polite
        if not words or not before:
            return False
        canon = canonical_map(before)[0]
        return any(word in canon for word in words)

    def _patterns(self, text: str) -> list[tuple[str, int, int, str]]:
        """(family, start, end, words) of each family's first pattern match in one window (memoised:
        clauses recur across lines far more than whole lines do)."""
        cached = self._window_patterns.get(text)
        if cached is None:
            canon, where = canonical_map(text)
            cached = []
            for code, found in (self.bank.gates.first(canon) if canon else {}).items():
                start, end = _span(where, found.start(), found.end(), len(text))
                cached.append((code, start, end, found.group(0)))
            if len(self._window_patterns) >= _CACHE_SIZE:
                self._window_patterns.clear()
            self._window_patterns[text] = cached
        return cached

    def _similar_window(self, text: str) -> tuple[float, BankEntry | None, float]:
        """(similarity, closest tune entry, style score) of one window, memoised."""
        cached = self._window_similar.get(text)
        if cached is None:
            canon = canonical_map(text)[0]
            score, entry = self.similar(canon)
            style = 0.0
            if self.bank.style is not None and (entry is not None or not self._courteous(canon)):
                style = self.bank.style.score(canon)
                if entry is None and self.bank.style_alone and style >= self.bank.style.threshold:
                    entry = self.nearest(canon)  # worded as banned phrases are, near none: cite the closest in characters
            cached = (score, entry, style)
            if len(self._window_similar) >= _CACHE_SIZE:
                self._window_similar.clear()
            self._window_similar[text] = cached
        return cached

    def best_score(self, norm: str) -> float:
        """The highest similarity of any clause window of ``norm`` (used to calibrate the threshold); 0 for a
        line that performs a courteous act, which the fallbacks never quote."""
        if self.bank.courtesy is not None and self.bank.courtesy.search(canonical_map(norm)[0]):
            return 0.0
        clauses, pairs = _windows(norm)
        return max((self.similar(canonical_map(norm[a:b])[0])[0] for a, b in (*clauses, *pairs)), default=0.0)


def _clauses(phrase: str) -> list[str]:
    """The normal form of each clause of ``phrase`` when it has two or more (else none)."""
    parts = [canonical(part) for part in CLAUSE.split(normalize(phrase))]
    parts = [part for part in parts if part]
    return parts if len(parts) > 1 else []


def _windows(norm: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The clauses of ``norm`` and each pair of adjacent clauses (banned phrases often span a comma)."""
    bounds: list[tuple[int, int]] = []
    last = 0
    for sep in CLAUSE.finditer(norm):
        if sep.start() > last:
            bounds.append((last, sep.start()))
        last = sep.end()
    if last < len(norm):
        bounds.append((last, len(norm)))
    pairs = [(a, d) for (a, _), (_, d) in pairwise(bounds)]
    return bounds, pairs


@lru_cache(maxsize=4)
def _matcher(bank: Bank) -> Matcher:
    return Matcher(bank)


def matcher(bank: Bank | None = None) -> Matcher:
    """The matcher for ``bank`` (default: the packaged bank), built once."""
    return _matcher(bank or load_bank())


__all__ = ["BankHit", "Matcher", "bigrams", "canonical", "canonical_map", "matcher"]
