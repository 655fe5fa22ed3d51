"""One pass of the cue automaton over the normalised text, then the cheap clean-ups:
exclusions (曝光不足 is photography, not the press), longest match wins inside a family
(网上曝光 is social media, not the 曝光 inside it), negation (不是要退款 is not a refund demand)
and word boundaries for short cues."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from complaintdesk.analysis.lexicon import NEAR_MARK, Lexicon
from complaintdesk.analysis.voice import clause_start
from complaintdesk.analysis.wordsets import contains_any

_CLAUSE_BREAKS = "。，,！!？?；;：:\n…~、"
NEGATION_WINDOW = 5


@dataclass(frozen=True, slots=True)
class Hit:
    family: str
    label: str
    start: int  # offsets into the NORMALISED text
    end: int
    weight: float
    cue: str


def scan(
    text: str, lexicon: Lexicon, word_ok: Callable[[int, int], bool] | None = None
) -> dict[str, list[Hit]]:
    """All surviving cue hits, grouped by family, each list in text order; negated hits (不需要赔偿) are
    kept apart under ``negated:<family>``, so that nothing else adds what the customer declined."""
    raw: dict[str, list[Hit]] = defaultdict(list)
    excluded: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for end_index, (cue_text, cues) in lexicon.automaton.iter(text):
        end = end_index + 1
        start = end - len(cue_text)
        for cue in cues:
            if cue.label == "__exclude__":
                excluded[cue.family].append((start, end))
                continue
            if cue.label == NEAR_MARK:  # 态度很恶劣: the first word found, the rest within reach
                for rule in lexicon.near.get(cue_text, ()):
                    found = rule.then.match(text, end) if rule.family == cue.family else None
                    if found is not None:
                        span = text[start : found.end()]
                        raw[cue.family].append(Hit(cue.family, rule.label, start, found.end(), rule.weight, span))
                continue
            raw[cue.family].append(Hit(cue.family, cue.label, start, end, cue.weight, cue.text))
    word_cues = lexicon.word_cues
    result: dict[str, list[Hit]] = {}
    for family, hits in raw.items():
        cue_file = lexicon.files[family]
        negators = cue_file.lists.get("negators", ()) if cue_file.negatable else ()
        kept, declined = [], []
        exclusions = excluded.get(family)
        inside = _Covered(exclusions) if exclusions else None
        for hit in _longest(hits):
            if inside is not None and inside(hit.start, hit.end):
                continue
            if word_ok is not None and hit.cue in word_cues and not word_ok(hit.start, hit.end):
                continue
            if negators and negated(text, hit.start, negators):
                declined.append(hit)
                continue
            kept.append(hit)
        result[family] = kept
        if declined:
            result[f"negated:{family}"] = declined
    return result


class _Covered:
    """Is a range inside one of the exclusion ranges? Only exclusions starting between
    ``end - longest`` and ``start`` can contain it; bisect finds them in logarithmic time."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = sorted(ranges)
        self.starts = [s for s, _ in self.ranges]
        self.longest = max((e - s for s, e in self.ranges), default=0)

    def __call__(self, start: int, end: int) -> bool:
        low = bisect_left(self.starts, end - self.longest)
        high = bisect_right(self.starts, start)
        return any(e >= end for _, e in self.ranges[low:high])


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop hits strictly contained in a longer hit of the same family; identical spans all stay."""
    ordered = sorted(hits, key=lambda h: (h.start, -h.end))
    kept: list[Hit] = []
    best_start, best_end = -1, -1
    for hit in ordered:
        if hit.end < best_end or (hit.end == best_end and hit.start > best_start):
            continue
        kept.append(hit)
        if hit.end > best_end:
            best_start, best_end = hit.start, hit.end
    return kept


def negated(text: str, start: int, negators: tuple[str, ...]) -> bool:
    """A negator just before the cue, inside the same clause (不是要退款, 也不需要赔偿). The window reaches
    one character into the cue because cues may share it with the negator (不需要|要赔)."""
    window = text[clause_start(text, start, NEGATION_WINDOW, _CLAUSE_BREAKS) : start + 1]
    return contains_any(window, negators)
