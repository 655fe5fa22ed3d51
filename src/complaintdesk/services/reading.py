"""Reading a complaint's words: the analysis engine's typed ``Analysis`` of a text, and the earlier
complaints of the same customer it repeats.

Both engines are dependencies: a broken one fails here, loudly, never leaves intake without its
reading. They are imported when first used, not when this module is: the analysis package loads
numpy (0.3-0.4 s), which a command that reads no text (``complaintdesk list``) should not pay.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from complaintdesk.settings import get_settings

if TYPE_CHECKING:
    from complaintdesk.analysis import Analysis
    from complaintdesk.analysis.similarity import RepeatMatcher

log = logging.getLogger(__name__)

ReadingKey = tuple[str, date | None]  # (text, the day it is read as of)

# Readings made ahead of a transaction (``read_ahead``), by (text, day).
_AHEAD: ContextVar[Mapping[ReadingKey, Analysis] | None] = ContextVar("read_ahead", default=None)


@contextmanager
def read_ahead(readings: Mapping[ReadingKey, Analysis]) -> Iterator[None]:
    """Inside the block, ``read`` answers from these readings where it has one: an import reads a
    batch's texts before the batch's transaction begins, so that on SQLite the write lock is not held
    while the engine reads (about a millisecond a row)."""
    token = _AHEAD.set(readings)
    try:
        yield
    finally:
        _AHEAD.reset(token)


def read(text: str, today: date | None) -> Analysis:
    """The analysis engine's reading of ``text`` as of ``today`` (immutable: shared readings are safe).
    A text longer than ``COMPLAINTDESK_ANALYSIS_MAX_CHARS`` is read in part, and the reading says so."""
    from complaintdesk.analysis import analyze

    ahead = _AHEAD.get()
    if ahead is not None and (text, today) in ahead:
        return ahead[(text, today)]
    return analyze(text, today=today, max_chars=get_settings().analysis_max_chars)


def warm_up() -> None:
    """Load the analysis engine (lexicons, OpenCC, jieba: 1-2 s) and the repeat matcher (numpy,
    rapidfuzz and, where enabled, the embedding model: 0.1-0.3 s) now, so that a server's first
    intake, and its first intake from a returning customer, do not pay for them."""
    from complaintdesk.analysis import warm_up as warm_up_analysis

    warm_up_analysis()
    find_repeats("宽带停机三天，要求退还月费。", [("warm-up", "宽带被停机了，要求退费")])


@dataclass(frozen=True)
class RepeatHit:
    candidate_id: str
    score: float
    reason: str


@lru_cache(maxsize=2)
def _matcher(use_embeddings: bool) -> RepeatMatcher:
    from complaintdesk.analysis.similarity import RepeatMatcher

    return RepeatMatcher(use_embeddings=use_embeddings)


def find_repeats(text: str, candidates: Sequence[tuple[str, str]]) -> list[RepeatHit]:
    """The candidates (id, text) that ``text`` repeats, with the score and reason of each match."""
    if not candidates:
        return []
    hits = []
    for match in _matcher(get_settings().repeat_use_embeddings).match(text, list(candidates)):
        if match.is_repeat:
            score = match.semantic_score if match.semantic_score is not None else match.prefilter_score
            hits.append(RepeatHit(match.candidate_id, float(score), match.reason))
    return hits
