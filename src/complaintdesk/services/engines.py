"""Adapters from the service layer to the pure engines, loaded once and only when first needed."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from complaintdesk.settings import get_settings

log = logging.getLogger(__name__)


# Readings made ahead of a transaction (``analysed_ahead``), by (text, day).
_AHEAD: ContextVar[dict[tuple[str, date | None], dict[str, Any]] | None] = ContextVar("analysed_ahead", default=None)


@contextmanager
def analysed_ahead(readings: dict[tuple[str, date | None], dict[str, Any]]) -> Iterator[None]:
    """Inside the block, ``analyse_text`` answers from these readings (made by it before the block)
    where it has one: an import analyses a batch's texts before the batch's transaction begins, so
    that on SQLite the write lock is not held while the engine reads (about a millisecond a row)."""
    token = _AHEAD.set(readings)
    try:
        yield
    finally:
        _AHEAD.reset(token)


def analyse_text(text: str, today: date | None) -> dict[str, Any] | None:
    """The analysis engine's reading as JSON, or None where the engine is not installed."""
    ahead = _AHEAD.get()
    if ahead is not None and (text, today) in ahead:
        return copy.deepcopy(ahead[(text, today)])  # each complaint stores its own
    try:
        from complaintdesk.analysis import analyze
    except ImportError:
        return None
    limit = get_settings().analysis_max_chars  # the centre's limit: a longer text is read in part, said so
    result: dict[str, Any] = analyze(text, today=today, max_chars=limit).to_dict()
    return result


def warm_up() -> None:
    """Load the analysis engine (lexicons, OpenCC, jieba: 1-2 s) and the repeat matcher (numpy,
    rapidfuzz and, where enabled, the embedding model: 0.1-0.3 s) now, so that a server's first
    intake, and its first intake from a returning customer, do not pay for them."""
    try:
        from complaintdesk.analysis import warm_up as warm_up_analysis
    except ImportError:
        return
    warm_up_analysis()
    find_repeats("宽带停机三天,要求退还月费。", [("warm-up", "宽带被停机了,要求退费")])


@dataclass(frozen=True)
class RepeatHit:
    candidate_id: str
    score: float
    reason: str


@lru_cache(maxsize=2)
def _matcher(use_embeddings: bool) -> Any:
    from complaintdesk.analysis.similarity import RepeatMatcher

    return RepeatMatcher(use_embeddings=use_embeddings)


def find_repeats(text: str, candidates: Sequence[tuple[str, str]]) -> list[RepeatHit]:
    if not candidates:
        return []
    try:
        matcher = _matcher(get_settings().repeat_use_embeddings)
    except ImportError:
        log.warning("repeat detection unavailable: complaintdesk.analysis.similarity is missing")
        return []
    hits = []
    for match in matcher.match(text, list(candidates)):
        if match.is_repeat:
            score = match.semantic_score if match.semantic_score is not None else match.prefilter_score
            hits.append(RepeatHit(match.candidate_id, float(score), match.reason))
    return hits
